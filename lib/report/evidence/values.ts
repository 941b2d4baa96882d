import { NormalizedStatement } from '../../cfn/policy-documents';
import { statementsOf } from '../../cfn/branches';
import { identityDocuments } from '../../cfn/identity-policies';
import { userDataText } from '../../cfn/user-data';
import { isRecord } from '../../cfn/values';
import { EnvironmentView, ResourceRef } from '../cloud-assembly';
import { EvidenceProperty } from './types';

/**
 * Rendering template values for the evidence report. What a value means (which
 * statements a document holds, what user data says, whether a port is open)
 * is read with the template toolkit (lib/cfn) the rules use, so the gate and
 * the report cannot disagree; this module only turns it into text.
 */

/** Shown for a property the template does not set. */
export const NOT_SET = '(not set)';

/**
 * Renders a template value for an auditor: literals as they are, intrinsics
 * in a short readable form (`Ref(LakeBucket)`, `GetAtt(DataKey.Arn)`,
 * `ImportValue(...)`), joins concatenated. Deterministic: object keys keep
 * template order, which CDK writes sorted.
 */
export function renderValue(value: unknown): string {
  if (value === undefined) return NOT_SET;
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = value[key];
      switch (key) {
        case 'Ref':
          return `Ref(${renderValue(arg)})`;
        case 'Fn::GetAtt':
          return `GetAtt(${Array.isArray(arg) ? arg.map(renderValue).join('.') : renderValue(arg)})`;
        case 'Fn::ImportValue':
          return `ImportValue(${renderValue(arg)})`;
        case 'Fn::Join':
          if (Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
            return (arg[1] as unknown[]).map((p) => (typeof p === 'string' ? p : `\${${renderValue(p)}}`)).join(arg[0]);
          }
          break;
        case 'Fn::Sub':
          return typeof arg === 'string' ? arg : renderValue(Array.isArray(arg) ? arg[0] : arg);
        default:
          break;
      }
    }
    return `{${keys.map((k) => `${k}: ${renderValue(value[k])}`).join(', ')}}`;
  }
  return String(value);
}

/** The value at `path` (`A.B[0].C`) below `root`, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) current = isRecord(current) ? current[m[1]] : undefined;
    for (const idx of m[2].match(/\d+/g) ?? []) current = Array.isArray(current) ? current[Number(idx)] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Properties read from a resource's `Properties` by path; `@DeletionPolicy` reads the resource attribute. */
export function props(ref: ResourceRef, paths: readonly string[]): EvidenceProperty[] {
  return paths.map((path) => {
    if (path.startsWith('@')) {
      const attr = path.slice(1) as 'DeletionPolicy' | 'UpdateReplacePolicy';
      return { name: attr, value: renderValue(ref.resource[attr]) };
    }
    return { name: path, value: renderValue(valueAt(ref.resource.Properties, path)) };
  });
}

/** One statement in one line: `Allow s3:GetObject on X when {...}`. */
export function renderStatement({ written: statement }: NormalizedStatement): string {
  const parts = [renderValue(statement.Effect)];
  if (statement.Principal !== undefined) parts.push(`principal ${renderValue(statement.Principal)}`);
  if (statement.Action !== undefined) parts.push(renderValue(statement.Action));
  if (statement.NotAction !== undefined) parts.push(`NotAction ${renderValue(statement.NotAction)}`);
  if (statement.Resource !== undefined) parts.push(`on ${renderValue(statement.Resource)}`);
  if (statement.Condition !== undefined) parts.push(`when ${renderValue(statement.Condition)}`);
  return parts.join(' ');
}

/**
 * Statements of identity policies in `env` whose actions match `matches`,
 * one evidence property per statement (`PolicyDocument.Statement[2]`).
 */
export function matchingStatements(ref: ResourceRef, matches: (action: string) => boolean): EvidenceProperty[] {
  const out: EvidenceProperty[] = [];
  for (const { path, document } of identityDocuments(ref.resource)) {
    for (const s of statementsOf(document)) {
      if (s.actions.some((a) => typeof a === 'string' && matches(a))) out.push({ name: `${path}.Statement[${s.index}]`, value: renderStatement(s) });
    }
  }
  return out;
}

/** True when `value` (any template value) refers to the logical ID `logicalId` by Ref or GetAtt. */
export function refersTo(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, logicalId));
  if (!isRecord(value)) return false;
  if (value.Ref === logicalId) return true;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && att[0] === logicalId) return true;
  return Object.values(value).some((v) => refersTo(v, logicalId));
}

/** Resources of the same stack whose property `property` refers to `target`. */
export function referrers(env: EnvironmentView, target: ResourceRef, type: string, property: string): ResourceRef[] {
  return env.resources.filter(
    (r) => r.type === type && r.stack === target.stack && refersTo(r.resource.Properties?.[property], target.logicalId),
  );
}

/** Lines of user data matching a pattern, as evidence (never the whole script: it may carry non-evidence values). */
export function userDataLines(ref: ResourceRef, path: string, pattern: RegExp): EvidenceProperty[] {
  const value = valueAt(ref.resource.Properties, path);
  if (value === undefined) return [];
  const { text } = userDataText(value, ref.stack.template);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => pattern.test(l))
    .map((l) => ({ name: `${path} (line)`, value: l }));
}
