import { statementsOf } from '../../cfn/branches';
import { conditionKeys } from '../../cfn/key-users';
import { findingPart } from '../../cfn/finding-id';
import { policyDocumentsOf } from '../../cfn/policy-documents';
import { hasRestrictingCondition } from '../../cfn/statement-conditions';
import { flattenString } from '../../cfn/values';
import { EduRule, RuleOutcome } from '../../rule';

const SOURCE_ARN: ReadonlySet<string> = new Set(['aws:sourcearn']);

/**
 * IAM-3 on resource policies: a statement that admits an AWS service
 * principal (bucket, key, topic, queue and log resource policies; Lambda
 * permissions) names the resource the service acts for with `aws:SourceArn`
 * (positive operator, a value that pins something), so another account's
 * trail, alarm or bucket cannot make the service act on this resource
 * ("The confused deputy problem", IAM User Guide). The catalog asks for
 * `aws:SourceArn`, not `aws:SourceAccount` alone: an account binding still lets
 * every trail, alarm or bucket of the account use the resource, and CloudTrail
 * calls aws:SourceAccount "supported, but not recommended" ("Configure AWS KMS
 * key policies for CloudTrail"; "Amazon S3 bucket policy for CloudTrail").
 * - On a KMS key, a positive condition on the service's encryption context
 *   (`kms:EncryptionContext:aws:logs:arn` naming log groups) binds the use to
 *   named resources as well, and is the form CloudWatch Logs documents
 *   ("Encrypt log data in CloudWatch Logs using AWS KMS").
 * - AWS::Lambda::Permission: `SourceArn` must be set.
 * - A service whose requests carry no source keys (EventBridge delivering to an
 *   encrypted SNS topic) cannot be bound this way: the baseline does not admit
 *   it; a user who needs it records an exception.
 * Deny statements restrict and are not judged.
 */
export const servicePrincipalSource: EduRule = {
  id: 'IAM3-ServicePrincipalSource',
  control: 'IAM-3',
  severity: 'error',
  resourceTypes: [
    'AWS::S3::BucketPolicy', 'AWS::KMS::Key', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Logs::ResourcePolicy', 'AWS::Lambda::Permission',
  ],
  info:
    'A resource policy admits an AWS service without naming the resource it acts for. Add conditions: { StringEquals: { "aws:SourceAccount": ' +
    '<account> }, ArnLike: { "aws:SourceArn": <the trail, alarm, bucket or log group ARN> } } (on a KMS key for CloudWatch Logs, ' +
    'kms:EncryptionContext:aws:logs:arn naming the log groups); on AWS::Lambda::Permission set SourceArn.',
  explanation:
    'Without a source condition any customer\'s trail, alarm or bucket could direct the same AWS service to write into, read from or use ' +
    'this deployment\'s buckets and keys (the cross-service confused deputy), reaching audit evidence and student data.',
  check(resource, { template }): RuleOutcome {
    const violations: string[] = [];
    if (resource.Type === 'AWS::Lambda::Permission') {
      const props = resource.Properties ?? {};
      const principal = flattenString(props.Principal, template).text;
      if (principal.endsWith('.amazonaws.com') && props.SourceArn === undefined) {
        violations.push(`Principal=${findingPart(principal)}-without-SourceArn`);
      }
      return { violations, unresolved: [] };
    }
    for (const doc of policyDocumentsOf(resource)) {
      if (doc.kind !== 'resource') continue;
      for (const st of statementsOf(doc.document)) {
        if (st.effect !== 'Allow') continue;
        for (const p of st.principals) {
          if (p.type !== 'Service') continue;
          const service = flattenString(p.value, template).text;
          // CloudTrail documents an encryption-context condition beside
          // aws:SourceArn, not instead of it, so its context key does not count.
          const contextKeys = new Set(
            conditionKeys(st).filter((k) => k.startsWith('kms:encryptioncontext:') && !(service === 'cloudtrail.amazonaws.com' && k.includes(':aws:cloudtrail:'))),
          );
          const bound =
            hasRestrictingCondition(st, SOURCE_ARN) ||
            (resource.Type === 'AWS::KMS::Key' && contextKeys.size > 0 && hasRestrictingCondition(st, contextKeys));
          if (!bound) {
            violations.push(`${doc.location}.Statement[${st.index}].Principal.Service=${findingPart(service)}-without-aws:SourceArn`);
          }
        }
      }
    }
    return { violations, unresolved: [] };
  },
};
