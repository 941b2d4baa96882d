import { bucketPolicyTarget, BucketTarget, coversBucketAndObjects, LocatedStatement, statementsForBucket } from '../../../cfn/bucket-policy-statements';
import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { bucketNameText } from '../../../cfn/s3-buckets';
import { isSecureTransportFalseCondition, namesEveryone, tlsVersionLowerBound } from '../../../cfn/statement-conditions';
import { CfnTemplate, EduRule, RuleOutcome } from '../../rule';

const MINIMUM_TLS = 1.2;

/** A Deny that applies to everyone, for every S3 action, on the bucket and all its objects. */
function broadDeny(located: LocatedStatement, target: BucketTarget, template: CfnTemplate): boolean | 'unresolved' {
  const st = located.statement;
  if (st.effect !== 'Deny' || !namesEveryone(st) || st.notPrincipals.length > 0) return false;
  const allActions = st.actions.some((a) => typeof a === 'string' && (a === '*' || a.toLowerCase() === 's3:*'));
  if (!allActions) return false;
  return coversBucketAndObjects(st, target, template);
}

/** The DATA-2 findings of the statements protecting one bucket. */
export function tlsDenyFindings(statements: readonly LocatedStatement[], target: BucketTarget, template: CfnTemplate): RuleOutcome {
  const violations: string[] = [];
  const unresolved: string[] = [];
  let secureTransport: boolean | 'unresolved' = false;
  let tlsBound: number | undefined;
  let tlsUnresolved = false;
  for (const located of statements) {
    if (isSecureTransportFalseCondition(located.statement)) {
      const broad = broadDeny(located, target, template);
      if (broad === true) secureTransport = true;
      else if (broad === 'unresolved' && secureTransport === false) secureTransport = 'unresolved';
    }
    const bound = tlsVersionLowerBound(located.statement);
    if (bound !== undefined) {
      const broad = broadDeny(located, target, template);
      if (broad === true) tlsBound = Math.max(tlsBound ?? 0, bound);
      else if (broad === 'unresolved') tlsUnresolved = true;
    }
  }
  if (secureTransport === false) violations.push('SecureTransportDeny=absent');
  if (secureTransport === 'unresolved') unresolved.push('SecureTransportDeny.Resource=unresolved');
  if (tlsBound === undefined) {
    if (tlsUnresolved) unresolved.push('TlsVersionDeny.Resource=unresolved');
    else violations.push('TlsVersionDeny=absent');
  } else if (tlsBound < MINIMUM_TLS) {
    violations.push(`TlsVersionDeny.NumericLessThan=${findingPart(String(tlsBound))}`);
  }
  return { violations, unresolved };
}

/**
 * DATA-2. On a template bucket: its bucket policy (an AWS::S3::BucketPolicy
 * whose `Bucket` is a Ref to it or its literal BucketName) must hold a Deny
 * for `aws:SecureTransport` false and a Deny for `s3:TlsVersion` below 1.2, each
 * to `*`, for `s3:*`, on the bucket and `bucket/*`, with no other condition
 * narrowing it. The finding goes on the bucket (the resource left unprotected).
 * A BucketPolicy for a bucket outside the template is checked on itself.
 */
export const bucketTlsOnlyRule: EduRule = {
  id: 'DATA2-BucketTlsOnly',
  control: 'DATA-2',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
  info:
    'The bucket policy does not deny requests without TLS and below TLS 1.2. Set enforceSSL: true and minimumTLSVersion: 1.2 on the Bucket ' +
    '(L1/JSON: two Deny statements with Principal "*", Action "s3:*", Resource [bucket ARN, bucket ARN/*], one with ' +
    'Condition Bool aws:SecureTransport "false", one with NumericLessThan s3:TlsVersion 1.2; no other condition in them).',
  explanation:
    'Student records must be encrypted in transit (edu Security Overview: "All data is encrypted both in transit and at rest"). Without the denies S3 ' +
    'accepts plain HTTP and TLS 1.0/1.1 from any client that holds credentials, exposing FERPA-protected data on the wire.',
  check(resource, { logicalId, template }) {
    if (resource.Type === 'AWS::S3::BucketPolicy') {
      const { inTemplate, target } = bucketPolicyTarget(resource.Properties?.Bucket, template);
      if (inTemplate) return { violations: [], unresolved: [] };
      const statements = policyDocumentsOf(resource).flatMap((doc) =>
        normalizeStatements(doc.document).map((statement) => ({ at: `Statement[${statement.index}]`, statement })),
      );
      return tlsDenyFindings(statements, target, template);
    }
    const { statements, policyCount, unknownTargets } = statementsForBucket(logicalId, template);
    if (policyCount === 0) {
      return unknownTargets.length > 0
        ? { violations: [], unresolved: unknownTargets.map((t) => `BucketPolicy=${t}`) }
        : { violations: ['BucketPolicy=absent'], unresolved: [] };
    }
    return tlsDenyFindings(statements, { logicalId, name: bucketNameText(resource, template) }, template);
  },
};
