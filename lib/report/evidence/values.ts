import { EnvironmentView, ResourceRef } from '../cloud-assembly';
import { EvidenceProperty } from './types';

/** Shown for a property the template does not set. */
export const NOT_SET = '(not set)';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

/** A policy statement as the template writes it. */
export interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Principal?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: unknown;
}

/** The statements of a policy document value. */
export function statementsOf(document: unknown): Statement[] {
  if (!isRecord(document)) return [];
  const s = document.Statement;
  if (Array.isArray(s)) return s.filter(isRecord) as Statement[];
  return isRecord(s) ? [s as Statement] : [];
}

/** Action(s) of a statement as strings. */
export function actionsOf(statement: Statement): string[] {
  const a = statement.Action;
  if (typeof a === 'string') return [a];
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** One statement in one line: `Allow s3:GetObject on X when {...}`. */
export function renderStatement(statement: Statement): string {
  const parts = [renderValue(statement.Effect)];
  if (statement.Principal !== undefined) parts.push(`principal ${renderValue(statement.Principal)}`);
  if (statement.Action !== undefined) parts.push(renderValue(statement.Action));
  if (statement.NotAction !== undefined) parts.push(`NotAction ${renderValue(statement.NotAction)}`);
  if (statement.Resource !== undefined) parts.push(`on ${renderValue(statement.Resource)}`);
  if (statement.Condition !== undefined) parts.push(`when ${renderValue(statement.Condition)}`);
  return parts.join(' ');
}

/** Identity policy documents of an IAM/SSO resource, with the property path each lives at. */
export function identityPolicyDocuments(ref: ResourceRef): { path: string; document: unknown }[] {
  const p = ref.resource.Properties ?? {};
  const docs: { path: string; document: unknown }[] = [];
  switch (ref.type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy':
      docs.push({ path: 'PolicyDocument', document: p.PolicyDocument });
      break;
    case 'AWS::SSO::PermissionSet':
      docs.push({ path: 'InlinePolicy', document: p.InlinePolicy });
      break;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      if (Array.isArray(p.Policies)) {
        p.Policies.forEach((policy, i) => docs.push({ path: `Policies[${i}].PolicyDocument`, document: (policy as { PolicyDocument?: unknown }).PolicyDocument }));
      }
      break;
    default:
      break;
  }
  return docs.filter((d) => d.document !== undefined);
}

export const IDENTITY_POLICY_TYPES = [
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy', 'AWS::SSO::PermissionSet',
];

/**
 * Statements of identity policies in `env` whose actions match `matches`,
 * one evidence property per statement (`PolicyDocument.Statement[2]`).
 */
export function matchingStatements(ref: ResourceRef, matches: (action: string) => boolean): EvidenceProperty[] {
  const out: EvidenceProperty[] = [];
  for (const { path, document } of identityPolicyDocuments(ref)) {
    statementsOf(document).forEach((s, i) => {
      if (actionsOf(s).some(matches)) out.push({ name: `${path}.Statement[${i}]`, value: renderStatement(s) });
    });
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

/** The text of a user-data value (Fn::Base64 of a string or Fn::Join), intrinsics shown as `${...}`. */
export function userDataText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const inner = isRecord(value) && 'Fn::Base64' in value ? value['Fn::Base64'] : value;
  if (typeof inner === 'string') return inner;
  return renderValue(inner);
}

/** Lines of user data matching a pattern, as evidence (never the whole script: it may carry non-evidence values). */
export function userDataLines(ref: ResourceRef, path: string, pattern: RegExp): EvidenceProperty[] {
  const text = userDataText(valueAt(ref.resource.Properties, path));
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => pattern.test(l))
    .map((l) => ({ name: `${path} (line)`, value: l }));
}
