import { CfnTemplate } from './template';
import { NormalizedStatement, normalizeStatements } from './policy-documents';
import { flattenString, intrinsicName, isRecord } from './values';

/**
 * Fn::If means either branch may be deployed, so a rule must judge both.
 * These helpers expand conditions where policies, security-group rules and
 * instance settings are usually written with them.
 */

function isNoValue(value: unknown): boolean {
  return isRecord(value) && value.Ref === 'AWS::NoValue';
}

/** Every value `value` can take: Fn::If expanded (recursively) into its branches, AWS::NoValue dropped. */
export function branchesOf(value: unknown): unknown[] {
  if (isNoValue(value)) return [];
  if (intrinsicName(value) === 'Fn::If' && isRecord(value)) {
    const arg = value['Fn::If'];
    if (Array.isArray(arg) && arg.length === 3) return [...branchesOf(arg[1]), ...branchesOf(arg[2])];
  }
  return [value];
}

/** A list property (or a single value) with Fn::If expanded at the list and element level. */
export function listBranches(value: unknown): unknown[] {
  return branchesOf(value).flatMap((v) => (Array.isArray(v) ? v.flatMap(branchesOf) : [v]));
}

/**
 * The statements of a policy document, with Fn::If expanded around the
 * document and around each statement. Both branches keep the statement's
 * index in the written document, so finding IDs point at what was written.
 */
export function statementsOf(document: unknown): NormalizedStatement[] {
  return branchesOf(document).flatMap((doc) => {
    if (!isRecord(doc)) return [];
    const written = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return written.flatMap((element, index) =>
      listBranches(element).flatMap((s) => normalizeStatements({ Statement: s }).map((n) => ({ ...n, index }))),
    );
  });
}

/** A string read from a list entry: its text and whether an unknown intrinsic stands in it. */
export interface BranchString {
  readonly text: string;
  readonly unresolved: readonly string[];
}

/**
 * The strings a list of values can hold (Action, Resource, Principal, ...):
 * literals as they are, Fn::If both branches, Fn::Join/Fn::Sub flattened.
 */
export function stringBranches(values: readonly unknown[], template?: CfnTemplate): BranchString[] {
  return values.flatMap(listBranches).map((v) => {
    if (typeof v === 'string') return { text: v, unresolved: [] };
    const flat = flattenString(v, template);
    return { text: flat.text, unresolved: flat.unresolved };
  });
}

/**
 * ARN text with pseudo parameters written without `::` (`${AWS::Partition}`
 * becomes `${AWS.Partition}`), so that ARN fields split on `:` as they will
 * once deployed.
 */
export function arnFields(text: string): string {
  return text.replace(/\$\{AWS::(\w+)\}/g, '${AWS.$1}');
}

/**
 * Every variant of a value with each Fn::If anywhere inside it resolved to
 * one branch (AWS::NoValue branches become undefined). Capped at `limit`
 * variants; beyond that the remaining conditions keep both branches joined
 * as flattenString does, so nothing is dropped.
 */
export function variantsOf(value: unknown, limit = 16): unknown[] {
  if (Array.isArray(value)) {
    let acc: unknown[][] = [[]];
    for (const element of value) {
      const options = variantsOf(element, limit);
      const next = acc.flatMap((prefix) => options.map((o) => [...prefix, o]));
      acc = next.length > limit ? acc.map((prefix) => [...prefix, element]) : next;
    }
    return acc;
  }
  if (!isRecord(value)) return [value];
  if (intrinsicName(value) === 'Fn::If') {
    const arg = value['Fn::If'];
    if (Array.isArray(arg) && arg.length === 3) {
      const branches = [arg[1], arg[2]].map((b) => (isNoValue(b) ? [undefined] : variantsOf(b, limit))).flat();
      return branches.length > limit ? [value] : branches;
    }
  }
  let acc: Record<string, unknown>[] = [{}];
  for (const [key, child] of Object.entries(value)) {
    const options = variantsOf(child, limit);
    const next = acc.flatMap((prefix) => options.map((o) => ({ ...prefix, [key]: o })));
    acc = next.length > limit ? acc.map((prefix) => ({ ...prefix, [key]: child })) : next;
  }
  return acc;
}
