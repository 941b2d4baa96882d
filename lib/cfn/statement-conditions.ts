import { actionMatches, NormalizedStatement } from './policy-documents';
import { arnFields } from './branches';
import { asArray, flattenString, isRecord } from './values';

/**
 * Readers for the parts of resource-policy statements that decide whether
 * they protect anything: who they name, which condition keys restrict them,
 * and whether a Deny really applies to every insecure request.
 */

/** True if the statement names everyone: `"*"`, `{"AWS": "*"}` or a list containing `*`. */
export function namesEveryone(statement: NormalizedStatement): boolean {
  return statement.principals.some((p) => p.type === '*' || (p.type === 'AWS' && p.value === '*'));
}

/**
 * Condition keys that pin a request to a specific caller, account, network or
 * source resource (the keys S3 Block Public Access itself treats as making a
 * policy non-public), compared lower-case.
 */
export const RESTRICTING_CONDITION_KEYS: ReadonlySet<string> = new Set([
  'aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:userid', 'aws:username',
  's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);

const ARN_KEYS: ReadonlySet<string> = new Set(['aws:sourcearn', 'aws:principalarn', 's3:dataaccesspointarn']);

/**
 * True if a condition value matches (nearly) every caller, so it restricts
 * nothing: `*`, patterns of wildcards and separators only (`*:*`), the whole
 * internet (`0.0.0.0/0`, `::/0`, any IPv4 range wider than /8), an ARN pattern
 * whose account is a wildcard (`arn:aws:iam::*:role/*`) or whose resource is
 * only wildcards (`arn:aws:s3:::*`), and a unique-ID pattern that keeps only
 * the ID's type prefix (`aws:userid` `AROA*` is every role of every account;
 * a real unique ID has 21 characters). A literal without wildcards restricts.
 */
export function isOpenConditionValue(key: string, value: string): boolean {
  const v = value.trim();
  if (/^[*?:/._-]*$/.test(v)) return true;
  const cidr = /^[0-9.]+\/(\d{1,2})$/.exec(v);
  if (cidr) return Number(cidr[1]) < 8;
  if (/^[0-9a-f:]*::?[0-9a-f:]*\/(\d{1,3})$/i.test(v)) return Number(v.split('/')[1]) < 32;
  if (!/[*?]/.test(v)) return false;
  const k = key.toLowerCase();
  const literalPrefix = v.split(/[*?]/)[0];
  if (ARN_KEYS.has(k) || v.startsWith('arn:')) {
    const fields = v.split(':');
    if (fields.length < 6) return true;
    const account = fields[4];
    const resource = fields.slice(5).join(':');
    // A literal account pins the caller; an S3 ARN has no account, so only its bucket part can.
    return /[*?]/.test(fields[2]) || /[*?]/.test(account) || (account === '' && /^[*?/]*$/.test(resource));
  }
  if (k === 'aws:userid') return literalPrefix.length < 8;
  // Organisation, OU path, account, VPC and endpoint IDs: a bare type prefix (`o-*`, `vpce-*`) names nobody.
  return literalPrefix.replace(/^(o|ou|r|vpc|vpce)-/, '').length < 4;
}

/** Operators that restrict to the listed values (negated and IfExists operators do not). */
const POSITIVE_OPERATOR = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/i;

/**
 * True if the statement's Condition pins it with one of the given keys, using
 * a positive operator and values that are not a bare wildcard or the whole internet.
 */
export function hasRestrictingCondition(statement: NormalizedStatement, keys: ReadonlySet<string> = RESTRICTING_CONDITION_KEYS): boolean {
  for (const [operator, block] of Object.entries(statement.condition)) {
    if (!POSITIVE_OPERATOR.test(operator) || !isRecord(block)) continue;
    for (const [key, raw] of Object.entries(block)) {
      if (!keys.has(key.toLowerCase())) continue;
      const values = asArray(raw);
      const open = values.length === 0 || values.some((v) => isOpenConditionValue(key, arnFields(flattenString(v).text)));
      if (!open) return true;
    }
  }
  return false;
}

function onlyCondition(statement: NormalizedStatement): { operator: string; key: string; values: unknown[] } | undefined {
  const operators = Object.entries(statement.condition);
  if (operators.length !== 1) return undefined;
  const [operator, block] = operators[0];
  if (!isRecord(block)) return undefined;
  const keys = Object.entries(block);
  if (keys.length !== 1) return undefined;
  return { operator, key: keys[0][0], values: asArray(keys[0][1]) };
}

/**
 * True if the statement's only condition is `aws:SecureTransport` false under
 * Bool/BoolIfExists. Any further condition would narrow the Deny (conditions
 * are ANDed), so such a statement does not count.
 */
export function isSecureTransportFalseCondition(statement: NormalizedStatement): boolean {
  const only = onlyCondition(statement);
  if (!only || !/^Bool(IfExists)?$/i.test(only.operator) || only.key.toLowerCase() !== 'aws:securetransport') return false;
  return only.values.length > 0 && only.values.every((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'));
}

/**
 * The TLS version below which the statement's only condition
 * (`NumericLessThan s3:TlsVersion`) matches, or undefined if it is not such a condition.
 */
export function tlsVersionLowerBound(statement: NormalizedStatement): number | undefined {
  const only = onlyCondition(statement);
  if (!only || !/^NumericLessThan(IfExists)?$/i.test(only.operator) || only.key.toLowerCase() !== 's3:tlsversion') return undefined;
  const bounds = only.values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN)).filter((n) => !Number.isNaN(n));
  // Values of one key are ORed: the Deny matches below the highest bound.
  return bounds.length > 0 ? Math.max(...bounds) : undefined;
}

/** True if every action in `needed` is matched by one of the statement's Action patterns. */
export function actionsCover(statement: NormalizedStatement, needed: readonly string[]): boolean {
  const patterns = statement.actions.filter((a): a is string => typeof a === 'string');
  return needed.every((action) => patterns.some((p) => actionMatches(p, action)));
}

/** True if one of the statement's Action patterns matches one of `actions`. */
export function actionsTouch(statement: NormalizedStatement, actions: readonly string[]): boolean {
  const patterns = statement.actions.filter((a): a is string => typeof a === 'string');
  return actions.some((action) => patterns.some((p) => actionMatches(p, action)));
}

/**
 * True if a glob pattern (IAM `*`/`?`) covers every string matching `target`,
 * itself a glob: `*` in the pattern absorbs anything, including a `*` of the
 * target; `?` matches one character but never a `*` of the target.
 */
export function globCovers(pattern: string, target: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '[^*]')}$`);
  return regex.test(target);
}
