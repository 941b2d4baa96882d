import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  App,
  CfnResource,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolatingResource,
  PolicyViolation,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EDU_PLUGIN_NAME, EduSecurityChecks } from './edu-checks';
import { EXTERNAL_RULE_CONTROLS } from './external-rule-controls';
import { EduRule } from './rule';

/** The context key read by the app entry: `-c gate=off` skips the gate (benchmarks only). */
export const GATE_CONTEXT_KEY = 'gate';

/** The four rule sets of the gate, by the plugin name that namespaces their acknowledgments. */
export type RuleSetName = typeof EDU_PLUGIN_NAME | 'AwsSolutions' | 'NIST.800.53.R5' | 'ControlTower';

export const ALL_RULE_SETS: readonly RuleSetName[] = [EDU_PLUGIN_NAME, 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower'];

/** Plugin name of the Control Tower rule set; acknowledgments read `ControlTower::CT.S3.PR.1`. */
export const CONTROL_TOWER_PLUGIN_NAME = 'ControlTower';

/**
 * Control Tower service folders the gate evaluates. Running every bundled
 * rule costs about 8 s on 200 resources; these are the services the baseline
 * deploys (S3, KMS, IAM, EC2 incl. VPC/subnets/security groups, EFS,
 * CloudWatch Logs and alarms, CloudTrail), which keeps cfn-guard well under a
 * second. SNS and SSM have no Control Tower proactive rules; LOG-3 and
 * SECRET-* are enforced by EduSecurityChecks and AwsSolutions instead.
 */
export const CONTROL_TOWER_SERVICES: readonly string[] = [
  's3',
  'keymanagementservice',
  'identityandaccessmanagement',
  'ec2',
  'efs',
  'cloudwatch',
  'cloudtrail',
];

/** Options of {@link attachPolicyGate}. */
export interface PolicyGateOptions {
  /**
   * Rule sets to register.
   * @default all four (ALL_RULE_SETS)
   */
  readonly ruleSets?: readonly RuleSetName[];
  /**
   * Rules of the EduSecurityChecks pack.
   * @default every rule of the pack
   */
  readonly eduRules?: readonly EduRule[];
  /**
   * Control Tower service folders (under the validator's `rules/control-tower/cfn-guard`).
   * @default CONTROL_TOWER_SERVICES
   */
  readonly controlTowerServices?: readonly string[];
  /**
   * Control Tower controls not to run at all, e.g. `CT.S3.PR.9`. Prefer an
   * acknowledgment on the resource; disabling hides the control everywhere.
   * @default none
   */
  readonly controlTowerDisabledRules?: readonly string[];
}

/** True unless the app was synthesized with `-c gate=off`. */
export function gateEnabled(scope: IConstruct): boolean {
  const value: unknown = scope.node.tryGetContext(GATE_CONTEXT_KEY);
  return !(value === 'off' || value === false || value === 'false');
}

const attached = new WeakSet<IConstruct>();

/**
 * Registers the policy gate on an App or a Stage: EduSecurityChecks,
 * AwsSolutions, NIST 800-53 R5 and Control Tower proactive controls.
 *
 * Synthesis fails on any unacknowledged error finding; warnings appear in the
 * report but never fail (cdk-nag's own packs report failure on warnings, so
 * each rule set is wrapped in a {@link GatedRuleSet} that recomputes success).
 * cdk-nag packs are evaluated on the subtree of `scope` only, so a gate per
 * Stage reports each finding once.
 */
export function attachPolicyGate(scope: App | Stage, options: PolicyGateOptions = {}): GatedRuleSet[] {
  if (attached.has(scope)) {
    throw new Error(`The policy gate is already attached to '${scope.node.path || 'App'}'; attach it once per App or Stage.`);
  }
  attached.add(scope);
  const sets = options.ruleSets ?? ALL_RULE_SETS;
  const plugins: GatedRuleSet[] = [];
  for (const set of sets) {
    switch (set) {
      case EDU_PLUGIN_NAME:
        plugins.push(nagRuleSet(scope, EDU_PLUGIN_NAME, new EduSecurityChecks(undefined, options.eduRules ? { rules: options.eduRules } : {})));
        break;
      case 'AwsSolutions':
        plugins.push(nagRuleSet(scope, 'AwsSolutions', new AwsSolutionsChecks()));
        break;
      case 'NIST.800.53.R5':
        plugins.push(nagRuleSet(scope, 'NIST.800.53.R5', new NIST80053R5Checks()));
        break;
      case CONTROL_TOWER_PLUGIN_NAME:
        plugins.push(controlTowerRuleSet(scope, options));
        break;
      default:
        throw new Error(`Unknown rule set '${String(set)}'; expected one of ${ALL_RULE_SETS.join(', ')}.`);
    }
  }
  Validations.of(scope).addPlugins(...plugins);
  return plugins;
}

/** How a rule set's raw report becomes the gate's report. */
interface RuleSetBehaviour {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  run(context: IPolicyValidationContext): PolicyValidationPluginReport;
  /** Renames a rule (e.g. a cfn-guard rule to its Control Tower ID); default keeps it. */
  ruleNameOf?(violation: PolicyViolation): string;
  /** Severity to report; default keeps the rule set's own. */
  severityOf?(ruleName: string, violation: PolicyViolation): 'error' | 'warning' | undefined;
}

/**
 * One rule set of the gate, as a CDK validation plugin that delegates to the
 * real plugin and normalises its report:
 * - success is recomputed from error findings only (warnings never fail);
 * - every finding ID is made acknowledgeable (see {@link acknowledgeableRuleName});
 * - violating resources get their logical ID and template file, so the
 *   report can be read without the construct tree.
 */
export class GatedRuleSet implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly scope: IConstruct, private readonly behaviour: RuleSetBehaviour) {
    this.name = behaviour.name;
    this.version = behaviour.version;
    this.ruleIds = behaviour.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const raw = this.behaviour.run(context);
    const constructs = new ConstructIndex(this.scope.node.root);
    const violations = raw.violations.map((v): PolicyViolation => {
      const ruleName = acknowledgeableRuleName(this.behaviour.ruleNameOf?.(v) ?? v.ruleName);
      const severity = this.behaviour.severityOf?.(ruleName, v) ?? v.severity;
      return {
        ...v,
        ruleName,
        severity,
        violatingResources: v.violatingResources.map((r) => constructs.enrich(r)),
      };
    });
    return {
      ...raw,
      violations,
      success: raw.violations.length === 0 ? raw.success : violations.every((v) => !isBlocking(v.severity)),
    };
  }
}

