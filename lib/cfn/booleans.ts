import { CfnTemplate } from './template';
import { knownString } from './values';

/**
 * A boolean property as CloudFormation reads it: true/false, "true"/"false"
 * in any case (CDK and hand-written templates use both), undefined when
 * absent, or 'unresolved' when an intrinsic hides it.
 */
export function readBoolean(value: unknown, template?: CfnTemplate): boolean | undefined | 'unresolved' {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : knownString(value, template);
  if (text === undefined) return 'unresolved';
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return 'unresolved';
}

/**
 * True only for a boolean property that is known to be true (see
 * {@link readBoolean}); false, absent and unreadable are all "not true".
 */
export function isTrue(value: unknown, template?: CfnTemplate): boolean {
  return readBoolean(value, template) === true;
}

/** A number property (number or numeric string), undefined when absent, 'unresolved' otherwise. */
export function readNumber(value: unknown, template?: CfnTemplate): number | undefined | 'unresolved' {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const text = typeof value === 'string' ? value : knownString(value, template);
  if (text === undefined || text.trim() === '' || Number.isNaN(Number(text))) return 'unresolved';
  return Number(text);
}
