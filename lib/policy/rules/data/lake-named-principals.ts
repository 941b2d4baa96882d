import { principalAccount } from '../../../cfn/accounts';
import { statementsForBucket } from '../../../cfn/bucket-policy-statements';
import { statementsOf } from '../../../cfn/branches';
import { bucketEncryptionRules, namesKey } from '../../../cfn/key-users';
import { findingPart } from '../../vocabulary';
import { lakeBuckets } from '../../../cfn/lake-buckets';
import { NormalizedStatement } from '../../../cfn/policy-documents';
import { normalizeBucketArn, bucketNameText, normalizedBucketArn } from '../../../cfn/s3-buckets';
import { actionsCover, globCovers, isOpenConditionValue, namesEveryone } from '../../../cfn/statement-conditions';
import { asArray, flattenString, isRecord } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleContext, RuleOutcome, TemplateResource } from '../../rule';

/** Operators under which a Deny applies to every principal not listed. */
const NEGATED_ARN = /^(ArnNotEquals|ArnNotLike|StringNotEquals|StringNotLike)$/i;

/**
 * The exempted principal patterns if the statement is a Deny to everyone
 * whose only condition is a negated match on aws:PrincipalArn, else undefined.
 * Any further condition would narrow the Deny (conditions are ANDed).
 */
function exemptedPrincipals(st: NormalizedStatement): string[] | undefined {
  if (st.effect !== 'Deny' || !namesEveryone(st)) return undefined;
  const operators = Object.entries(st.condition);
  if (operators.length !== 1) return undefined;
  const [operator, block] = operators[0];
  if (!NEGATED_ARN.test(operator) || !isRecord(block)) return undefined;
  const keys = Object.entries(block);
  if (keys.length !== 1 || keys[0][0].toLowerCase() !== 'aws:principalarn') return undefined;
  return asArray(keys[0][1]).map((v) => flattenString(v).text);
}

function coversObjects(st: NormalizedStatement, bucketId: string, bucket: TemplateResource, template: CfnTemplate): boolean {
  const name = bucketNameText(bucket, template);
  const target = `${normalizedBucketArn(name)}/tenant_code=x/file`;
  return st.resources.some((r) => globCovers(normalizeBucketArn(r, bucketId, name, template).text, target));
}

function denyFindings(bucketId: string, bucket: TemplateResource, template: CfnTemplate, out: { violations: string[] }): void {
  const denies = statementsForBucket(bucketId, template).statements.filter(
    ({ statement }) =>
      exemptedPrincipals(statement) !== undefined &&
      actionsCover(statement, ['s3:GetObject', 's3:PutObject']) &&
      coversObjects(statement, bucketId, bucket, template),
  );
  if (denies.length === 0) {
    out.violations.push('BucketPolicy.DenyObjectAccessToAllButNamedPrincipals=absent');
    return;
  }
  for (const { at, statement } of denies) {
    const open = (exemptedPrincipals(statement) ?? []).filter((v) => v === '' || isOpenConditionValue('aws:PrincipalArn', v.replace(/\$\{AWS::Partition\}/g, 'aws')));
    for (const v of open) out.violations.push(`${at}.aws:PrincipalArn=${v === '' ? 'empty' : findingPart(v)}`);
  }
}

/** True if an Allow statement lets account-wide IAM policies decrypt: an AWS principal of the account without a principal or service condition. */
function accountWideDecrypt(st: NormalizedStatement, context: RuleContext): boolean {
  if (st.effect !== 'Allow' || !actionsCover(st, ['kms:Decrypt'])) return false;
  const narrowing = Object.values(st.condition).some(
    (block) => isRecord(block) && Object.keys(block).some((k) => ['aws:principalarn', 'kms:viaservice', 'aws:userid'].includes(k.toLowerCase())),
  );
  if (narrowing) return false;
  return st.principals.some((p) => p.type === '*' || (p.type === 'AWS' && (p.value === '*' || (/:root$|^\d{12}$/.test(flattenString(p.value).text) && principalAccount(p.value, context).kind !== 'other'))));
}

function keyFindings(bucket: TemplateResource, context: RuleContext, out: { violations: string[] }): void {
  const { template } = context;
  for (const [keyId, key] of Object.entries(template.Resources ?? {})) {
    if (key.Type !== 'AWS::KMS::Key') continue;
    if (!bucketEncryptionRules(bucket).some((r) => namesKey(r.key, keyId, template))) continue;
    for (const st of statementsOf(key.Properties?.KeyPolicy)) {
      if (accountWideDecrypt(st, context)) out.violations.push(`KMSMasterKeyID=${keyId}.KeyPolicy.Statement[${st.index}]-decrypt-for-the-whole-account`);
    }
  }
}

/**
 * DATA-4 on the lake (every template bucket that is not a trail or
 * server-access-log destination, as AUDIT-1 counts them):
 * - its bucket policy has a Deny to every principal of object reads and
 *   writes (at least s3:GetObject and s3:PutObject on its objects) whose only
 *   condition is a negated match (`ArnNotEquals`/`ArnNotLike`/`StringNotLike`)
 *   on `aws:PrincipalArn`, listing the principals allowed to touch student
 *   data; no listed pattern may be open (`*`, any account);
 * - its KMS key, when in the template, does not let the whole account
 *   decrypt: no Allow of kms:Decrypt to the account root (or `*`) without an
 *   `aws:PrincipalArn` or `kms:ViaService` condition (the CDK default `kms:*`
 *   for the root is exactly that).
 * Whether the listed roles are really the orchestration, warehouse and
 * break-glass roles is not decidable from a template (names are free text).
 */
export const lakeNamedPrincipalsRule: EduRule = {
  id: 'DATA4-LakeNamedPrincipals',
  control: 'DATA-4',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info:
    'The lake does not restrict student data to named principals. Use DataLake with objectAccessPrincipalArns (the orchestration, warehouse ' +
    'and break-glass roles), which adds a bucket-policy Deny of object access with ArnNotLike aws:PrincipalArn and names the same roles in the ' +
    'key policy through kms:ViaService s3; give the key rootAccess: "administration" (CustomerManagedKey) instead of the default kms:* for the account.',
  explanation:
    'Without the Deny and a key that names its users, any present or future principal of the account with s3:GetObject and kms:Decrypt reads ' +
    'every student record (FERPA); an explicit Deny in the bucket policy holds whatever identity policies later say.',
  check(resource, context): RuleOutcome {
    const { logicalId, template } = context;
    if (!lakeBuckets(template).includes(logicalId)) return { violations: [], unresolved: [] };
    const out = { violations: [] as string[] };
    denyFindings(logicalId, resource, template, out);
    keyFindings(resource, context, out);
    return { violations: out.violations, unresolved: [] };
  },
};