function isBlocking(severity: string | undefined): boolean {
  // The CDK report treats a missing severity as an error.
  return severity === undefined || severity === 'error' || severity === 'fatal';
}

/**
 * Makes a finding ID acknowledgeable by `Validations.of(c).acknowledge`.
 *
 * aws-cdk-lib parses rule IDs as `namespace::rule` and also when matching
 * acknowledgments against reported findings (validation-id.js). Verified with
 * 2.276: a `::` inside `[...]` (cdk-nag's `AwsSolutions-IAM5[Action::s3:*]`)
 * is skipped by the parser and can be acknowledged, but a finding whose
 * brackets do not balance (IAM5 on a resource ARN such as `arn:...:b/x]*`)
 * makes the parser throw `InvalidValidationId`, and then the WHOLE synth fails
 * as soon as any acknowledgment exists anywhere in the app. So every finding
 * ID the gate reports is normalised here, once, for all rule sets:
 * - runs of `:` collapse to a single `:` (`AwsSolutions-IAM5[Resource:*]`),
 *   which also keeps IDs uniform with our own rules, which never emit `::`;
 * - if the finding's brackets do not balance, its bracket characters become `_`.
 * acknowledgments.ts applies the same function to registry IDs, so either
 * spelling (`[Action::s3:*]` or `[Action:s3:*]`) acknowledges the finding.
 */
export function acknowledgeableRuleName(ruleName: string): string {
  const collapse = (s: string): string => s.replace(/:{2,}/g, ':');
  const open = ruleName.indexOf('[');
  if (open === -1) return collapse(ruleName);
  const head = collapse(ruleName.slice(0, open));
  const inner = collapse(ruleName.endsWith(']') ? ruleName.slice(open + 1, -1) : ruleName.slice(open + 1));
  return `${head}[${bracketsBalance(inner) ? inner : inner.replace(/[[\]{}()]/g, '_')}]`;
}

