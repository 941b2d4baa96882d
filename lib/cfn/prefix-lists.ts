import { CfnTemplate, TemplateResource } from './template';
import { branchesOf } from './branches';
import { findingPart } from '../policy/vocabulary';
import { intrinsicName, isRecord, knownString, referencedLogicalId } from './values';

/**
 * Managed prefix lists as security-group rules reference them, for the
 * quota arithmetic of DEPLOY-4: a rule that references a prefix list counts
 * as the list's MaxEntries rules (Amazon VPC User Guide, "Amazon VPC quotas":
 * "if you create a prefix list with 20 maximum entries and you reference that
 * prefix list in a security group rule, this counts as 20 security group rules").
 */

/** A whole number written as a number or numeric text, or a Ref to a parameter with such a default. */
export function knownInteger(value: unknown, template: CfnTemplate): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (isRecord(value) && typeof value.Ref === 'string') {
    const parameter = template.Parameters?.[value.Ref];
    if (parameter) return knownInteger(parameter.Default, template);
  }
  return undefined;
}

/** The most entries a prefix list can be deployed with (Fn::If on the list or an entry: the larger branch). */
export function entryCountOf(resource: TemplateResource): number {
  const entries = resource.Properties?.Entries;
  const counts = branchesOf(entries).map((list) =>
    Array.isArray(list) ? list.reduce<number>((n, entry) => n + Math.max(0, ...branchesOf(entry).map(() => 1)), 0) : 0,
  );
  return Math.max(0, ...counts);
}

/** The weight of a prefix-list reference: the list's MaxEntries, or why it cannot be known. */
export type PrefixListWeight =
  | { readonly known: true; readonly weight: number; readonly logicalId: string }
  | { readonly known: false; readonly label: string };

/**
 * The weight of one SourcePrefixListId / DestinationPrefixListId value. A Ref
 * or Fn::GetAtt PrefixListId to a prefix list of this template weighs its
 * MaxEntries; a literal pl- ID (an AWS-managed or imported list), an import
 * or a parameter cannot be counted from the template. Fn::If: the heavier branch.
 */
export function prefixListWeight(value: unknown, template: CfnTemplate): PrefixListWeight {
  const branches = branchesOf(value);
  let heaviest: PrefixListWeight | undefined;
  for (const branch of branches) {
    const id = intrinsicName(branch) !== undefined ? referencedLogicalId(branch) : undefined;
    const list = id !== undefined ? template.Resources?.[id] : undefined;
    let weight: PrefixListWeight;
    if (id !== undefined && list?.Type === 'AWS::EC2::PrefixList') {
      const max = knownInteger(list.Properties?.MaxEntries, template);
      weight = max === undefined ? { known: false, label: `${id}.MaxEntries` } : { known: true, weight: max, logicalId: id };
    } else {
      const text = knownString(branch, template);
      weight = { known: false, label: findingPart(text ?? (id !== undefined ? id : (intrinsicName(branch) ?? 'value'))) };
    }
    if (!weight.known) return weight;
    if (!heaviest || (heaviest.known && weight.weight > heaviest.weight)) heaviest = weight;
  }
  return heaviest ?? { known: true, weight: 0, logicalId: '' };
}
