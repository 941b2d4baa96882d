import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CustomerManagedKey } from '../../../../constructs/customer-managed-key';
import { SanitizedLogGroup } from '../../../../constructs/sanitized-log-group';
import { serviceKeyPoliciesRule as rule } from '../../../../lib/policy/rules/deploy/service-key-policies';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const ROOT = { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' };
const SOURCE = { StringEquals: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/t' } } };
const CONTEXT = { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*' } } };
const trailStatement = (Action: string | string[], Condition: object = SOURCE) => ({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action, Resource: '*', Condition });

/** The documented policy: GenerateDataKey* with context and source, DescribeKey and Decrypt with source only. */
const GOOD_TRAIL_KEY = [ROOT, trailStatement('kms:GenerateDataKey*', { ...SOURCE, ...CONTEXT }), trailStatement('kms:DescribeKey'), trailStatement('kms:Decrypt')];
/** What the data stack shipped before: DescribeKey under the encryption-context condition, no Decrypt. */
const BROKEN_TRAIL_KEY = [ROOT, trailStatement(['kms:GenerateDataKey*', 'kms:DescribeKey'], { StringEquals: { 'aws:SourceAccount': '123456789012' }, ...CONTEXT })];

function trailTemplate(statements: object[], keyId: unknown, bucketKey = true, extra: CfnTemplate['Resources'] = {}): CfnTemplate {
  return templateOf({
    Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: statements } } },
    KeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/trail', TargetKeyId: { Ref: 'Key' } } },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: bucketKey, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
          ],
        },
      },
    },
    Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { TrailName: 't', IsLogging: true, S3BucketName: { Ref: 'Bucket' }, KMSKeyId: keyId } },
    ...extra,
  });
}

describe('DEPLOY1-ServiceKeyPolicies: CloudTrail', () => {
  it('accepts the policy AWS documents, however the trail names the key', () => {
    for (const keyId of [
      { Ref: 'Key' },
      { 'Fn::GetAtt': ['Key', 'Arn'] },
      { 'Fn::Join': ['', ['arn:aws:kms:us-east-1:123456789012:key/', { Ref: 'Key' }]] },
      { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}' },
      { Ref: 'KeyAlias' },
      'alias/trail',
    ]) {
      expect(violations(trailTemplate(GOOD_TRAIL_KEY, keyId), rule)).toEqual([]);
      expect(unresolvedWarnings(trailTemplate(GOOD_TRAIL_KEY, keyId), rule)).toEqual([]);
    }
  });

  it('fails DescribeKey under an encryption-context condition and a missing Decrypt with an S3 Bucket Key (the old data stack)', () => {
    for (const keyId of [{ Ref: 'Key' }, { 'Fn::GetAtt': ['Key', 'Arn'] }, 'alias/trail']) {
      expect(violations(trailTemplate(BROKEN_TRAIL_KEY, keyId), rule)).toEqual([
        'Key: CloudTrail[Trail].kms:DescribeKey=encryption-context-condition',
        'Key: CloudTrail[Trail].kms:Decrypt=absent-with-S3-Bucket-Key',
      ]);
    }
  });

  it('needs Decrypt only with an S3 Bucket Key, and never under an encryption-context condition', () => {
    const noDecrypt = GOOD_TRAIL_KEY.slice(0, 3);
    expect(violations(trailTemplate(noDecrypt, { Ref: 'Key' }, false), rule)).toEqual([]);
    expect(violations(trailTemplate(noDecrypt, { Ref: 'Key' }, true), rule)).toEqual(['Key: CloudTrail[Trail].kms:Decrypt=absent-with-S3-Bucket-Key']);
    const contextDecrypt = [...noDecrypt, trailStatement('kms:Decrypt', CONTEXT)];
    expect(violations(trailTemplate(contextDecrypt, { Ref: 'Key' }), rule)).toEqual(['Key: CloudTrail[Trail].kms:Decrypt=encryption-context-condition']);
  });

  it('fails a key with no CloudTrail statement at all (L2 Trail with a CustomerManagedKey)', () => {
    const stack = testStack();
    const key = new CustomerManagedKey(stack, 'TrailKey', { alias: 'trail', description: 'trail' });
    const bucket = new s3.Bucket(stack, 'TrailBucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true });
    new cloudtrail.Trail(stack, 'Trail', { bucket, encryptionKey: key });
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^TrailKey[0-9A-F]+: CloudTrail\[Trail[0-9A-F]+\]\.kms:GenerateDataKey\*=absent$/),
      expect.stringMatching(/^TrailKey[0-9A-F]+: CloudTrail\[Trail[0-9A-F]+\]\.kms:DescribeKey=absent$/),
      expect.stringMatching(/^TrailKey[0-9A-F]+: CloudTrail\[Trail[0-9A-F]+\]\.kms:Decrypt=absent-with-S3-Bucket-Key$/),
    ]);
  });

  it('reports a key outside the template (literal ARN, import) as unresolved on the trail', () => {
    const literal = trailTemplate(GOOD_TRAIL_KEY, 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(unresolvedWarnings(literal, rule)).toEqual(['Trail: KMSKeyId=key-policy-not-in-template']);
    const imported = trailTemplate(GOOD_TRAIL_KEY, { 'Fn::ImportValue': 'central-trail-key' });
    expect(unresolvedWarnings(imported, rule)).toEqual(['Trail: KMSKeyId=key-policy-not-in-template']);
  });
});

