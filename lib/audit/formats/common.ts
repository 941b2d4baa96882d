import { Finding } from '../../policy/vocabulary';

/** The rule a finding belongs to, without its `[finding]` suffix; counts for every summary. */
export { stripFinding as baseRuleId, countFindings as counts } from '../../policy/vocabulary';

/** Unacknowledged errors first, then warnings, then acknowledged findings; stable within each group. */
export function byImportance(a: Finding, b: Finding): number {
  return rank(a) - rank(b);
}

function rank(f: Finding): number {
  if (f.acknowledged) return 2;
  return f.severity === 'error' ? 0 : 1;
}

