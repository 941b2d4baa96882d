import { CfnTemplate, EduRule, ruleApplies, RuleOutcome, Severity, TemplateResource } from './rule';

/** One rule outcome on one resource of a template, before acknowledgments. */
export interface RuleFinding {
  readonly rule: EduRule;
  readonly logicalId: string;
  readonly findingId: string;
  readonly severity: Severity;
  /** True when the finding is about a value the rule could not resolve. */
  readonly unresolved: boolean;
}

/** Runs one rule on one resource, turning a thrown error into an unresolved finding. */
export function runRule(rule: EduRule, resource: TemplateResource, logicalId: string, template: CfnTemplate, account?: string): RuleOutcome {
  if (!ruleApplies(rule, resource.Type)) return { violations: [], unresolved: [] };
  try {
    return rule.check(resource, { logicalId, template, account });
  } catch (err) {
    // A rule that cannot read a value must say so, never pass.
    return { violations: [], unresolved: [`rule-error:${(err as Error).message.slice(0, 80)}`] };
  }
}

/**
 * Every finding of the given rules over a whole template. The NagPack uses
 * the same `runRule`, so unit tests on plain JSON and the gate agree.
 */
export function evaluateTemplate(template: CfnTemplate, rules: readonly EduRule[], account?: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const rule of rules) {
      const outcome = runRule(rule, resource, logicalId, template, account);
      for (const findingId of outcome.violations) {
        findings.push({ rule, logicalId, findingId, severity: rule.severity, unresolved: false });
      }
      for (const findingId of outcome.unresolved) {
        findings.push({ rule, logicalId, findingId, severity: 'warning', unresolved: true });
      }
    }
  }
  return findings;
}
