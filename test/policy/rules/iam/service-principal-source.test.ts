import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { servicePrincipalSourceRule as rule } from '../../../../lib/policy/rules/iam/service-principal-source';
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
        conditions: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
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

  it('other services: aws:SourceAccount or aws:SourceArn; on keys an encryption-context binding (CloudWatch Logs) counts', () => {
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
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Key[0-9A-F]+: KeyPolicy\.Statement\[2\]\.Principal\.Service=events\.amazonaws\.com-without-aws:SourceArn-or-aws:SourceAccount$/)]);
  });

  it('Lambda permissions need SourceArn or SourceAccount; Deny statements are not judged', () => {
    const template = templateOf({
      Open: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com' } },
      Bound: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com', SourceAccount: '123456789012' } },
      Deny: bucketPolicy({ Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:*', Resource: '*' }),
    });
    expect(violations(template, rule)).toEqual(['Open: Principal=s3.amazonaws.com-without-SourceArn-or-SourceAccount']);
  });
});
