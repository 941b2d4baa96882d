import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { basename, join } from 'node:path';
import {
  App,
  CfnResource,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolatingResource,
  PolicyViolation,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EduSecurityChecks } from './edu-checks';
import { EXTERNAL_RULE_CONTROLS } from './external-rule-controls';
import {
  controlTowerRulesRoot,
  controlTowerSeverities,
  guardRuleFiles,
  GuardResultCache,
  ControlTowerRun,
  startControlTower,
  VALIDATOR_VERSION,
} from './guard/control-tower';
import { EduRule } from './rule';
import { ALL_RULE_SETS, RuleSetName } from './rule-sets';
import { acknowledgeableRuleName, EDU_PLUGIN_NAME, normalizeSeverity } from './vocabulary';
import { RuleSetCoverage } from './verdict';

/** The context key read by the app entry: `-c gate=off` skips the gate (benchmarks only). */
export const GATE_CONTEXT_KEY = 'gate';

export { ALL_RULE_SETS } from './rule-sets';
export type { RuleSetName } from './rule-sets';

/** Plugin name of the Control Tower rule set; acknowledgments read `ControlTower::CT.S3.PR.1`. */
export const CONTROL_TOWER_PLUGIN_NAME: RuleSetName = 'ControlTower';

/**
 * Control Tower service folders the gate evaluates. Running every bundled
 * rule costs about 8 s on 200 resources; these are the services the baseline
 * deploys (S3, KMS, IAM, EC2 incl. VPC/subnets/security groups, EFS,
 * CloudWatch Logs and alarms, CloudTrail): about 3 s on the example's 12
 * templates (docs/performance.md). SNS and SSM have no Control Tower proactive rules; LOG-3 and
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

/**
 * Control Tower rules the gate does not run because an EduSecurityChecks rule
 * enforces the same requirement in every spelling the rule set misreads
 * (rule → the rule that replaces it and why). CT.S3.PR.8 reports a bucket
 * policy whose TLS-deny statements name the bucket with Fn::Sub as missing
 * them; DATA-2 reads Ref, Fn::Sub, Fn::Join and literal ARNs and also
 * requires the TLS 1.2 floor.
 */
export const SUPERSEDED_CONTROL_TOWER_RULES: Readonly<Record<string, string>> = {
  'CT.S3.PR.8': 'replaced by EduSecurity-DATA2-BucketTlsOnly, which reads the bucket ARN in every spelling (Ref, Fn::Sub, Fn::Join, literal) and also requires TLS 1.2',
};

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
   * Control Tower controls not to run at all, e.g. `CT.S3.PR.9`, in addition
   * to SUPERSEDED_CONTROL_TOWER_RULES. Prefer an acknowledgment on the
   * resource; disabling hides the control everywhere.
   * @default none
   */
  readonly controlTowerDisabledRules?: readonly string[];
  /**
   * Folder where the Control Tower findings of each template are kept, keyed
   * by the template's bytes, the rule files and the validator release, so an
   * unchanged template is not evaluated again; `false` evaluates every
   * template on every synth.
   * @default GuardResultCache.default() (node_modules/.cache/edu-security-baseline), or none with `-c gate-cache=off`
   */
  readonly controlTowerCache?: string | false;
}

/** The context key that turns off the cache of Control Tower findings: `-c gate-cache=off`. */
export const GATE_CACHE_CONTEXT_KEY = 'gate-cache';

/** True unless the app was synthesized with `-c gate=off`. */
export function gateEnabled(scope: IConstruct): boolean {
  return !contextSaysOff(scope, GATE_CONTEXT_KEY);
}

