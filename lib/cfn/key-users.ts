import { CfnTemplate, TemplateResource } from './template';
import { statementsOf } from './branches';
import { NormalizedStatement } from './policy-documents';
import { actionsCover } from './statement-conditions';
import { asArray, flattenString, isRecord, knownString, referencedLogicalId, referencedLogicalIds } from './values';

/**
 * Relating a KMS key of a template to the resources that encrypt with it
 * (trails, log groups, topics, buckets) and reading what its key policy
 * lets an AWS service principal do. DEPLOY-1 builds on these.
 */

/** Logical IDs of the AWS::KMS::Alias resources of the template that point at `keyId`, with their names. */
function aliasesOf(keyId: string, template: CfnTemplate): Array<{ id: string; name?: string }> {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::KMS::Alias' && referencedLogicalIds(r.Properties?.TargetKeyId).has(keyId))
    .map(([id, r]) => ({ id, name: knownString(r.Properties?.AliasName, template) }));
}

/**
 * Whether a `KmsKeyId`-like value names the template key `keyId`: a Ref or
 * GetAtt of the key (or of an alias of it), a Fn::Join/Fn::Sub built from
 * them, or the literal name (`alias/x`) or alias ARN of an alias of the key.
 */
export function namesKey(value: unknown, keyId: string, template: CfnTemplate): boolean {
  if (value === undefined) return false;
  const refs = referencedLogicalIds(value);
  if (refs.has(keyId)) return true;
  const aliases = aliasesOf(keyId, template);
  if (aliases.some((a) => refs.has(a.id))) return true;
  const text = knownString(value, template);
  if (text === undefined) return false;
  return aliases.some((a) => a.name !== undefined && (text === a.name || text.endsWith(`:${a.name}`)));
}

/**
 * Whether a key-reference value points at a key whose policy is in the
 * template: `in-template` (a key or an alias of one), else `elsewhere`
 * (a literal ARN, an import, a parameter), which a rule cannot judge.
 */
export function keyLocation(value: unknown, template: CfnTemplate): 'in-template' | 'elsewhere' {
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if ((r.Type === 'AWS::KMS::Key' || r.Type === 'AWS::KMS::ReplicaKey') && namesKey(value, id, template)) return 'in-template';
  }
  return 'elsewhere';
}

/** Template resources of a type whose `property` names the key. */
export function resourcesUsingKey(keyId: string, type: string, property: string, template: CfnTemplate): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type && namesKey(r.Properties?.[property], keyId, template));
}

/** The bucket's default encryption rules: the key they name and whether the S3 Bucket Key is on. */
export function bucketEncryptionRules(bucket: TemplateResource): Array<{ key: unknown; algorithm: unknown; bucketKey: unknown }> {
  const encryption = bucket.Properties?.BucketEncryption;
  if (!isRecord(encryption)) return [];
  return asArray(encryption.ServerSideEncryptionConfiguration)
    .filter(isRecord)
    .map((rule) => {
      const byDefault = isRecord(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : {};
      return { key: byDefault.KMSMasterKeyID, algorithm: byDefault.SSEAlgorithm, bucketKey: rule.BucketKeyEnabled };
    });
}

/** True if the statement's principal names the service (`Service` written as a string or with `${AWS::Region}`). */
export function admitsService(statement: NormalizedStatement, service: RegExp, template: CfnTemplate): boolean {
  return statement.principals.some((p) => p.type === 'Service' && service.test(flattenString(p.value, template).text));
}

/** Condition keys of the statement, lower-cased, over every operator. */
export function conditionKeys(statement: NormalizedStatement): string[] {
  return Object.values(statement.condition).flatMap((block) => (isRecord(block) ? Object.keys(block).map((k) => k.toLowerCase()) : []));
}

/** True if a condition of the statement reads the request's encryption context. */
export function hasEncryptionContextCondition(statement: NormalizedStatement): boolean {
  return conditionKeys(statement).some((k) => k.startsWith('kms:encryptioncontext'));
}

/** The Allow statements of a key's policy that admit the service and cover the action. */
export function serviceGrants(key: TemplateResource, service: RegExp, action: string, template: CfnTemplate): NormalizedStatement[] {
  return statementsOf(key.Properties?.KeyPolicy).filter(
    (st) => st.effect === 'Allow' && admitsService(st, service, template) && actionsCover(st, [action]),
  );
}

/** The logical ID a bucket-naming value (`S3BucketName`, `Ref`) points at, when it is a template resource. */
export function referencedResource(value: unknown, template: CfnTemplate): string | undefined {
  const id = referencedLogicalId(value);
  return id !== undefined && template.Resources?.[id] !== undefined ? id : undefined;
}
