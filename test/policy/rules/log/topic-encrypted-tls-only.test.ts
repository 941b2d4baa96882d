import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { topicEncryptedTlsOnlyRule as rule } from '../../../../lib/policy/rules/log/topic-encrypted-tls-only';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const TLS_DENY = { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: { Ref: 'Topic' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const topicWith = (topicProps: Record<string, unknown>, statement: unknown, inline = false): CfnTemplate =>
  templateOf({
    Topic: { Type: 'AWS::SNS::Topic', Properties: topicProps },
    Policy: inline
      ? { Type: 'AWS::SNS::TopicInlinePolicy', Properties: { TopicArn: { Ref: 'Topic' }, PolicyDocument: { Statement: statement } } }
      : { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Topic' }], PolicyDocument: { Statement: statement } } },
  });
const CMK = { KmsMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' };

describe('LOG3-TopicEncryptedTlsOnly', () => {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  const good = new sns.Topic(stack, 'Good', { masterKey: key, enforceSSL: true });
  good.grantPublish(new iam.ServicePrincipal('events.amazonaws.com'));
  new sns.Topic(stack, 'Plain');
  const open = new sns.Topic(stack, 'Open', { masterKey: kms.Alias.fromAliasName(stack, 'AwsSns', 'alias/aws/sns'), enforceSSL: true });
  open.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'], resources: [open.topicArn] }));

  it('accepts an encrypted enforceSSL topic; fails the default topic, alias/aws/sns and a public publisher (L2)', () => {
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Plain[0-9A-F]+: KmsMasterKeyId=absent$/),
      expect.stringMatching(/^Plain[0-9A-F]+: TopicPolicy=absent$/),
      expect.stringMatching(/^Open[0-9A-F]+: KmsMasterKeyId=arn:\$\{AWS:Partition\}:kms:us-east-1:123456789012:alias\/aws\/sns$/),
      expect.stringMatching(/^Open[0-9A-F]+: TopicPolicy\[OpenPolicy[0-9A-F]+\].Statement\[1\].Principal=\*$/),
    ]);
  });

  it('reads TopicPolicy and TopicInlinePolicy, statement object or list, action lists and wildcards', () => {
    expect(violations(topicWith(CMK, TLS_DENY), rule)).toEqual([]);
    expect(violations(topicWith(CMK, [{ ...TLS_DENY, Action: ['sns:*'], Principal: { AWS: '*' } }], true), rule)).toEqual([]);
    expect(violations(topicWith(CMK, [{ ...TLS_DENY, Action: 'sns:Subscribe' }]), rule)).toEqual(['Topic: TopicPolicy.SecureTransportDeny=absent']);
    expect(violations(topicWith({}, [TLS_DENY, { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sns:Publish', Resource: '*' }]), rule)).toEqual([
      'Topic: KmsMasterKeyId=absent',
      'Topic: TopicPolicy[Policy].Statement[1].Principal=*',
    ]);
    expect(violations(topicWith(CMK, [TLS_DENY, { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceOwner': '111122223333' } } }]), rule)).toEqual([]);
  });

  it('matches a topic policy by ARN string with the topic name, and warns on an imported key', () => {
    const template = templateOf({
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts', KmsMasterKeyId: { 'Fn::ImportValue': 'key' } } },
      Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ 'Fn::Sub': 'arn:aws:sns:${AWS::Region}:${AWS::AccountId}:alerts' }], PolicyDocument: { Statement: [TLS_DENY] } } },
    });
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule)).toEqual(['Topic: KmsMasterKeyId=Fn:ImportValue_key']);
  });
});

describe('LOG3-TopicEncryptedTlsOnly: wildcard conditions (red team)', () => {
  const topicWith = (condition: Record<string, unknown>): CfnTemplate =>
    templateOf({
      Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
      Policy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [{ Ref: 'Topic' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: { Ref: 'Topic' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
              { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: { Ref: 'Topic' }, Condition: condition },
            ],
          },
        },
      },
    });

  it('fails an Allow to * restricted only to roles of any account', () => {
    expect(violations(topicWith({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }), rule)).toEqual([
      'Topic: TopicPolicy[Policy].Statement[1].Principal=*',
    ]);
  });

  it('accepts alarms of the own account (a literal account with a wildcard resource) and aws:PrincipalAccount by Ref', () => {
    expect(violations(topicWith({ ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' } } }), rule)).toEqual([]);
    expect(violations(topicWith({ StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } }), rule)).toEqual([]);
  });
});
