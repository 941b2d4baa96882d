import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDU_PACK_NAME, EDU_PLUGIN_NAME } from './edu-checks';
import { externalRuleControl } from './external-rule-controls';
import { ControlId, EduRule } from './rule';
import { ALL_RULES } from './rules';
import { CONFIG_SOURCE_METADATA, CREATION_STACK_METADATA, sourceOfTrace } from './source-locations';

/** The rule set a finding comes from: the validation plugin's name. */
export type RuleSet = 'EduSecurityChecks' | 'AwsSolutions' | 'NIST.800.53.R5' | 'ControlTower' | string;

/**
 * One finding of the policy gate or of `edu-baseline audit`: the type every
 * output format and the evidence report are written from.
 */
export interface Finding {
  /** The reported rule ID including the `[finding]` suffix, e.g. `AwsSolutions-IAM5[Resource:*]`. */
  readonly ruleId: string;
  readonly ruleSet: RuleSet;
  /** The control of docs/controls.md the rule enforces, or null when none clearly applies. */
  readonly control: ControlId | null;
  readonly severity: 'error' | 'warning';
  /** Logical ID of the resource in its template ('' when the rule set reported none). */
  readonly resource: string;
  readonly constructPath?: string;
  /** Template file, relative to the cloud assembly directory. */
  readonly templatePath?: string;
  readonly message: string;
  readonly fix?: string;
  /**
   * `file:line` in the project where the resource's construct was created
   * (from its creation stack in the cloud assembly), relative to the
   * directory synthesis ran in; absent for plain templates.
   */
  readonly source?: string;
  /** Set when an acknowledgment suppressed the finding; it then never fails anything. */
  readonly acknowledged?: { readonly reason: string; readonly acknowledgedAt: string; readonly id?: string };
}

/** A violating construct as `validation-report.json` records it. */
interface ReportConstruct {
  readonly constructPath?: string;
  readonly cloudFormationResource?: { readonly templatePath?: string; readonly logicalId?: string };
}

interface ReportViolation {
  readonly ruleName: string;
  readonly description?: string;
  readonly suggestedFix?: string;
  readonly severity?: string;
  readonly violatingConstructs?: readonly ReportConstruct[];
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion?: string;
  readonly metadata?: Record<string, string>;
  readonly violations?: readonly ReportViolation[];
  readonly suppressedViolations?: readonly ReportViolation[];
}

/** Where a CloudFormation resource's construct lives in the cloud assembly. */
export interface ResourceLocation {
  readonly logicalId: string;
  /** Template file relative to the root assembly directory. */
  readonly templatePath: string;
  /** `file:line` of the innermost project frame of the construct's creation stack, when recorded. */
  readonly source?: string;
}

/** Construct path → resource location, read from the cloud assembly (tree.json and manifests). */
export type AssemblyIndex = ReadonlyMap<string, ResourceLocation>;

interface TreeNode {
  readonly path?: string;
  readonly attributes?: Record<string, unknown>;
  readonly children?: Record<string, TreeNode>;
}

interface Manifest {
  readonly artifacts?: Record<string, {
    readonly type?: string;
    readonly displayName?: string;
    readonly additionalMetadataFile?: string;
    readonly metadata?: Record<string, ReadonlyArray<{ readonly type: string; readonly data?: unknown }>>;
    readonly properties?: { readonly templateFile?: string; readonly directoryName?: string };
  }>;
}

/** One stack artifact of a cloud assembly with its metadata (manifest plus additional metadata file). */
export interface StackMetadata {
  /** Display name, e.g. `dev/Data`. */
  readonly displayName: string;
  /** Template file relative to the root assembly directory. */
  readonly templatePath: string;
  /** Construct path (with a leading `/`) → metadata entries. */
  readonly metadata: Readonly<Record<string, ReadonlyArray<{ readonly type: string; readonly data?: unknown }>>>;
}

