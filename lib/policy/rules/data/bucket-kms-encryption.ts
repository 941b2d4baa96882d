import { isTrue } from '../../../cfn/booleans';
import { classifyKeyReference } from '../../../cfn/kms-keys';
import { findingPart } from '../../vocabulary';
import { asArray, isRecord, knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

/**
 * DATA-1 on the bucket: every default-encryption rule uses SSE-KMS with a
 * customer-managed key and an S3 Bucket Key, or DSSE-KMS with a
 * customer-managed key (S3 Bucket Keys are not supported with DSSE-KMS, so
 * BucketKeyEnabled is not required there). Log-delivery buckets that must use
 * SSE-S3 fail too: the stack acknowledges them with a reason.
 */
export const bucketKmsEncryptionRule: EduRule = {
  id: 'DATA1-BucketKmsEncryption',
  control: 'DATA-1',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info:
    'The bucket is not encrypted with a customer-managed KMS key and an S3 Bucket Key. Set encryption: BucketEncryption.KMS with ' +
    'encryptionKey: <your CustomerManagedKey> and bucketKeyEnabled: true (L1: BucketEncryption.ServerSideEncryptionConfiguration[].' +
    'ServerSideEncryptionByDefault { SSEAlgorithm: aws:kms, KMSMasterKeyID: <key ARN> } and BucketKeyEnabled: true). ' +
    'SSE-S3 (AES256), aws:kms without a key ID and alias/aws/s3 all use keys whose policy you do not control.',
  explanation:
    'The lake holds student education records (FERPA). With a customer-managed key the district decides, in the key policy and CloudTrail, ' +
    'who can decrypt them, and can revoke access by disabling the key; with SSE-S3 or the AWS-managed key anyone allowed s3:GetObject reads ' +
    'plaintext (edu Security Overview: "All data is encrypted both in transit and at rest").',
  check(resource, { template }) {
    const violations: string[] = [];
    const unresolved: string[] = [];
    const props = resource.Properties ?? {};
    const encryption = props.BucketEncryption;
    const rules = isRecord(encryption) ? asArray(encryption.ServerSideEncryptionConfiguration) : [];
    if (rules.length === 0) {
      // Since 2023 S3 applies SSE-S3 when nothing is configured.
      return { violations: ['BucketEncryption=absent'], unresolved };
    }
    rules.forEach((rule, i) => {
      const at = rules.length > 1 ? `ServerSideEncryptionConfiguration[${i}].` : '';
      const byDefault = isRecord(rule) ? rule.ServerSideEncryptionByDefault : undefined;
      if (!isRecord(rule) || !isRecord(byDefault)) {
        violations.push(`${at}ServerSideEncryptionByDefault=absent`);
        return;
      }
      const algorithm = knownString(byDefault.SSEAlgorithm, template);
      if (algorithm === undefined) {
        unresolved.push(`${at}SSEAlgorithm=unresolved`);
        return;
      }
      if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
        violations.push(`${at}SSEAlgorithm=${findingPart(algorithm)}`);
        return;
      }
      const key = classifyKeyReference(byDefault.KMSMasterKeyID, template);
      if (key.kind === 'absent') violations.push(`${at}KMSMasterKeyID=absent`);
      else if (key.kind === 'aws-managed') violations.push(`${at}KMSMasterKeyID=${key.text}`);
      else if (key.kind === 'unresolved') unresolved.push(`${at}KMSMasterKeyID=${key.text}`);
      if (algorithm === 'aws:kms' && !isTrue(rule.BucketKeyEnabled)) {
        violations.push(`${at}BucketKeyEnabled=${rule.BucketKeyEnabled === undefined ? 'absent' : findingPart(String(rule.BucketKeyEnabled))}`);
      }
    });
    return { violations, unresolved };
  },
};