/** `-c key=off` (or `false`). */
function contextSaysOff(scope: IConstruct, key: string): boolean {
  const value: unknown = scope.node.tryGetContext(key);
  return value === 'off' || value === false || value === 'false';
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
 *
 * On an App with aws-cdk-lib's built-in validation on, the gate also
 * registers aws-cdk-lib's CloudFormationValidatePlugin, just before Control
 * Tower (see withBuiltinValidationBeforeControlTower). To configure that
 * plugin yourself (custom rules), register yours before attaching the gate:
 * aws-cdk-lib accepts one instance per App, and the gate then keeps yours.
 */
export function attachPolicyGate(scope: App | Stage, options: PolicyGateOptions = {}): GatedRuleSet[] {
  if (attached.has(scope)) {
    throw new Error(`The policy gate is already attached to '${scope.node.path || 'App'}'; attach it once per App or Stage.`);
  }
  attached.add(scope);
  const sets = options.ruleSets ?? ALL_RULE_SETS;
  const plugins: GatedRuleSet[] = [];
  const members = new GateMembers(plugins);
  for (const set of sets) {
    switch (set) {
      case EDU_PLUGIN_NAME:
        plugins.push(nagRuleSet(scope, EDU_PLUGIN_NAME, new EduSecurityChecks(undefined, options.eduRules ? { rules: options.eduRules } : {}), members));
        break;
      case 'AwsSolutions':
        plugins.push(nagRuleSet(scope, 'AwsSolutions', new AwsSolutionsChecks(), members));
        break;
      case 'NIST.800.53.R5':
        plugins.push(nagRuleSet(scope, 'NIST.800.53.R5', new NIST80053R5Checks(), members));
        break;
      case CONTROL_TOWER_PLUGIN_NAME:
        plugins.push(controlTowerRuleSet(scope, options, members));
        break;
      default:
        throw new Error(`Unknown rule set '${String(set)}'; expected one of ${ALL_RULE_SETS.join(', ')}.`);
    }
  }
  Validations.of(scope).addPlugins(...withBuiltinValidationBeforeControlTower(scope, plugins));
  return plugins;
}

/**
 * The gate's plugins in the order to run them, with aws-cdk-lib's built-in
 * CloudFormation validation placed just before Control Tower when it would
 * run anyway: Control Tower's cfn-guard processes start when the first rule
 * set begins (see {@link RuleSetBehaviour.prepare}) and then work on the other
 * core through the cdk-nag packs and the built-in validation, instead of
 * after them. Left to itself, aws-cdk-lib adds its validation per Stage,
 * visiting Stages before the App, so it runs before a gate attached to the
 * App and nothing overlaps it. The plugin is the one aws-cdk-lib would add
 * (its singleton instance: default rules, same report name, its errors
 * downgraded to warnings the same way); an explicitly registered one replaces the default
 * (CloudFormationValidatePluginProps.includeDefaultRules). It is added only
 * where aws-cdk-lib would add it: on an App whose built-in validation is on
 * (`builtinCloudFormationValidation`, not `--no-validation` /
 * `CDK_VALIDATION=false`) and that has none registered; aws-cdk-lib refuses
 * one on a Stage.
 */
function withBuiltinValidationBeforeControlTower(scope: App | Stage, plugins: readonly GatedRuleSet[]): IPolicyValidationPlugin[] {
  const at = plugins.findIndex((p) => p.name === CONTROL_TOWER_PLUGIN_NAME);
  if (at < 0 || !App.isApp(scope) || !builtinValidationOn(scope)) return [...plugins];
  // The very instance aws-cdk-lib would add (its process-wide singleton), so its engine is built once per process
  // however many Apps a test suite synthesizes, as without the gate.
  return [...plugins.slice(0, at), CloudFormationValidatePlugin._singletonInstance(), ...plugins.slice(at)];
}

function builtinValidationOn(app: App): boolean {
  // The two conditions aws-cdk-lib checks (core/lib/private/synthesis-validation.js, defaultValidationEnabled).
  return app._builtinCloudFormationValidation && process.env.CDK_VALIDATION !== 'false' && !app._validationPlugins.some((p) => p instanceof CloudFormationValidatePlugin);
}

/** How a rule set's raw report becomes the gate's report. */
interface RuleSetBehaviour {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  run(context: IPolicyValidationContext): PolicyValidationPluginReport;
  /**
   * Starts work ahead of this rule set's turn, when the gate's first rule set
   * begins (Control Tower's cfn-guard processes, which then run beside the
   * cdk-nag packs and aws-cdk-lib's built-in validation); `run` uses it or, if
   * it is missing, does the work itself.
   * Returns whether it started something (false: already under way).
   */
  prepare?(context: IPolicyValidationContext): boolean;
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
  private evaluated = { templates: 0, resources: 0 };

  constructor(
    private readonly scope: IConstruct,
    private readonly behaviour: RuleSetBehaviour,
    private readonly members?: GateMembers,
  ) {
    this.name = behaviour.name;
    this.version = behaviour.version;
    this.ruleIds = behaviour.ruleIds;
  }

  /**
   * What the rule set was given in the last synth. aws-cdk-lib never calls a
   * plugin that has no stack, so 0 templates means the rule set did not run.
   */
  public get coverage(): RuleSetCoverage {
    return { name: this.name, ...this.evaluated };
  }

  /** Lets the rule set start its work ahead of its turn (see {@link RuleSetBehaviour.prepare}). */
  public prepare(context: IPolicyValidationContext): void {
    if (!this.behaviour.prepare) return;
    const started = performance.now();
    try {
      if (this.behaviour.prepare(context)) recordTiming(`${this.name} (started early)`, performance.now() - started);
    } catch {
      // Nothing started: the rule set does the work in its turn, and fails there if it must.
    }
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    if (this.members) this.members.begin(context);
    else this.prepare(context);
    const started = performance.now();
    this.evaluated = { templates: context.templatePaths.length, resources: countResources(context.templatePaths) };
    let raw: PolicyValidationPluginReport;
    try {
      raw = this.behaviour.run(context);
    } finally {
      recordTiming(this.name, performance.now() - started);
    }
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
      success: raw.violations.length === 0 ? raw.success : violations.every((v) => normalizeSeverity(v.severity) !== 'error'),
    };
  }
}

