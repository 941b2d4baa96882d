import { principalAccount } from '../../../cfn/accounts';
import { bucketPolicyTarget, LocatedStatement, statementsForBucket } from '../../../cfn/bucket-policy-statements';
import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { hasRestrictingCondition, namesEveryone } from '../../../cfn/statement-conditions';
import { EduRule, RuleContext, RuleOutcome } from '../../rule';

/** Condition keys that pin an Allow-to-`*` to a named principal or source resource. */
const NAMING_KEYS: ReadonlySet<string> = new Set([
  'aws:principalarn', 'aws:userid', 'aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner', 'aws:principalaccount',
]);

function namedPrincipalFindings(statements: readonly LocatedStatement[], context: RuleContext): RuleOutcome {
  const violations: string[] = [];
  const unresolved: string[] = [];
  for (const { at, statement } of statements) {
    if (statement.effect !== 'Allow') continue;
    // Allow-to-* without any restriction is DATA-3's finding; here only the
    // ones DATA-3 accepts but that still do not name who may act.
    if (namesEveryone(statement) && hasRestrictingCondition(statement) && !hasRestrictingCondition(statement, NAMING_KEYS)) {
      violations.push(`${at}.Principal=*:not-named`);
    }
    for (const principal of statement.principals) {
      if (principal.type === 'Federated') violations.push(`${at}.Principal.Federated`);
      if (principal.type !== 'AWS' || principal.value === '*') continue;
      const owner = principalAccount(principal.value, context);
      if (owner.kind === 'other') violations.push(`${at}.Principal.AWS=account-${owner.account}`);
      else if (owner.kind === 'unknown') unresolved.push(`${at}.Principal.AWS=${findingPart(owner.text, 80)}`);
    }
  }
  return { violations, unresolved };
}

/**
 * DATA-4 (decidable part, on bucket policies). Allow statements name specific
 * principals of the deployment's own account (or AWS service principals):
 * no AWS principal from another account, no federated principal, and no
 * Allow to `*` that is merely restricted by network or organisation
 * (aws:SourceVpce, aws:SourceIp, aws:PrincipalOrgID) rather than by a named
 * principal or source (aws:PrincipalArn, aws:SourceArn, aws:SourceAccount, ...).
 *
 * Not decidable from a template: whether a named role is really the
 * orchestration, warehouse or an administrator role (names are free text);
 * identity-policy grants on the bucket are judged by IAM-1 and, for tenant
 * prefixes, by DATA4-LakeGrantsUseTenantPrefixes and TENANT-1. A literal
 * account that cannot be compared with the deployment account is reported
 * as unresolved (see lib/cfn/accounts.ts for how the own account is told).
 */
export const bucketPolicyNamedPrincipalsRule: EduRule = {
  id: 'DATA4-BucketPolicyNamedPrincipals',
  control: 'DATA-4',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
  info:
    'A bucket-policy Allow does not name a principal of this deployment. Grant access with the DataLake grant* methods (or bucket.grantRead/' +
    'grantReadWrite) to the orchestration role, the warehouse integration role and administrators; remove principals of other accounts and ' +
    'Allow-to-* statements that are only limited by network or organisation.',
  explanation:
    'The security overview (edu Security Overview, "Where is data stored?") scopes the lake to the services that need it, the Snowflake integration and AWS ' +
    'administrators. A grant to another account or to anyone in a network or organisation reaches student records beyond those named parties.',
  check(resource, context) {
    const { logicalId, template } = context;
    if (resource.Type === 'AWS::S3::BucketPolicy') {
      if (bucketPolicyTarget(resource.Properties?.Bucket, template).inTemplate) return { violations: [], unresolved: [] };
      const statements = policyDocumentsOf(resource).flatMap((doc) =>
        normalizeStatements(doc.document).map((statement) => ({ at: `Statement[${statement.index}]`, statement })),
      );
      return namedPrincipalFindings(statements, context);
    }
    return namedPrincipalFindings(statementsForBucket(logicalId, template).statements, context);
  },
};
