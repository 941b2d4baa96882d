import { CfnTemplate, TemplateContext, TemplateResource } from '../cfn/template';
import { ControlId, Severity } from './vocabulary';

/**
 * The contract every EduSecurityChecks rule implements.
 *
 * Rules read the synthesized CloudFormation JSON of one resource (the same
 * thing an auditor reads and the same thing `edu-baseline audit` loads from a
 * third-party template), with the whole template at hand for cross-resource
 * checks (a bucket and its policy, an instance and its launch template).
 */

/** The finding vocabulary a rule declares itself in. */
export type { ControlId, Severity };

/** The template types every rule reads, defined once in the template toolkit. */
export type { CfnTemplate, TemplateContext, TemplateResource };

/** What a rule sees besides the resource itself. */
export interface RuleContext extends TemplateContext {
  readonly logicalId: string;
  /**
   * The date (YYYY-MM-DD) dated rules judge against: the `-c today=` context
   * (TODAY_CONTEXT_KEY) when the gate runs in an app that sets it, as the
   * config validator does. @default the real date (UTC)
   */
  readonly today?: string;
}

/**
 * The outcome of one rule on one resource.
 * - `violations`: definite breaches, each a short finding ID naming what is wrong
 *   (e.g. `SSEAlgorithm=AES256`); reported at the rule's severity.
 * - `unresolved`: values the rule could not decide because an intrinsic it
 *   cannot resolve stands in the way; always reported as a warning so that
 *   nothing passes silently.
 * Finding IDs must not contain `::` (the CDK validation framework reserves it
 * as the namespace separator, so such IDs could never be acknowledged).
 */
export interface RuleOutcome {
  readonly violations: readonly string[];
  readonly unresolved: readonly string[];
}

export const COMPLIANT: RuleOutcome = { violations: [], unresolved: [] };

/** `resourceTypes` entry of a rule that judges the template as a whole (it runs on every resource). */
export const ANY_RESOURCE_TYPE = '*';

/** True when the rule inspects resources of this type. */
export function ruleApplies(rule: Pick<EduRule, 'resourceTypes'>, type: string): boolean {
  return rule.resourceTypes.includes(type) || rule.resourceTypes.includes(ANY_RESOURCE_TYPE);
}

/** One rule of the EduSecurityChecks pack. One rule per file under rules/<area>/. */
export interface EduRule {
  /** Rule suffix, unique in the pack, e.g. `DATA1-BucketKmsEncryption`; the full ID is `EduSecurity-<id>`. */
  readonly id: string;
  /** The control of docs/controls.md this rule enforces. */
  readonly control: ControlId;
  readonly severity: Severity;
  /** CloudFormation resource types the rule inspects ({@link ANY_RESOURCE_TYPE} for all); other types are not applicable. */
  readonly resourceTypes: readonly string[];
  /** What is wrong and how to fix it, shown with every finding. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  check(resource: TemplateResource, context: RuleContext): RuleOutcome;
}