/** The rule sets of one {@link attachPolicyGate} call. */
class GateMembers {
  constructor(private readonly sets: readonly GatedRuleSet[]) {}

  /** Called as each rule set begins: every member may start its work now (prepare is idempotent per synth). */
  public begin(context: IPolicyValidationContext): void {
    for (const set of this.sets) set.prepare(context);
  }
}

/**
 * `npm run bench` sets this to a file: each rule set appends one line with
 * its name and wall milliseconds, for the breakdown of the gate's time.
 */
export const GATE_TIMINGS_ENV = 'EDU_BASELINE_GATE_TIMINGS';

function recordTiming(ruleSet: string, ms: number): void {
  const file = process.env[GATE_TIMINGS_ENV];
  if (file) appendFileSync(file, `${JSON.stringify({ ruleSet, ms: Math.round(ms) })}\n`);
}

function countResources(templatePaths: readonly string[]): number {
  return templatePaths.reduce((n, path) => {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, unknown> };
    return n + Object.keys(template.Resources ?? {}).length;
  }, 0);
}

/** The finding-ID grammar lives in the vocabulary; re-exported for the gate's callers. */
export { acknowledgeableRuleName };

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
function nagRuleSet(scope: IConstruct, name: string, pack: NagPack, members: GateMembers): GatedRuleSet {
  return new GatedRuleSet(
    scope,
    {
      name,
      version: packageVersion(name === EDU_PLUGIN_NAME ? undefined : 'cdk-nag'),
      ruleIds: pack.ruleIds,
      run: () => pack.validateScope(scope),
    },
    members,
  );
}

function packageVersion(pkg: string | undefined): string | undefined {
  if (!pkg) return undefined;
  const json = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version?: string };
  return json.version;
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
function controlTowerRuleSet(scope: IConstruct, options: PolicyGateOptions, members: GateMembers): GatedRuleSet {
  const services = options.controlTowerServices ?? CONTROL_TOWER_SERVICES;
  const root = join(controlTowerRulesRoot(), 'cfn-guard');
  const disabledRules = [...Object.keys(SUPERSEDED_CONTROL_TOWER_RULES), ...(options.controlTowerDisabledRules ?? [])];
  const disabledFiles = disabledRules.map((id) => id.toLowerCase().replace(/\./g, '-'));
  const ruleFiles = guardRuleFiles(services.map((s) => join(root, s))).filter((f) => !disabledFiles.includes(basename(f.path, '.guard')));
  const severities = controlTowerSeverities(services);
  const disabled = new Set(disabledRules);
  const cache = controlTowerCache(scope, options.controlTowerCache);
  // Started when the gate's first rule set begins, taken in this rule set's turn if it evaluates the same templates.
  let early: { readonly key: string; readonly run: ControlTowerRun } | undefined;
  return new GatedRuleSet(
    scope,
    {
      name: CONTROL_TOWER_PLUGIN_NAME,
      version: VALIDATOR_VERSION,
      ruleIds: [...severities.keys()].filter((id) => !disabled.has(id)),
      prepare: (context) => {
        const key = templatesKey(context.templatePaths);
        if (early?.key === key) return false;
        early = { key, run: startControlTower(context.templatePaths, ruleFiles, cache) };
        return true;
      },
      run: (context) => {
        const started = early;
        early = undefined;
        const run = started && started.key === templatesKey(context.templatePaths) ? started.run : startControlTower(context.templatePaths, ruleFiles, cache);
        return run.report();
      },
      ruleNameOf: (v) => controlTowerId(v) ?? v.ruleName,
      severityOf: (ruleName) => {
        const rated = severities.get(ruleName);
        return EXTERNAL_RULE_CONTROLS[ruleName] || rated === 'HIGH' || rated === 'CRITICAL' ? 'error' : 'warning';
      },
    },
    members,
  );
}

/** The templates' paths and bytes: an early run is only used for exactly the templates it read. */
function templatesKey(templatePaths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of templatePaths) hash.update(path).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}

function controlTowerCache(scope: IConstruct, option: string | false | undefined): GuardResultCache | undefined {
  if (option === false) return undefined;
  if (option !== undefined) return new GuardResultCache(option);
  return contextSaysOff(scope, GATE_CACHE_CONTEXT_KEY) ? undefined : GuardResultCache.default();
}
