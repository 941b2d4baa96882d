import { CfnTemplate, EduRule, ruleApplies, RuleOutcome, TemplateResource } from './rule';

/** Runs one rule on one resource, turning a thrown error into an unresolved finding. */
export function runRule(
  rule: EduRule,
  resource: TemplateResource,
  logicalId: string,
  template: CfnTemplate,
  account?: string,
  today?: string,
): RuleOutcome {
  if (!ruleApplies(rule, resource.Type)) return { violations: [], unresolved: [] };
  try {
    return rule.check(resource, { logicalId, template, account, ...(today !== undefined ? { today } : {}) });
  } catch (err) {
    // A rule that cannot read a value must say so, never pass.
    return { violations: [], unresolved: [`rule-error:${(err as Error).message.slice(0, 80)}`] };
  }
}