function bracketsBalance(text: string): boolean {
  const pairs: Record<string, string> = { ']': '[', ')': '(', '}': '{' };
  const stack: string[] = [];
  for (const c of text) {
    if (c === '[' || c === '(' || c === '{') stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

/** Construct lookups by path, built lazily once per validation. */
class ConstructIndex {
  private byPath?: Map<string, IConstruct>;

  constructor(private readonly root: IConstruct) {}

  /** Adds the logical ID and template file of a resource reported by construct path only. */
  public enrich(resource: PolicyViolatingResource): PolicyViolatingResource {
    if (resource.resourceLogicalId || !resource.constructPath) return resource;
    const construct = this.find(resource.constructPath);
    if (!construct || !CfnResource.isCfnResource(construct)) return resource;
    const stack = Stack.of(construct);
    const stage = Stage.of(stack);
    return {
      ...resource,
      resourceLogicalId: stack.resolve(construct.logicalId) as string,
      templatePath: join(stage?.outdir ?? '', stack.templateFile),
    };
  }

  private find(path: string): IConstruct | undefined {
    if (!this.byPath) {
      this.byPath = new Map(this.root.node.findAll().map((c) => [c.node.path, c]));
    }
    return this.byPath.get(path);
  }
}

/** A cdk-nag pack evaluated on the gate's scope only (NagPack.validate would walk the whole app). */
function nagRuleSet(scope: IConstruct, name: string, pack: NagPack): GatedRuleSet {
  return new GatedRuleSet(scope, {
    name,
    version: packageVersion(name === EDU_PLUGIN_NAME ? undefined : 'cdk-nag'),
    ruleIds: pack.ruleIds,
    run: () => pack.validateScope(scope),
  });
}

function packageVersion(pkg: string | undefined): string | undefined {
  if (!pkg) return undefined;
  const json = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version?: string };
  return json.version;
}

/** Root of the Control Tower rules bundled with @cdklabs/cdk-validator-cfnguard. */
export function controlTowerRulesRoot(): string {
  return join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower');
}

/** Control Tower control ID → its severity (CRITICAL/HIGH/MEDIUM/LOW) from the bundled metadata. */
export function controlTowerSeverities(services: readonly string[] = CONTROL_TOWER_SERVICES): Map<string, string> {
  const result = new Map<string, string>();
  for (const service of services) {
    const dir = join(controlTowerRulesRoot(), 'metadata', service);
    for (const file of readdirSync(dir)) {
      const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Id?: string; Severity?: string };
      if (meta.Id && meta.Severity) result.set(meta.Id, meta.Severity);
    }
  }
  return result;
}

/** `[CT.S3.PR.1]: Require ...` → `CT.S3.PR.1`. */
function controlTowerId(violation: PolicyViolation): string | undefined {
  return /^\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(violation.description)?.[1];
}

/**
 * Control Tower proactive controls via cfn-guard, reported under the plugin
 * name `ControlTower` with Control Tower IDs as rule names.
 *
 * cfn-guard has no severity; the gate reports a Control Tower finding as an
 * error when the control enforces one of our controls (external-rule-controls.ts)
 * or Control Tower rates it HIGH or CRITICAL, and as a warning otherwise
 * (event notifications, object lock, detailed monitoring, backup plans:
 * advice that the control catalog does not require).
 */
function controlTowerRuleSet(scope: IConstruct, options: PolicyGateOptions): GatedRuleSet {
  const services = options.controlTowerServices ?? CONTROL_TOWER_SERVICES;
  const root = join(controlTowerRulesRoot(), 'cfn-guard');
  const disabledFiles = (options.controlTowerDisabledRules ?? []).map((id) => id.toLowerCase().replace(/\./g, '-'));
  const ruleFiles = guardRuleFiles(services.map((s) => join(root, s))).filter((f) => !disabledFiles.includes(basename(f.path, '.guard')));
  const severities = controlTowerSeverities(services);
  const disabled = new Set(options.controlTowerDisabledRules ?? []);
  return new GatedRuleSet(scope, {
    name: CONTROL_TOWER_PLUGIN_NAME,
    version: CFN_GUARD_VALIDATOR_VERSION,
    ruleIds: [...severities.keys()].filter((id) => !disabled.has(id)),
    run: (context) => runControlTower(context, ruleFiles, disabledFiles),
    ruleNameOf: (v) => controlTowerId(v) ?? v.ruleName,
    severityOf: (ruleName) => {
      const rated = severities.get(ruleName);
      return EXTERNAL_RULE_CONTROLS[ruleName] || rated === 'HIGH' || rated === 'CRITICAL' ? 'error' : 'warning';
    },
  });
}

const CFN_GUARD_VALIDATOR_VERSION = packageVersion('@cdklabs/cdk-validator-cfnguard');

/** A cfn-guard rule file and the resource types it names (empty: unknown, so it runs on every template). */
export interface GuardRuleFile {
  readonly path: string;
  readonly resourceTypes: ReadonlySet<string>;
}

const ruleFileCache = new Map<string, GuardRuleFile[]>();

/** The `.guard` files under the given folders (sorted), with the resource types each one names. */
export function guardRuleFiles(dirs: readonly string[]): GuardRuleFile[] {
  return dirs.flatMap((dir) => {
    let files = ruleFileCache.get(dir);
    if (!files) {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.guard'))
        .sort()
        .map((f) => ({ path: join(dir, f), resourceTypes: namedResourceTypes(readFileSync(join(dir, f), 'utf8')) }));
      ruleFileCache.set(dir, files);
    }
    return files;
  });
}

