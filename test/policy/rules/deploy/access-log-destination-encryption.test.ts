import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { accessLogDestinationEncryptionRule as rule } from '../../../../lib/policy/rules/deploy/access-log-destination-encryption';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('DEPLOY1-AccessLogDestinationEncryption', () => {
  it('L2: an SSE-S3 log bucket passes, an SSE-KMS one fails', () => {
    const stack = testStack();
    const good = new s3.Bucket(stack, 'GoodLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const bad = new s3.Bucket(stack, 'KmsLogs', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    new s3.Bucket(stack, 'ToGood', { serverAccessLogsBucket: good });
    new s3.Bucket(stack, 'ToBad', { serverAccessLogsBucket: bad });
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^ToBad[0-9A-F]+: LoggingConfiguration\.DestinationBucketName=KmsLogs[0-9A-F]+-aws-kms$/)]);
  });

  it('L1: the destination named by Ref or by its literal name; DSSE-KMS too; a parameter algorithm is unresolved', () => {
    const logBucket = (algorithm: unknown): CfnTemplate['Resources'] => ({
      Logs: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'edu-logs', BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: algorithm } }] } },
      },
    });
    const source = (destination: unknown): CfnTemplate['Resources'] => ({
      Lake: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: destination, LogFilePrefix: 'lake/' } } },
    });
    expect(violations(templateOf({ ...logBucket('AES256'), ...source({ Ref: 'Logs' }) }), rule)).toEqual([]);
    expect(violations(templateOf({ ...logBucket('aws:kms'), ...source('edu-logs') }), rule)).toEqual(['Lake: LoggingConfiguration.DestinationBucketName=Logs-aws-kms']);
    expect(violations(templateOf({ ...logBucket('aws:kms:dsse'), ...source({ Ref: 'Logs' }) }), rule)).toEqual(['Lake: LoggingConfiguration.DestinationBucketName=Logs-aws-kms-dsse']);
    const parameter = templateOf({ ...logBucket({ Ref: 'Algorithm' }), ...source({ Ref: 'Logs' }) }, { Parameters: { Algorithm: { Type: 'String' } } });
    expect(unresolvedWarnings(parameter, rule)).toEqual(['Lake: LoggingConfiguration.DestinationBucketName=Logs-SSEAlgorithm-unresolved']);
    expect(violations(templateOf(source('bucket-elsewhere')), rule)).toEqual([]);
  });
});
