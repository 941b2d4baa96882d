import { CfnTemplate } from './template';
import { findingPart } from '../policy/vocabulary';
import { flattenString, intrinsicName, isRecord, referencedLogicalId } from './values';

/** A key or alias ARN written with pseudo parameters runs to about 90 characters; keep it whole in finding IDs. */
const KEY_TEXT_MAX = 120;

/**
 * What a `KmsKeyId`-like property names:
 * - `absent`: nothing, so the service uses its AWS-managed key (or none);
 * - `cmk`: a customer-managed key: a Ref/GetAtt of an AWS::KMS::Key (or alias)
 *   in the template, or an ARN/ID/alias string that is not `alias/aws/*`
 *   (AWS-managed keys are only ever named through `alias/aws/...`; a key ID or
 *   key ARN always belongs to a key whose policy the account controls);
 * - `aws-managed`: an `alias/aws/...` name or ARN;
 * - `unresolved`: an intrinsic whose value cannot be known from the template.
 */
export type KeyReference =
  | { readonly kind: 'absent' }
  | { readonly kind: 'cmk' }
  | { readonly kind: 'aws-managed'; readonly text: string }
  | { readonly kind: 'unresolved'; readonly text: string };

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::KMS::Alias']);

export function classifyKeyReference(value: unknown, template: CfnTemplate): KeyReference {
  if (value === undefined || value === null || value === '') return { kind: 'absent' };
  const resources = template.Resources ?? {};
  const ref = referencedLogicalId(value);
  if (ref !== undefined && intrinsicName(value) !== undefined) {
    const target = resources[ref];
    if (target && KEY_TYPES.has(target.Type)) {
      const aliasName = target.Type === 'AWS::KMS::Alias' ? flattenString(target.Properties?.AliasName, template).text : '';
      return aliasName.startsWith('alias/aws/') ? { kind: 'aws-managed', text: findingPart(aliasName, KEY_TEXT_MAX) } : { kind: 'cmk' };
    }
  }
  const flat = flattenString(value, template);
  if (/(^|[:/])alias\/aws\//.test(flat.text)) return { kind: 'aws-managed', text: findingPart(flat.text, KEY_TEXT_MAX) };
  if (flat.unresolved.length > 0) return { kind: 'unresolved', text: findingPart(flat.unresolved.join(','), KEY_TEXT_MAX) };
  for (const match of flat.text.matchAll(/\$\{([^}]+)\}/g)) {
    const name = match[1];
    if (name.startsWith('AWS::')) continue;
    const target = resources[name.split('.')[0]];
    if (target && KEY_TYPES.has(target.Type)) continue;
    return { kind: 'unresolved', text: findingPart(name, KEY_TEXT_MAX) };
  }
  if (isRecord(value) && intrinsicName(value) === undefined) return { kind: 'unresolved', text: 'object' };
  return { kind: 'cmk' };
}

/** Violation/unresolved entries for a property that must name a customer-managed key. */
export function requireCustomerManagedKey(
  property: string,
  value: unknown,
  template: CfnTemplate,
  out: { violations: string[]; unresolved: string[] },
): void {
  const key = classifyKeyReference(value, template);
  if (key.kind === 'absent') out.violations.push(`${property}=absent`);
  else if (key.kind === 'aws-managed') out.violations.push(`${property}=${key.text}`);
  else if (key.kind === 'unresolved') out.unresolved.push(`${property}=${key.text}`);
}
