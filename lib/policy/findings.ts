import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalRuleControl } from './external-rule-controls';
import { CONFIG_SOURCE_METADATA, CREATION_STACK_METADATA, sourceOfTrace } from './source-locations';
import { ControlId, controlOfEduRuleId, EDU_PLUGIN_NAME, Finding, normalizeSeverity, RuleSet } from './vocabulary';

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

/**
 * Reads construct paths → logical IDs from `tree.json` (the
 * `aws:cdk:cloudformation:logicalId` attribute, present even with
 * `aws:cdk:disable-creation-stack-traces`) and stack paths → template files
 * from the manifests of the root and every nested Stage assembly.
 */
export function assemblyIndex(outdir: string): AssemblyIndex {
  const stacks = new Map<string, string>();
  const index = new Map<string, ResourceLocation>();
  const readManifest = (dir: string, relDir: string): void => {
    const file = join(dir, 'manifest.json');
    if (!existsSync(file)) return;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
        const templatePath = joinRel(relDir, artifact.properties.templateFile);
        stacks.set(artifact.displayName ?? id, templatePath);
        // A finding about a whole template names the stack; it has no logical ID.
        index.set(artifact.displayName ?? id, { logicalId: '', templatePath });
        // Resources made with plain CfnResource (CDK's own custom resource providers) have no
        // logical ID in tree.json; the stack's metadata records one for every resource.
        const extra = artifact.additionalMetadataFile ? join(dir, artifact.additionalMetadataFile) : undefined;
        const metadata = { ...(artifact.metadata ?? {}), ...(extra && existsSync(extra) ? (JSON.parse(readFileSync(extra, 'utf8')) as Manifest['artifacts'] & object) : {}) };
        for (const [path, entries] of Object.entries(metadata as Record<string, ReadonlyArray<{ type: string; data?: unknown }>>)) {
          const logical = entries.find((e) => e.type === 'aws:cdk:logicalId');
          const configSource = entries.find((e) => e.type === CONFIG_SOURCE_METADATA)?.data;
          const source = typeof configSource === 'string' ? configSource : sourceOfTrace(entries.find((e) => e.type === CREATION_STACK_METADATA)?.data);
          if (logical && typeof logical.data === 'string') {
            index.set(path.replace(/^\//, ''), { logicalId: logical.data, templatePath, ...(source ? { source } : {}) });
          }
        }
      } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        const sub = artifact.properties.directoryName;
        readManifest(join(dir, sub), joinRel(relDir, sub));
      }
    }
  };
  readManifest(outdir, '');

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

/** The control a reported rule enforces, for any rule set. */
export function controlOf(ruleSet: RuleSet, ruleId: string): ControlId | null {
  return ruleSet === EDU_PLUGIN_NAME ? controlOfEduRuleId(ruleId) : externalRuleControl(ruleId);
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
}

/**
 * Converts `<outdir>/validation-report.json` into findings: one per rule and
 * violating resource, suppressed (acknowledged) ones included with their
 * reason. A rule set that crashed becomes an error finding, so a broken
 * plugin can never pass silently.
 */
export function findingsFromValidationReport(report: unknown, options: FindingsOptions = {}): Finding[] {
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
          control: controlOf(plugin.pluginName, v.ruleName),
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