/** The stack artifacts of the root assembly and every nested Stage assembly, with their metadata. */
export function stackMetadataOfAssembly(outdir: string): StackMetadata[] {
  const stacks: StackMetadata[] = [];
  const readManifest = (dir: string, relDir: string): void => {
    const file = join(dir, 'manifest.json');
    if (!existsSync(file)) return;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
        const extra = artifact.additionalMetadataFile ? join(dir, artifact.additionalMetadataFile) : undefined;
        const metadata = { ...(artifact.metadata ?? {}), ...(extra && existsSync(extra) ? (JSON.parse(readFileSync(extra, 'utf8')) as StackMetadata['metadata']) : {}) };
        stacks.push({ displayName: artifact.displayName ?? id, templatePath: joinRel(relDir, artifact.properties.templateFile), metadata });
      } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        const sub = artifact.properties.directoryName;
        readManifest(join(dir, sub), joinRel(relDir, sub));
      }
    }
  };
  readManifest(outdir, '');
  return stacks;
}

/**
 * Reads construct paths → logical IDs from `tree.json` (the
 * `aws:cdk:cloudformation:logicalId` attribute, present even with
 * `aws:cdk:disable-creation-stack-traces`) and stack paths → template files
 * from the manifests of the root and every nested Stage assembly.
 */
