import { bucketEncryptionRules } from '../../../cfn/key-users';
import { bucketNamedBy } from '../../../cfn/s3-buckets';
import { isRecord, knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

/**
 * DEPLOY-1 for S3 server access logging: the log delivery service cannot use
 * a KMS key, so a destination bucket whose default encryption is SSE-KMS
 * (`aws:kms`, `aws:kms:dsse`) receives no logs ("Enabling Amazon S3 server
 * access logging", Amazon S3 User Guide: default encryption of the destination
 * bucket must be SSE-S3). Checked on the source bucket whose
 * LoggingConfiguration names a template bucket; a destination outside the
 * template cannot be judged and is not reported.
 */
export const accessLogDestinationEncryptionRule: EduRule = {
  id: 'DEPLOY1-AccessLogDestinationEncryption',
  control: 'DEPLOY-1',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info:
    'The bucket sends its server access logs to a bucket encrypted with SSE-KMS, which S3 log delivery cannot use. Give the log bucket ' +
    'SSE-S3 (encryption: s3.BucketEncryption.S3_MANAGED; L1 SSEAlgorithm AES256), as DataLake does for its access-log bucket.',
  explanation:
    'Server access logs are the record of every request to the student-data buckets (DATA-5). With an SSE-KMS destination they are never ' +
    'delivered, and nobody notices until the evidence is needed.',
  check(resource, { template }) {
    const logging = resource.Properties?.LoggingConfiguration;
    const destination = isRecord(logging) ? logging.DestinationBucketName : undefined;
    const targetId = destination === undefined ? undefined : bucketNamedBy(destination, template);
    const target = targetId !== undefined ? template.Resources?.[targetId] : undefined;
    if (!target) return { violations: [], unresolved: [] };
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const rule of bucketEncryptionRules(target)) {
      const algorithm = knownString(rule.algorithm, template);
      if (algorithm === undefined) unresolved.push(`LoggingConfiguration.DestinationBucketName=${targetId}-SSEAlgorithm-unresolved`);
      else if (algorithm.startsWith('aws:kms')) violations.push(`LoggingConfiguration.DestinationBucketName=${targetId}-${algorithm.replace(/:/g, '-')}`);
    }
    return { violations, unresolved };
  },
};
