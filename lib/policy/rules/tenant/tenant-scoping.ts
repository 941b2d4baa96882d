import { TAG } from '../../../../constructs/conventions';
import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { mentionsTenant, s3ObjectPattern, S3_OBJECT_ACTIONS, tenantOfKey } from '../../../cfn/s3-object-arns';
import { actionsTouch, globCovers } from '../../../cfn/statement-conditions';
import { asArray, intrinsicName, isRecord, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, TemplateResource } from '../../rule';

export const TENANT_TAG = TAG.tenantCode;
const TENANT_CODE = /^[a-z0-9_]{1,32}$/;

/** The tenant_code tag values of a resource as written (list or map tags, EFS tag properties). */
function tenantTags(resource: TemplateResource): unknown[] {
  const props = resource.Properties ?? {};
  const values: unknown[] = [];
  for (const property of ['Tags', 'FileSystemTags', 'AccessPointTags']) {
    const tags = props[property];
    if (Array.isArray(tags)) {
      for (const tag of tags) if (isRecord(tag) && tag.Key === TENANT_TAG) values.push(tag.Value);
    } else if (isRecord(tags) && intrinsicName(tags) === undefined && TENANT_TAG in tags) {
      values.push(tags[TENANT_TAG]);
    }
  }
  return values;
}

function tenantOf(resource: TemplateResource | undefined, template: CfnTemplate): string | undefined {
  if (!resource) return undefined;
  const code = tenantTags(resource).map((v) => knownString(v, template)).find((v) => v !== undefined);
  return code !== undefined && TENANT_CODE.test(code) ? code : undefined;
}

/** Tenants of the principals a policy resource applies to: itself, or the template roles/users/groups it is attached to. */
function principalTenants(logicalId: string, resource: TemplateResource, template: CfnTemplate): Map<string, string> {
  const tenants = new Map<string, string>();
  const resources = template.Resources ?? {};
  const own = tenantOf(resource, template);
  if (own !== undefined) tenants.set(logicalId, own);
  const props = resource.Properties ?? {};
  const attached = [...asArray(props.Roles), ...asArray(props.Users), ...asArray(props.Groups), props.RoleName, props.UserName, props.GroupName];
  for (const value of attached) {
    if (intrinsicName(value) === undefined) continue;
    const id = referencedLogicalId(value);
    const tenant = id !== undefined ? tenantOf(resources[id], template) : undefined;
    if (id !== undefined && tenant !== undefined) tenants.set(id, tenant);
  }
  if (resource.Type === 'AWS::IAM::ManagedPolicy') {
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::IAM::Role' && r.Type !== 'AWS::IAM::User' && r.Type !== 'AWS::IAM::Group') continue;
      const usesIt = asArray(r.Properties?.ManagedPolicyArns).some((arn) => intrinsicName(arn) !== undefined && referencedLogicalId(arn) === logicalId);
      const tenant = tenantOf(r, template);
      if (usesIt && tenant !== undefined) tenants.set(id, tenant);
    }
  }
  return tenants;
}

/**
 * TENANT-1, the part a template decides:
 * 1. a `tenant_code` tag has a value matching ^[a-z0-9_]{1,32}$ (a value with
 *    `/`, `*` or capitals would break the per-tenant paths and patterns);
 * 2. in identity policies, a statement naming `tenant_code=<x>/` object
 *    prefixes does not also name the whole bucket (`bucket/*`) or a wildcard
 *    tenant (`tenant_code=*`, `tenant_code=a*`, which also matches `ab`);
 * 3. a principal tagged tenant_code=X (the role/user itself, or the template
 *    roles/users/groups a policy is attached to) reaches S3 objects only under
 *    `tenant_code=X/`: another tenant's prefix, a bucket-wide or `*` object
 *    resource is a finding.
 * Findings go on the resource that carries the tag or the statement.
 *
 * Not decidable from a template: which resources are tenant-scoped and so
 * must carry the tag (the shared lake bucket and platform roles rightly do
 * not); whether tenant codes match the configured tenants; prefixes in other
 * stacks; row-level security in the warehouse.
 */
export const tenantScopingRule: EduRule = {
  id: 'TENANT1-TenantScoping',
  control: 'TENANT-1',
  severity: 'error',
  resourceTypes: [
    'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy',
    'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy', 'AWS::SSO::PermissionSet', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem',
    'AWS::EFS::AccessPoint', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::SSM::Parameter', 'AWS::SNS::Topic', 'AWS::SQS::Queue',
    'AWS::Lambda::Function', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service', 'AWS::EC2::Instance', 'AWS::SecretsManager::Secret',
    'AWS::DynamoDB::Table', 'AWS::Events::Rule',
  ],
  info:
    'Per-tenant access can reach another tenant\'s data, or a tenant_code tag is malformed. Grant a tenant\'s role with ' +
    'DataLake.grantTenantRead/grantTenantReadWrite(role, code) only, never the whole bucket in the same statement; tag tenant resources ' +
    'with Tags.of(x).add(\'tenant_code\', code) where code matches ^[a-z0-9_]{1,32}$.',
  explanation:
    'In a multi-tenant deployment each district\'s records live under tenant_code=<code>/ (edu Security Overview, "Row-level security": every table carries ' +
    'tenant_code). A tenant job that can read another tenant\'s prefix discloses that district\'s student records, a FERPA breach.',
  check(resource, { logicalId, template }) {
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const value of tenantTags(resource)) {
      const code = knownString(value, template);
      if (code === undefined) unresolved.push(`Tags.${TENANT_TAG}=unresolved`);
      else if (!TENANT_CODE.test(code)) violations.push(`Tags.${TENANT_TAG}=${findingPart(code, 40)}`);
    }
    const tenants = principalTenants(logicalId, resource, template);
    for (const doc of policyDocumentsOf(resource)) {
      if (doc.kind !== 'identity') continue;
      for (const st of normalizeStatements(doc.document)) {
        if (st.effect !== 'Allow') continue;
        const at = `${doc.location}.Statement[${st.index}].Resource`;
        const patterns = st.resources.map((r) => s3ObjectPattern(r, template)).filter((p) => p !== undefined);
        const tenantBuckets = patterns.filter((p) => mentionsTenant(p.key)).map((p) => p.bucket);
        for (const p of patterns) {
          const text = findingPart(p.text, 80);
          if (mentionsTenant(p.key) && tenantOfKey(p.key) === undefined) violations.push(`${at}=${text}:tenant-wildcard`);
          else if (
            !mentionsTenant(p.key) &&
            globCovers(p.key, 'tenant_code=*') &&
            tenantBuckets.some((b) => globCovers(p.bucket, b))
          ) {
            violations.push(`${at}=${text}:bucket-wide`);
          }
        }
        if (tenants.size === 0 || !actionsTouch(st, S3_OBJECT_ACTIONS)) continue;
        for (const [principal, tenant] of tenants) {
          for (const p of patterns) {
            const other = tenantOfKey(p.key);
            if (other === tenant) continue;
            if (other !== undefined) violations.push(`${at}=tenant_code=${findingPart(other, 40)}:not-${principal}-tenant-${tenant}`);
            else if (!mentionsTenant(p.key)) violations.push(`${at}=${findingPart(p.text, 80)}:outside-${principal}-tenant-${tenant}`);
          }
        }
      }
    }
    return { violations: [...new Set(violations)], unresolved };
  },
};
