import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SanitizedLogGroup } from '../../../../constructs/sanitized-log-group';
import { secureBucketProps } from '../../../../constructs/secure-bucket';
import { namedResourcesRetryRule as rule } from '../../../../lib/policy/rules/deploy/named-resources-retry';
import { statefulResourcesRetainedRule as keep } from '../../../../lib/policy/rules/keep/stateful-resources-retained';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('DEPLOY2-NamedResourcesRetry', () => {
  it('L2: a named bucket or log group with RETAIN fails; RETAIN_ON_UPDATE_OR_DELETE and generated names pass', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Named', { bucketName: 'edu-named', removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Unnamed', { removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Retry', { ...secureBucketProps(), bucketName: 'edu-retry' });
    new logs.LogGroup(stack, 'Group', { logGroupName: '/edu/x', removalPolicy: RemovalPolicy.RETAIN });
    new SanitizedLogGroup(stack, 'Sanitized', { logGroupName: '/edu/y' });
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Named[0-9A-F]+: DeletionPolicy=Retain-with-BucketName-edu-named$/),
      expect.stringMatching(/^Group[0-9A-F]+: DeletionPolicy=Retain-with-LogGroupName-\/edu\/x$/),
    ]);
    // KEEP-1 still holds for what DEPLOY-2 accepts.
    expect(violations(stack, keep)).toEqual([]);
  });

  it('L1: names written with Fn::Sub and Fn::Join, Fn::If policies, and other named types', () => {
    const template = templateOf({
      Sub: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: { 'Fn::Sub': 'edu-${AWS::AccountId}' } } },
      Join: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: { 'Fn::Join': ['/', ['', 'edu', { Ref: 'AWS::Region' }]] } } },
      Cond: { Type: 'AWS::S3::Bucket', DeletionPolicy: { 'Fn::If': ['Prod', 'Retain', 'Delete'] }, Properties: { BucketName: 'edu-cond' } },
      Ok: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain', Properties: { BucketName: 'edu-ok' } },
      Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', Properties: { TableName: 'edu' } },
      Role: { Type: 'AWS::IAM::Role', DeletionPolicy: 'Retain', Properties: { RoleName: 'edu-role' } },
      Snapshot: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', Properties: { DBInstanceIdentifier: 'edu' } },
      Imported: { Type: 'AWS::S3::Bucket', DeletionPolicy: { 'Fn::ImportValue': 'policy' }, Properties: { BucketName: 'edu-imp' } },
    });
    expect(violations(template, rule)).toEqual([
      'Sub: DeletionPolicy=Retain-with-BucketName-edu-${AWS:AccountId}',
      'Join: DeletionPolicy=Retain-with-LogGroupName-/edu/${AWS:Region}',
      'Cond: DeletionPolicy=Retain-with-BucketName-edu-cond',
      'Table: DeletionPolicy=Retain-with-TableName-edu',
      'Role: DeletionPolicy=Retain-with-RoleName-edu-role',
    ]);
    expect(unresolvedWarnings(template, rule)).toEqual(['Imported: DeletionPolicy=unresolved']);
  });
});