export function assemblyIndex(outdir: string): AssemblyIndex {
  const stacks = new Map<string, string>();
  const index = new Map<string, ResourceLocation>();
  for (const { displayName, templatePath, metadata } of stackMetadataOfAssembly(outdir)) {
    stacks.set(displayName, templatePath);
    // A finding about a whole template names the stack; it has no logical ID.
    index.set(displayName, { logicalId: '', templatePath });
    // Resources made with plain CfnResource (CDK's own custom resource providers) have no
    // logical ID in tree.json; the stack's metadata records one for every resource.
    for (const [path, entries] of Object.entries(metadata)) {
      const logical = entries.find((e) => e.type === 'aws:cdk:logicalId');
      const configSource = entries.find((e) => e.type === CONFIG_SOURCE_METADATA)?.data;
      const source = typeof configSource === 'string' ? configSource : sourceOfTrace(entries.find((e) => e.type === CREATION_STACK_METADATA)?.data);
      if (logical && typeof logical.data === 'string') {
        index.set(path.replace(/^\//, ''), { logicalId: logical.data, templatePath, ...(source ? { source } : {}) });
      }
    }
  }

  const treeFile = join(outdir, 'tree.json');
  if (!existsSync(treeFile)) return index;
  const tree = JSON.parse(readFileSync(treeFile, 'utf8')) as { tree?: TreeNode };
  const walk = (node: TreeNode, stackTemplate: string | undefined): void => {
    const template = (node.path !== undefined ? stacks.get(node.path) : undefined) ?? stackTemplate;
    const logicalId = node.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (node.path && template && typeof logicalId === 'string' && !index.has(node.path)) {
      index.set(node.path, { logicalId, templatePath: template });
    }
    for (const child of Object.values(node.children ?? {})) walk(child, template);
  };
  if (tree.tree) walk(tree.tree, undefined);
  return index;
}

function joinRel(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/** `EduSecurity-DATA1-BucketKmsEncryption-Unresolved[x]` → the rule, by ID or by its control prefix. */
function eduControl(ruleId: string, rules: readonly EduRule[]): ControlId | null {
  const base = stripFinding(ruleId).replace(new RegExp(`^${EDU_PACK_NAME}-`), '').replace(/-Unresolved$/, '');
  const rule = rules.find((r) => r.id === base);
  if (rule) return rule.control;
  // Rule IDs start with the control without its dash (DATA1-...): the contract of rule.ts.
  const prefix = /^([A-Z]+)(\d+)-/.exec(base);
  return prefix ? (`${prefix[1]}-${prefix[2]}` as ControlId) : null;
}

/** Strips the `[finding]` suffix. */
export function stripFinding(ruleId: string): string {
  const bracket = ruleId.indexOf('[');
  return bracket === -1 ? ruleId : ruleId.slice(0, bracket);
}

/** The control a reported rule enforces, for any rule set. */
export function controlOf(ruleSet: RuleSet, ruleId: string, rules: readonly EduRule[] = ALL_RULES): ControlId | null {
  if (ruleSet === EDU_PLUGIN_NAME) return eduControl(ruleId, rules);
  return externalRuleControl(ruleId);
}

/** A reported severity as the gate reads it: a missing severity is an error, as in the CDK report (normalizeSeverity). */
export function normalizeSeverity(severity: string | undefined): 'error' | 'warning' {
  return severity === undefined || severity === 'error' || severity === 'fatal' ? 'error' : 'warning';
}

function asPluginReports(report: unknown): PluginReport[] {
  if (typeof report !== 'object' || report === null || !Array.isArray((report as { pluginReports?: unknown }).pluginReports)) {
    throw new Error('Not a CDK validation report: no pluginReports array.');
  }
  return (report as { pluginReports: PluginReport[] }).pluginReports;
}

/** Options of {@link findingsFromValidationReport}. */
export interface FindingsOptions {
  /** Construct path → resource, for reports that name constructs only. */
  readonly index?: AssemblyIndex;
  /** EduSecurityChecks rules used to name controls. @default every rule of the pack */
  readonly rules?: readonly EduRule[];
}

/**
 * Converts `<outdir>/validation-report.json` into findings: one per rule and
 * violating resource, suppressed (acknowledged) ones included with their
 * reason. A rule set that crashed becomes an error finding, so a broken
 * plugin can never pass silently.
 */
export function findingsFromValidationReport(report: unknown, options: FindingsOptions = {}): Finding[] {
  const rules = options.rules ?? ALL_RULES;
  const findings: Finding[] = [];
  for (const plugin of asPluginReports(report)) {
    const convert = (v: ReportViolation, acknowledged: boolean): void => {
      const constructs = v.violatingConstructs && v.violatingConstructs.length > 0 ? v.violatingConstructs : [{}];
      for (const c of constructs) {
        const located = c.constructPath ? options.index?.get(c.constructPath) : undefined;
        const resource = c.cloudFormationResource?.logicalId ?? located?.logicalId ?? '';
        const templatePath = c.cloudFormationResource?.templatePath ?? located?.templatePath;
        const fix = v.suggestedFix && v.suggestedFix !== 'N/A' ? v.suggestedFix : undefined;
        findings.push({
          ruleId: v.ruleName,
          ruleSet: plugin.pluginName,
          control: controlOf(plugin.pluginName, v.ruleName, rules),
          severity: normalizeSeverity(v.severity),
          resource,
          ...(c.constructPath ? { constructPath: c.constructPath } : {}),
          ...(templatePath ? { templatePath } : {}),
          message: v.description ?? v.ruleName,
          ...(fix ? { fix } : {}),
          ...(located?.source ? { source: located.source } : {}),
          ...(acknowledged
            ? { acknowledged: { reason: v.reason ?? '', acknowledgedAt: v.acknowledgedAt ?? '', ...(v.acknowledgedId ? { id: v.acknowledgedId } : {}) } }
            : {}),
        });
      }
    };
    for (const v of plugin.violations ?? []) convert(v, false);
    for (const v of plugin.suppressedViolations ?? []) convert(v, true);
    const crashed = plugin.metadata?.error;
    if (plugin.conclusion === 'failure' && (plugin.violations ?? []).length === 0 && crashed) {
      findings.push({
        ruleId: `${plugin.pluginName}-PluginFailure`,
        ruleSet: plugin.pluginName,
        control: null,
        severity: 'error',
        resource: '',
        message: crashed,
      });
    }
  }
  return findings;
}

/** Findings of a synthesized cloud assembly directory (empty when no gate ran). */
export function findingsOfAssembly(outdir: string, rules?: readonly EduRule[]): Finding[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  return findingsFromValidationReport(JSON.parse(readFileSync(file, 'utf8')), { index: assemblyIndex(outdir), ...(rules ? { rules } : {}) });
}

/** The one definition of "fails the build": an error that no acknowledgment covers. */
export function isBlocking(finding: Finding): boolean {
  return finding.severity === 'error' && !finding.acknowledged;
}

/** Findings that fail CI. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(isBlocking);
}

/** Counts of the gate's summary and every audit format: open errors, open warnings, acknowledged. */
export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number; acknowledged: number } {
  return {
    errors: findings.filter(isBlocking).length,
    warnings: findings.filter((f) => f.severity === 'warning' && !f.acknowledged).length,
    acknowledged: findings.filter((f) => f.acknowledged).length,
  };
}
