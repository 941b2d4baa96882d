import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { mentionsTenant, s3ObjectPattern, S3_OBJECT_ACTIONS } from '../../../cfn/s3-object-arns';
import { actionsTouch, globCovers } from '../../../cfn/statement-conditions';
import { CfnTemplate, EduRule } from '../../rule';

/** Identity-policy resource types this rule reads. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy', 'AWS::SSO::PermissionSet',
];

const cache = new WeakMap<CfnTemplate, Set<string>>();

/** Buckets (as `${LogicalId}` or written name) that some policy of the template addresses by tenant prefix. */
export function tenantPrefixedBuckets(template: CfnTemplate): Set<string> {
  let found = cache.get(template);
  if (found) return found;
  found = new Set<string>();
  for (const resource of Object.values(template.Resources ?? {})) {
    for (const doc of policyDocumentsOf(resource)) {
      for (const st of normalizeStatements(doc.document)) {
        for (const r of st.resources) {
          const pattern = s3ObjectPattern(r, template);
          if (pattern && mentionsTenant(pattern.key)) found.add(pattern.bucket);
        }
      }
    }
  }
  cache.set(template, found);
  return found;
}

/**
 * DATA-4 (tenant layout, warning). When a template addresses a lake bucket by
 * `tenant_code=<code>/` prefixes, an identity-policy Allow of object actions on
 * the whole bucket (`bucket/*`, `arn:aws:s3:::*`, `*`) bypasses that layout.
 * A warning, not an error: a platform-wide role may legitimately need every
 * tenant, but the baseline grants it each tenant prefix explicitly, so a
 * bucket-wide grant deserves a look (or an acknowledgment with a reason).
 * Limits: a bucket counts as tenant-prefixed only if this template names a
 * tenant prefix on it; grants in other stacks are not seen.
 */
export const lakeGrantsUseTenantPrefixesRule: EduRule = {
  id: 'DATA4-LakeGrantsUseTenantPrefixes',
  control: 'DATA-4',
  severity: 'warning',
  resourceTypes: IDENTITY_POLICY_TYPES,
  info:
    'An identity policy grants object access to a whole lake bucket that is organised by tenant_code=<code>/ prefixes. Grant per tenant with ' +
    'DataLake.grantTenantRead/grantTenantReadWrite, or grantRead/grantReadWrite (which list each tenant prefix), instead of bucket.grantRead or "bucket/*".',
  explanation:
    'Tenant data lives under tenant_code=<code>/ (DATA-4, TENANT-1, edu Security Overview, "Row-level security": multi-tenant deployments recreate a ' +
    'single-tenant experience). A bucket-wide grant reaches every tenant\'s student records at once.',
  check(resource, { template }) {
    const buckets = tenantPrefixedBuckets(template);
    if (buckets.size === 0) return { violations: [], unresolved: [] };
    const violations: string[] = [];
    for (const doc of policyDocumentsOf(resource)) {
      if (doc.kind !== 'identity') continue;
      for (const st of normalizeStatements(doc.document)) {
        if (st.effect !== 'Allow' || !actionsTouch(st, S3_OBJECT_ACTIONS)) continue;
        for (const r of st.resources) {
          const pattern = s3ObjectPattern(r, template);
          if (!pattern || mentionsTenant(pattern.key)) continue;
          const reachesLake = [...buckets].some((b) => globCovers(pattern.bucket, b) && globCovers(pattern.key, 'tenant_code=*'));
          if (reachesLake) violations.push(`${doc.location}.Statement[${st.index}].Resource=${findingPart(pattern.text, 80)}`);
        }
      }
    }
    return { violations, unresolved: [] };
  },
};
