import { statementsOf } from '../../../cfn/branches';
import { conditionKeys } from '../../../cfn/key-users';
import { findingPart } from '../../vocabulary';
import { policyDocumentsOf } from '../../../cfn/policy-documents';
import { hasRestrictingCondition } from '../../../cfn/statement-conditions';
import { flattenString } from '../../../cfn/values';
import { EduRule, RuleOutcome } from '../../rule';
import { SOURCE_KEYS } from './trust-policy';

/**
 * Services whose documentation recommends `aws:SourceArn` over
 * `aws:SourceAccount` for their resource-policy statements: CloudTrail calls
 * aws:SourceAccount "supported, but not recommended" ("Configure AWS KMS key
 * policies for CloudTrail"; "Amazon S3 bucket policy for CloudTrail").
 */
const SOURCE_ARN_SERVICES: ReadonlySet<string> = new Set(['cloudtrail.amazonaws.com']);
const SOURCE_ARN: ReadonlySet<string> = new Set(['aws:sourcearn']);

/**
 * IAM-3 on resource policies: a statement that admits an AWS service
 * principal (bucket, key, topic, queue and log resource policies; Lambda
 * permissions) binds it to this deployment with `aws:SourceArn` or
 * `aws:SourceAccount` (positive operator, a value that pins something), so
 * another account's trail, alarm or bucket cannot make the service act on
 * this resource ("The confused deputy problem", IAM User Guide).
 * - CloudTrail needs `aws:SourceArn` (see {@link SOURCE_ARN_SERVICES}).
 * - On a KMS key, a positive condition on the service's encryption context
 *   (`kms:EncryptionContext:aws:logs:arn` naming log groups) binds the use to
 *   named resources as well, and is what CloudWatch Logs documents.
 * - AWS::Lambda::Permission: `SourceArn` or `SourceAccount` must be set.
 * Deny statements restrict and are not judged.
 */
export const servicePrincipalSourceRule: EduRule = {
  id: 'IAM3-ServicePrincipalSource',
  control: 'IAM-3',
  severity: 'error',
  resourceTypes: [
    'AWS::S3::BucketPolicy', 'AWS::KMS::Key', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Logs::ResourcePolicy', 'AWS::Lambda::Permission',
  ],
  info:
    'A resource policy admits an AWS service without binding it to this deployment. Add conditions: { StringEquals: { "aws:SourceAccount": ' +
    '<account> }, ArnLike: { "aws:SourceArn": <the trail, alarm, bucket or rule ARN> } } (CloudTrail: aws:SourceArn of the trail); on ' +
    'AWS::Lambda::Permission set SourceArn or SourceAccount.',
  explanation:
    'Without a source condition any customer\'s trail, alarm or bucket could direct the same AWS service to write into, read from or use ' +
    'this deployment\'s buckets and keys (the cross-service confused deputy), reaching audit evidence and student data.',
  check(resource, { template }): RuleOutcome {
    const violations: string[] = [];
    if (resource.Type === 'AWS::Lambda::Permission') {
      const props = resource.Properties ?? {};
      const principal = flattenString(props.Principal, template).text;
      if (principal.endsWith('.amazonaws.com') && props.SourceArn === undefined && props.SourceAccount === undefined) {
        violations.push(`Principal=${findingPart(principal)}-without-SourceArn-or-SourceAccount`);
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
          const strict = SOURCE_ARN_SERVICES.has(service);
          const contextKeys = new Set(conditionKeys(st).filter((k) => k.startsWith('kms:encryptioncontext:')));
          const bound =
            hasRestrictingCondition(st, strict ? SOURCE_ARN : SOURCE_KEYS) ||
            (!strict && resource.Type === 'AWS::KMS::Key' && contextKeys.size > 0 && hasRestrictingCondition(st, contextKeys));
          if (!bound) {
            violations.push(`${doc.location}.Statement[${st.index}].Principal.Service=${findingPart(service)}-without-${strict ? 'aws:SourceArn' : 'aws:SourceArn-or-aws:SourceAccount'}`);
          }
        }
      }
    }
    return { violations, unresolved: [] };
  },
};
