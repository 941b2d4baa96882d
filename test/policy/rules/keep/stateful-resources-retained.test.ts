import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { statefulResourcesRetainedRule as rule } from '../../../../lib/policy/rules/keep/stateful-resources-retained';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('KEEP1-StatefulResourcesRetained', () => {
  const stack = testStack();
  new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
  new kms.Key(stack, 'Key', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
  new logs.LogGroup(stack, 'Logs', { removalPolicy: RemovalPolicy.DESTROY });
  new dynamodb.CfnTable(stack, 'Table', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });

  it('accepts RETAIN and RETAIN_ON_UPDATE_OR_DELETE; fails DESTROY and an L1 without policies', () => {
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Logs[0-9A-F]+: DeletionPolicy=Delete$/),
      expect.stringMatching(/^Logs[0-9A-F]+: UpdateReplacePolicy=Delete$/),
      'Table: DeletionPolicy=absent',
      'Table: UpdateReplacePolicy=absent',
    ]);
  });

  it('covers every stateful type in JSON, Snapshot only for RDS, default Snapshot deletion for RDS', () => {
    const template = templateOf({
      Fs: { Type: 'AWS::EFS::FileSystem', DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Retain' },
      Db: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' },
      Cluster: { Type: 'AWS::RDS::DBCluster', UpdateReplacePolicy: 'Snapshot' },
      Cluster2: { Type: 'AWS::RDS::DBCluster', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' },
      Global: { Type: 'AWS::DynamoDB::GlobalTable', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      Replica: { Type: 'AWS::KMS::ReplicaKey', DeletionPolicy: 'Retain' },
      Cond: { Type: 'AWS::S3::Bucket', DeletionPolicy: { 'Fn::If': ['Prod', 'Retain', 'Delete'] }, UpdateReplacePolicy: 'Retain' },
      Imp: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: { 'Fn::ImportValue': 'policy' }, UpdateReplacePolicy: 'Retain' },
      Queue: { Type: 'AWS::SQS::Queue' },
    });
    expect(violations(template, rule)).toEqual([
      'Fs: DeletionPolicy=Snapshot',
      'Cluster2: DeletionPolicy=Delete',
      'Replica: UpdateReplacePolicy=absent',
      'Cond: DeletionPolicy=Delete',
    ]);
    expect(unresolvedWarnings(template, rule)).toEqual(['Imp: DeletionPolicy=unresolved']);
  });

  it('accepts RetainExceptOnCreate for DeletionPolicy only (DEPLOY-2), never for UpdateReplacePolicy', () => {
    const template = templateOf({
      Retry: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' },
      Wrong: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'RetainExceptOnCreate' },
      Gone: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' },
    });
    expect(violations(template, rule)).toEqual(['Wrong: UpdateReplacePolicy=RetainExceptOnCreate', 'Gone: DeletionPolicy=Delete']);
  });
});
