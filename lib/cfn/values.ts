import { CfnTemplate } from './template';

/**
 * Reading CloudFormation values the way CloudFormation would, as far as that
 * is possible without deploying: literals, Fn::Join, Fn::Sub, Fn::Base64,
 * Fn::If (both branches), Ref to a parameter with a default. Anything else
 * (a GetAtt, an import, a Ref to a resource) is kept as an opaque placeholder
 * and reported as unresolved so a rule can warn instead of passing silently.
 */

export type CfnValue = unknown;

/** A string read from a template, with the parts that could not be known. */
export interface FlatString {
  /** The text with unknown parts written as `${...}` placeholders. */
  readonly text: string;
  /** Descriptions of the intrinsics that could not be resolved (empty when fully known). */
  readonly unresolved: readonly string[];
}

const INTRINSIC_KEYS = new Set([
  'Ref', 'Fn::Join', 'Fn::Sub', 'Fn::Base64', 'Fn::GetAtt', 'Fn::If', 'Fn::Select', 'Fn::Split',
  'Fn::ImportValue', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::Transform', 'Fn::ToJsonString',
  'Fn::Length', 'Fn::GetStackOutput', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition',
]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function name if `value` is `{ "Fn::X": ... }` or `{ "Ref": ... }`. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC_KEYS.has(keys[0]) ? keys[0] : undefined;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Short human text for an unresolvable intrinsic, e.g. `Fn::GetAtt Role.Arn`. */
export function describeIntrinsic(value: unknown): string {
  const name = intrinsicName(value);
  if (!name || !isRecord(value)) return JSON.stringify(value);
  const arg = value[name];
  if (name === 'Ref') return `Ref ${String(arg)}`;
  if (name === 'Fn::GetAtt') return `Fn::GetAtt ${Array.isArray(arg) ? arg.join('.') : String(arg)}`;
  if (name === 'Fn::ImportValue') return `Fn::ImportValue ${typeof arg === 'string' ? arg : '(computed)'}`;
  return name;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId',
  'AWS::NoValue', 'AWS::NotificationARNs',
]);

/**
 * Flattens a value to text. Pseudo parameters and references are kept as
 * `${Name}` (their value does not change what a rule looks for); only
 * intrinsics whose text cannot be known are listed as unresolved.
 */
export function flattenString(value: CfnValue, template?: CfnTemplate): FlatString {
  const unresolved: string[] = [];
  const text = flatten(value, template, unresolved);
  return { text, unresolved };
}

function flatten(value: CfnValue, template: CfnTemplate | undefined, unresolved: string[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '';
  const name = intrinsicName(value);
  if (!name || !isRecord(value)) {
    // A list or object where a string belongs: keep its JSON so pattern checks still see it.
    return JSON.stringify(value);
  }
  const arg = value[name];
  switch (name) {
    case 'Fn::Base64':
      return flatten(arg, template, unresolved);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) {
        unresolved.push('Fn::Join (computed list)');
        return '${Fn::Join}';
      }
      const separator = flatten(arg[0], template, unresolved);
      return arg[1].map((part) => flatten(part, template, unresolved)).join(separator);
    }
    case 'Fn::Sub': {
      const body = Array.isArray(arg) ? arg[0] : arg;
      const vars = Array.isArray(arg) && isRecord(arg[1]) ? arg[1] : {};
      if (typeof body !== 'string') {
        unresolved.push('Fn::Sub (computed template)');
        return '${Fn::Sub}';
      }
      return body.replace(/\$\{([^}!]+)\}/g, (whole, varName: string) => {
        if (varName in vars) return flatten(vars[varName], template, unresolved);
        // `${Param}` in Fn::Sub reads a template parameter like Ref does.
        const param = template?.Parameters?.[varName];
        return param?.Default !== undefined ? flatten(param.Default, template, unresolved) : whole;
      });
    }
    case 'Fn::If': {
      // Both branches may be deployed; a rule must see both.
      if (!Array.isArray(arg) || arg.length !== 3) return '${Fn::If}';
      return `${flatten(arg[1], template, unresolved)}\n${flatten(arg[2], template, unresolved)}`;
    }
    case 'Ref': {
      const ref = String(arg);
      if (PSEUDO_PARAMETERS.has(ref)) return `\${${ref}}`;
      const param = template?.Parameters?.[ref];
      if (param) {
        if (param.Default !== undefined) return flatten(param.Default, template, unresolved);
        return `\${${ref}}`;
      }
      return `\${${ref}}`;
    }
    case 'Fn::GetAtt':
      return `\${${describeIntrinsic(value).replace('Fn::GetAtt ', '')}}`;
    case 'Fn::FindInMap': {
      const found = findInMap(arg, template);
      if (found === undefined) {
        unresolved.push(describeIntrinsic(value));
        return `\${${name}}`;
      }
      return flatten(found, template, unresolved);
    }
    default:
      unresolved.push(describeIntrinsic(value));
      return `\${${name}}`;
  }
}

/** The Mappings section (rules read it only through Fn::FindInMap). */
function mappingsOf(template: CfnTemplate | undefined): Record<string, unknown> {
  const mappings: unknown = template?.Mappings;
  return isRecord(mappings) ? mappings : {};
}

/**
 * The value `Fn::FindInMap [map, top, second]` yields. Vendor templates keep
 * CIDRs, key aliases and sizes in Mappings, so a rule must read them like
 * literals. A key given by a parameter default or literal is looked up; a key
 * that cannot be known (`AWS::Region`, a parameter without default) still
 * resolves when every entry of the map holds the same value for `second`.
 * Otherwise undefined (the caller reports it as unresolved).
 */
export function findInMap(arg: unknown, template: CfnTemplate | undefined): unknown {
  if (!Array.isArray(arg) || arg.length < 3) return undefined;
  const mapName = knownString(arg[0], template);
  const map = mapName !== undefined ? mappingsOf(template)[mapName] : undefined;
  if (!isRecord(map)) return undefined;
  const second = knownString(arg[2], template);
  if (second === undefined) return undefined;
  const top = knownString(arg[1], template);
  if (top !== undefined) {
    const entry = map[top];
    return isRecord(entry) ? entry[second] : undefined;
  }
  const candidates = Object.values(map).map((entry) => (isRecord(entry) ? entry[second] : undefined));
  if (candidates.length === 0 || candidates.some((c) => c === undefined)) return undefined;
  const first = JSON.stringify(candidates[0]);
  return candidates.every((c) => JSON.stringify(c) === first) ? candidates[0] : undefined;
}

/**
 * A string value if it is known exactly (a literal, or an intrinsic that
 * flattens without unknown parts), else undefined.
 */
export function knownString(value: CfnValue, template?: CfnTemplate): string | undefined {
  if (typeof value === 'string') return value;
  if (intrinsicName(value) === undefined) return undefined;
  const flat = flattenString(value, template);
  return flat.unresolved.length === 0 && !/\$\{/.test(flat.text) ? flat.text : undefined;
}

/** The logical ID a value refers to with Ref or Fn::GetAtt, if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical ID referenced anywhere inside a value. */
export function referencedLogicalIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!isRecord(v)) return;
    const id = referencedLogicalId(v);
    if (id && !PSEUDO_PARAMETERS.has(id)) found.add(id);
    Object.values(v).forEach(walk);
    if (typeof v['Fn::Sub'] === 'string' || Array.isArray(v['Fn::Sub'])) {
      const body = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub'];
      if (typeof body === 'string') {
        for (const m of body.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) found.add(m[1]);
      }
    }
  };
  walk(value);
  return found;
}
