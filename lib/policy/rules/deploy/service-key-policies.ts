import { statementsOf } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { bucketEncryptionRules, hasEncryptionContextCondition, keyLocation, namesKey, resourcesUsingKey, serviceGrants } from '../../../cfn/key-users';
import { bucketNamedBy } from '../../../cfn/s3-buckets';
import { actionsCover, globCovers } from '../../../cfn/statement-conditions';
import { readBoolean } from '../../../cfn/booleans';
import { asArray, flattenString, isRecord, knownString, referencedLogicalIds } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

const CLOUDTRAIL = /^cloudtrail\.amazonaws\.com$/;
/** CloudWatch Logs encrypts as its regional principal (`logs.<region>.amazonaws.com`). */
const LOGS = /^logs\.([a-z0-9-]+|\$\{AWS::Region\})\.amazonaws\.com$/;

function serviceRegex(service: string): RegExp {
  return new RegExp(`^${service.replace(/[.+^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * CloudTrail ("Configure AWS KMS key policies for CloudTrail"): GenerateDataKey*
 * for the log files; DescribeKey, which carries no encryption context, so a
 * statement conditioned on one never matches; and Decrypt when the trail's
 * bucket encrypts with the key through an S3 Bucket Key.
 */
function trailFindings(keyId: string, key: TemplateResource, template: CfnTemplate, out: RuleOutcome & { violations: string[] }): void {
  for (const [trailId, trail] of resourcesUsingKey(keyId, 'AWS::CloudTrail::Trail', 'KMSKeyId', template)) {
    const at = `CloudTrail[${trailId}]`;
    if (serviceGrants(key, CLOUDTRAIL, 'kms:GenerateDataKey', template).length === 0) out.violations.push(`${at}.kms:GenerateDataKey*=absent`);
    const describe = serviceGrants(key, CLOUDTRAIL, 'kms:DescribeKey', template);
    if (describe.length === 0) out.violations.push(`${at}.kms:DescribeKey=absent`);
    else if (describe.every(hasEncryptionContextCondition)) out.violations.push(`${at}.kms:DescribeKey=encryption-context-condition`);
    const bucketId = bucketNamedBy(trail.Properties?.S3BucketName, template);
    const bucket = bucketId !== undefined ? template.Resources?.[bucketId] : undefined;
    if (!bucket) continue;
    const bucketKey = bucketEncryptionRules(bucket).some(
      (r) => namesKey(r.key, keyId, template) && readBoolean(r.bucketKey, template) === true,
    );
    if (!bucketKey) continue;
    const decrypt = serviceGrants(key, CLOUDTRAIL, 'kms:Decrypt', template);
    if (decrypt.length === 0) out.violations.push(`${at}.kms:Decrypt=absent-with-S3-Bucket-Key`);
    else if (decrypt.every(hasEncryptionContextCondition)) out.violations.push(`${at}.kms:Decrypt=encryption-context-condition`);
  }
}

/** The ARN pattern a `kms:EncryptionContext:aws:logs:arn` condition value allows, with region and account fields opened. */
function logsArnPattern(value: unknown, template: CfnTemplate): string {
  const text = flattenString(value, template).text.replace(/\$\{AWS::Partition\}/g, 'aws');
  // Pseudo parameters hold `::` of their own; they stand for one field each.
  const fields = text.replace(/\$\{AWS::[A-Za-z]+\}/g, 'x').split(':');
  if (fields.length >= 6) {
    fields[3] = '*';
    fields[4] = '*';
  }
  return fields.join(':');
}

/**
 * CloudWatch Logs ("Encrypt log data in CloudWatch Logs using AWS KMS"): the
 * regional logs principal needs Encrypt, Decrypt, GenerateDataKey and
 * DescribeKey; a `kms:EncryptionContext:aws:logs:arn` condition must match the
 * group, or CreateLogGroup/AssociateKmsKey fails.
 */
function logGroupFindings(keyId: string, key: TemplateResource, template: CfnTemplate, out: RuleOutcome & { violations: string[]; unresolved: string[] }): void {
  for (const [groupId, group] of resourcesUsingKey(keyId, 'AWS::Logs::LogGroup', 'KmsKeyId', template)) {
    const at = `Logs[${groupId}]`;
    const name = knownString(group.Properties?.LogGroupName, template);
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']) {
      const grants = serviceGrants(key, LOGS, action, template);
      if (grants.length === 0) {
        out.violations.push(`${at}.${action}=absent`);
        continue;
      }
      if (name === undefined) continue;
      const target = `arn:aws:logs:x:x:log-group:${name}`;
      const matches = grants.some((st) => {
        const values = Object.values(st.condition).flatMap((block) =>
          isRecord(block) ? Object.entries(block).filter(([k]) => k.toLowerCase() === 'kms:encryptioncontext:aws:logs:arn').flatMap(([, v]) => asArray(v)) : [],
        );
        return values.length === 0 || values.some((v) => globCovers(logsArnPattern(v, template), target));
      });
      if (!matches) out.violations.push(`${at}.${action}=encryption-context-excludes-${findingPart(name, 60)}`);
    }
  }
}

/**
 * SNS ("Enable compatibility between event sources from AWS services and
 * encrypted topics"): a service the topic policy lets publish (CloudWatch
 * alarms, EventBridge, ...) needs GenerateDataKey* and Decrypt on the topic's key.
 */
function topicFindings(keyId: string, key: TemplateResource, template: CfnTemplate, out: RuleOutcome & { violations: string[] }): void {
  for (const [topicId] of resourcesUsingKey(keyId, 'AWS::SNS::Topic', 'KmsMasterKeyId', template)) {
    const publishers = new Set<string>();
    for (const policy of Object.values(template.Resources ?? {})) {
      if (policy.Type !== 'AWS::SNS::TopicPolicy' || !asArray(policy.Properties?.Topics).some((t) => referencedLogicalIds(t).has(topicId))) continue;
      for (const st of statementsOf(policy.Properties?.PolicyDocument)) {
        if (st.effect !== 'Allow' || !actionsCover(st, ['sns:Publish'])) continue;
        for (const p of st.principals) if (p.type === 'Service') publishers.add(flattenString(p.value, template).text);
      }
    }
    for (const service of publishers) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        if (serviceGrants(key, serviceRegex(service), action, template).length === 0) {
          out.violations.push(`SNS[${topicId}].${findingPart(service, 60)}.${action}=absent`);
        }
      }
    }
  }
}

/**
 * DEPLOY-1: AWS services can use the keys the template gives them. For each
 * customer-managed key of the template, the key policy must let each service
 * that encrypts with it do what AWS documents:
 * - a trail whose KMSKeyId names the key: cloudtrail.amazonaws.com gets
 *   kms:GenerateDataKey*, kms:DescribeKey in a statement without an
 *   encryption-context condition, and kms:Decrypt (also without one) when the
 *   trail's bucket encrypts with the key through an S3 Bucket Key;
 * - a log group whose KmsKeyId names the key: logs.<region>.amazonaws.com gets
 *   Encrypt, Decrypt, GenerateDataKey and DescribeKey, and an
 *   encryption-context condition must match the group's name;
 * - a topic whose KmsMasterKeyId names the key: every service its topic
 *   policy lets publish gets kms:GenerateDataKey* and kms:Decrypt.
 * A trail, log group or topic whose key is not in the template (a literal
 * ARN, an import) cannot be judged and is reported as unresolved. The source
 * conditions AWS recommends (aws:SourceArn) are IAM-3's; S3 server access
 * logging into an SSE-KMS bucket is DEPLOY1-AccessLogDestinationEncryption.
 */
export const serviceKeyPoliciesRule: EduRule = {
  id: 'DEPLOY1-ServiceKeyPolicies',
  control: 'DEPLOY-1',
  severity: 'error',
  resourceTypes: ['AWS::KMS::Key', 'AWS::CloudTrail::Trail', 'AWS::Logs::LogGroup', 'AWS::SNS::Topic'],
  info:
    'An AWS service that encrypts with this key is not allowed to use it as AWS documents, so the deploy (or delivery) fails. For CloudTrail add ' +
    'statements for cloudtrail.amazonaws.com: kms:GenerateDataKey* (condition aws:SourceArn of the trail), kms:DescribeKey with no ' +
    'kms:EncryptionContext condition, and kms:Decrypt when the trail bucket has BucketKeyEnabled; for log groups allow logs.<region>.amazonaws.com ' +
    'with kms:EncryptionContext:aws:logs:arn matching the group; for encrypted topics allow each publishing service kms:GenerateDataKey* and kms:Decrypt.',
  explanation:
    'CloudTrail refuses to create a trail whose key it cannot describe (InsufficientEncryptionPolicyException); CloudWatch Logs refuses an encrypted ' +
    'group whose key it cannot use; alarms silently fail to publish to a topic whose key they cannot use. Audit evidence and alerts about student ' +
    'data then never exist, and every stack that depends on the failed one never deploys.',
  check(resource, { logicalId, template }) {
    const out = { violations: [] as string[], unresolved: [] as string[] };
    if (resource.Type !== 'AWS::KMS::Key') {
      const property = resource.Type === 'AWS::CloudTrail::Trail' ? 'KMSKeyId' : resource.Type === 'AWS::Logs::LogGroup' ? 'KmsKeyId' : 'KmsMasterKeyId';
      const value = resource.Properties?.[property];
      if (value !== undefined && keyLocation(value, template) === 'elsewhere' && !/alias\/aws\//.test(flattenString(value, template).text)) {
        out.unresolved.push(`${property}=key-policy-not-in-template`);
      }
      return out;
    }
    trailFindings(logicalId, resource, template, out);
    logGroupFindings(logicalId, resource, template, out);
    topicFindings(logicalId, resource, template, out);
    return out;
  },
};
