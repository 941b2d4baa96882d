import { Finding } from '../../policy/findings';

/** Unacknowledged errors first, then warnings, then acknowledged findings; stable within each group. */
export function byImportance(a: Finding, b: Finding): number {
  return rank(a) - rank(b);
}

function rank(f: Finding): number {
  if (f.acknowledged) return 2;
  return f.severity === 'error' ? 0 : 1;
}

/** The rule a finding belongs to, without its `[finding]` suffix. */
export function baseRuleId(ruleId: string): string {
  const bracket = ruleId.indexOf('[');
  return bracket === -1 ? ruleId : ruleId.slice(0, bracket);
}

/** Counts used by every format's summary. */
export function counts(findings: readonly Finding[]): { errors: number; warnings: number; acknowledged: number } {
  return {
    errors: findings.filter((f) => !f.acknowledged && f.severity === 'error').length,
    warnings: findings.filter((f) => !f.acknowledged && f.severity === 'warning').length,
    acknowledged: findings.filter((f) => f.acknowledged).length,
  };
}
