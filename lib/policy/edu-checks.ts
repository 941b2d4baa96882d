import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, Stack, Stage, Token } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { isIsoDate, TODAY_CONTEXT_KEY } from '../../constructs/conventions';
import { runRule } from './evaluate';
import { CfnTemplate, EduRule, ruleApplies } from './rule';
import { ALL_RULES } from './rules';
import { EDU_PACK_NAME, EDU_PLUGIN_NAME, normalizeSeverity } from './vocabulary';


/** A report whose success depends on error findings only (a missing severity is an error, as everywhere: normalizeSeverity). */
export function onlyErrorsFail(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
  return { ...report, success: report.violations.every((v) => normalizeSeverity(v.severity) !== 'error') };
}

/** Properties of {@link EduSecurityChecks}. */
export interface EduSecurityChecksProps extends NagPackProps {
  /**
   * The rules to run.
   * @default every rule of the pack
   */
  readonly rules?: readonly EduRule[];
}

/**
 * The controls of docs/controls.md that AwsSolutions, NIST 800-53 and
 * Control Tower do not check, as a cdk-nag v3 pack.
 *
 * Rules read the synthesized template rather than L1 properties, so an L2
 * construct, an L1 resource, an escape-hatch override and a template loaded
 * with cloudformation-include are all judged on what CloudFormation receives.
 */
export class EduSecurityChecks extends NagPack {
  public readonly name = EDU_PLUGIN_NAME;
  public readonly ruleIds: string[];
  private readonly rules: readonly EduRule[];
  private readonly templates = new Map<string, CfnTemplate>();

  constructor(scope?: IConstruct, props: EduSecurityChecksProps = {}) {
    super(scope, props);
    this.packName = EDU_PACK_NAME;
    this.rules = props.rules ?? ALL_RULES;
    this.ruleIds = this.rules.map((r) => `${EDU_PACK_NAME}-${r.id}`);
  }

  /** Warnings are reported but, unlike cdk-nag's own packs, do not fail synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.templates.clear();
    return onlyErrorsFail(super.validate(context));
  }

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.templates.clear();
    return onlyErrorsFail(super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    const stack = Stack.of(node);
    const template = this.templateOf(stack);
    // node.logicalId honours overrideLogicalId (CfnInclude, escape hatches); stack.getLogicalId does not.
    const logicalId = stack.resolve(node.logicalId) as string;
    const resource = template.Resources?.[logicalId];
    if (!resource) return;
    const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
    // Dated rules (NET-2) judge as of the app's `-c today=` date, like the config validator.
    const today: unknown = node.node.tryGetContext(TODAY_CONTEXT_KEY);
    for (const rule of this.rules) {
      if (!ruleApplies(rule, resource.Type)) continue;
      const outcome = runRule(rule, resource, logicalId, template, account, typeof today === 'string' && isIsoDate(today) ? today : undefined);
      const asResult = (ids: readonly string[]): NagRuleResult =>
        ids.length > 0 ? [...ids] : NagRuleCompliance.COMPLIANT;
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: `[${rule.control}] ${rule.info}`,
        explanation: rule.explanation,
        level: rule.severity === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => asResult(outcome.violations),
      });
      if (outcome.unresolved.length > 0) {
        this.applyRule({
          ruleSuffixOverride: `${rule.id}-Unresolved`,
          info: `[${rule.control}] Could not decide "${rule.id}" because a value is computed at deploy time; check it by hand or write it literally. ${rule.info}`,
          explanation: rule.explanation,
          level: NagMessageLevel.WARN,
          node,
          rule: () => asResult(outcome.unresolved),
        });
      }
    }
  }

  /** The synthesized template of a stack, read once per validation. */
  private templateOf(stack: Stack): CfnTemplate {
    const stage = Stage.of(stack);
    const outdir = stage?.outdir ?? '';
    const file = join(outdir, stack.templateFile);
    let template = this.templates.get(file);
    if (!template) {
      template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
      this.templates.set(file, template);
    }
    return template;
  }
}