/** Resource type literals (`"AWS::S3::Bucket"`) outside comments. */
function namedResourceTypes(guard: string): Set<string> {
  const code = guard.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
  return new Set([...code.matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+)["']/g)].map((m) => m[1]));
}

/**
 * The rule files worth running over these templates: those naming a resource
 * type that at least one template holds, and those naming none.
 *
 * cfn-guard spends most of its time parsing rule files (up to half a second
 * each for the larger EC2 rules), once per invocation, whatever the number of
 * templates. Every bundled Control Tower rule names the resource types it
 * reports on and SKIPs a template without them (scenario 1 of each rule), and
 * SKIPs are not reported, so a rule none of whose types occur can only SKIP.
 */
export function applicableGuardRules(templateTypes: ReadonlySet<string>, rules: readonly GuardRuleFile[]): GuardRuleFile[] {
  return rules.filter((r) => r.resourceTypes.size === 0 || [...r.resourceTypes].some((t) => templateTypes.has(t)));
}

/** Resource types of a synthesized template. */
function templateResourceTypes(path: string): Set<string> {
  const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: unknown }> };
  return new Set(Object.values(template.Resources ?? {}).map((r) => String(r.Type)));
}

/**
 * Runs the applicable Control Tower rules (see {@link applicableGuardRules})
 * over all templates in ONE cfn-guard invocation, so each rule file is parsed
 * once; the bundled validator runs cfn-guard and parses its output. (Splitting
 * the rule files over parallel cfn-guard processes was measured slower on two
 * cores: every process loads every template, and the processes contend for
 * the allocator's mmap/munmap calls.)
 */
export function runControlTower(context: IPolicyValidationContext, rules: readonly GuardRuleFile[], disabledFiles: readonly string[] = []): PolicyValidationPluginReport {
  const types = new Set(context.templatePaths.flatMap((path) => [...templateResourceTypes(path)]));
  const applicable = applicableGuardRules(types, rules);
  if (applicable.length === 0 || context.templatePaths.length === 0) return { success: true, violations: [] };
  const validator = new CfnGuardValidator({
    controlTowerRulesEnabled: false,
    rules: applicable.map((r) => r.path),
    disabledRules: [...disabledFiles],
    maxBuffer: 64 * 1024 * 1024,
  });
  const evaluate = (templatePaths: string[]): PolicyValidationPluginReport =>
    validator.validate({ ...context, templatePaths }) as PolicyValidationPluginReport;
  try {
    return evaluate([...context.templatePaths]);
  } catch (err) {
    // cdk-validator-cfnguard 0.0.62 throws on some results for unresolved values (a Ref to a
    // template parameter in a checked property). One such template must not wipe the Control
    // Tower results of the others: evaluate each alone and report the ones that still fail.
    const stackOf = (path: string) => context.stackTemplates?.find((s) => s.templatePath === path)?.stackConstructPath;
    if (context.templatePaths.length === 1) return unevaluated(context.templatePaths[0], stackOf(context.templatePaths[0]), err);
    const reports = context.templatePaths.map((path) => {
      try {
        return evaluate([path]);
      } catch (single) {
        return unevaluated(path, stackOf(path), single);
      }
    });
    return { success: reports.every((r) => r.success), violations: reports.flatMap((r) => r.violations) };
  }
}

/** Rule name of the warning for a template the Control Tower rules could not evaluate. */
export const CONTROL_TOWER_UNEVALUATED = 'CT.UNEVALUATED';

/**
 * A warning, never a silent pass: the other rule sets still ran on the
 * template, but no Control Tower control was checked for it.
 */
function unevaluated(templatePath: string, stackConstructPath: string | undefined, err: unknown): PolicyValidationPluginReport {
  return {
    success: true,
    violations: [
      {
        ruleName: CONTROL_TOWER_UNEVALUATED,
        description:
          `Control Tower rules could not evaluate this template (${(err as Error).message.replace(/\s+/g, ' ').trim()}); the other rule sets ran. ` +
          'This happens when a checked property refers to a template parameter: give it a literal value, or check the Control Tower controls by hand.',
        severity: 'warning',
        // The stack's construct path names the template: the finding concerns it as a whole.
        violatingResources: [{ resourceLogicalId: '', templatePath, locations: [], ...(stackConstructPath ? { constructPath: stackConstructPath } : {}) }],
      },
    ],
  };
}