describe('DEPLOY1-ServiceKeyPolicies: CloudWatch Logs', () => {
  it('accepts SanitizedLogGroup (the regional logs principal, context naming the group)', () => {
    const stack = testStack();
    new SanitizedLogGroup(stack, 'Logs', { logGroupName: '/edu/dev/tasks' });
    expect(violations(stack, rule)).toEqual([]);
  });

  it('fails an encrypted L2 log group whose key does not admit CloudWatch Logs', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new logs.LogGroup(stack, 'Group', { logGroupName: '/edu/dev/x', encryptionKey: key });
    expect(violations(stack, rule)).toEqual(
      ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'].map((a) => expect.stringMatching(new RegExp(`^Key[0-9A-F]+: Logs\\[Group[0-9A-F]+\\]\\.${a}=absent$`))),
    );
  });

  it('fails an encryption context that names another group (L1, Fn::Sub and Fn::Join)', () => {
    const logsStatement = (arn: unknown) => ({
      Effect: 'Allow',
      Principal: { Service: { 'Fn::Sub': 'logs.${AWS::Region}.amazonaws.com' } },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn } },
    });
    const template = (arn: unknown, name: unknown): CfnTemplate =>
      templateOf({
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ROOT, logsStatement(arn)] } } },
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: name, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      });
    const sub = { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/edu/dev/*' };
    const join = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:/edu/dev/tasks']] };
    expect(violations(template(sub, '/edu/dev/tasks'), rule)).toEqual([]);
    expect(violations(template(join, '/edu/dev/tasks'), rule)).toEqual([]);
    expect(violations(template(join, { 'Fn::Join': ['/', ['', 'edu', 'prod', 'tasks']] }), rule)).toEqual(
      ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'].map((a) => `Key: Logs[Group].${a}=encryption-context-excludes-/edu/prod/tasks`),
    );
  });
});

describe('DEPLOY1-ServiceKeyPolicies: encrypted SNS topics', () => {
  function topicStack(allowAlarms: boolean): ReturnType<typeof testStack> {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    if (allowAlarms) key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn] }));
    return stack;
  }

  it('fails a key that the publishing service cannot use, passes once it can', () => {
    expect(violations(topicStack(false), rule)).toEqual([
      expect.stringMatching(/^Key[0-9A-F]+: SNS\[Topic[0-9A-F]+\]\.cloudwatch\.amazonaws\.com\.kms:GenerateDataKey=absent$/),
      expect.stringMatching(/^Key[0-9A-F]+: SNS\[Topic[0-9A-F]+\]\.cloudwatch\.amazonaws\.com\.kms:Decrypt=absent$/),
    ]);
    expect(violations(topicStack(true), rule)).toEqual([]);
  });
});
