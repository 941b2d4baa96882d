import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { servicePrincipalSource as rule } from '../../../../lib/policy/rules/iam/service-principal-source';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, violations } from '../../../support/policy';

const statement = (Service: unknown, Condition?: object): object => ({ Effect: 'Allow', Principal: { Service }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', ...(Condition ? { Condition } : {}) });
const bucketPolicy = (...Statement: object[]): TemplateResource => ({ Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b', PolicyDocument: { Statement } } });
const trailArn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t';

describe('IAM3-ServicePrincipalSource', () => {
  it('L2: the CDK Trail bucket statements (no source condition) fail; a bound log-delivery statement passes', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] }));
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('logs/*')],
        conditions: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' } },
      }),
    );
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^BucketPolicy[0-9A-F]+: PolicyDocument\.Statement\[0\]\.Principal\.Service=cloudtrail\.amazonaws\.com-without-aws:SourceArn$/)]);
  });

  it('CloudTrail needs aws:SourceArn: aws:SourceAccount alone fails (bucket policy and key policy)', () => {
    const template = templateOf({
      Account: bucketPolicy(statement('cloudtrail.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '123456789012' } })),
      Arn: bucketPolicy(statement('cloudtrail.amazonaws.com', { StringEquals: { 'aws:SourceArn': trailArn } })),
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:123456789012:trail/*' } } },
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/t' } } } },
            ],
          },
        },
      },
    });
    expect(violations(template, rule)).toEqual([
      'Account: PolicyDocument.Statement[0].Principal.Service=cloudtrail.amazonaws.com-without-aws:SourceArn',
      'Key: KeyPolicy.Statement[0].Principal.Service=cloudtrail.amazonaws.com-without-aws:SourceArn',
    ]);
  });

  it('every service needs aws:SourceArn: aws:SourceAccount alone fails (L2 key grant, L1 topic policy); on keys a logs encryption-context binding counts', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logs.us-east-1.amazonaws.com')],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:/edu/*' } },
      }),
    );
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' } },
      }),
    );
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Key[0-9A-F]+: KeyPolicy\.Statement\[2\]\.Principal\.Service=events\.amazonaws\.com-without-aws:SourceArn$/),
      expect.stringMatching(/^Key[0-9A-F]+: KeyPolicy\.Statement\[3\]\.Principal\.Service=cloudwatch\.amazonaws\.com-without-aws:SourceArn$/),
    ]);
    const topicPolicy = (Condition: object): TemplateResource => ({
      Type: 'AWS::SNS::TopicPolicy',
      Properties: { Topics: ['t'], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com'] }, Action: 'sns:Publish', Resource: 't', Condition }] } },
    });
    const template = templateOf({
      AccountOnly: topicPolicy({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
      Joined: topicPolicy({ ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*']] } } }),
      Wildcard: topicPolicy({ ArnLike: { 'aws:SourceArn': '*' } }),
    });
    expect(violations(template, rule)).toEqual([
      'AccountOnly: PolicyDocument.Statement[0].Principal.Service=cloudwatch.amazonaws.com-without-aws:SourceArn',
      'Wildcard: PolicyDocument.Statement[0].Principal.Service=cloudwatch.amazonaws.com-without-aws:SourceArn',
    ]);
  });

  it('Lambda permissions need SourceArn (SourceAccount alone fails); Deny statements are not judged', () => {
    const template = templateOf({
      Open: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com' } },
      AccountOnly: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com', SourceAccount: '123456789012' } },
      Bound: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com', SourceAccount: '123456789012', SourceArn: 'arn:aws:s3:::b' } },
      Deny: bucketPolicy({ Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:*', Resource: '*' }),
    });
    expect(violations(template, rule)).toEqual(['Open: Principal=s3.amazonaws.com-without-SourceArn', 'AccountOnly: Principal=s3.amazonaws.com-without-SourceArn']);
  });
});
