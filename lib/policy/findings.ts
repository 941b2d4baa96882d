import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyIndex, assemblyIndex } from '../assembly/resources';
import { readAssemblyJson } from '../assembly/manifest';
import { externalRuleControl } from './external-rule-controls';
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

/** The file aws-cdk-lib writes the policy validation results to, in the cloud assembly directory. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

/** What a cloud assembly's validation report says: the rule sets that reported and their findings. */
export interface ValidationResults {
  /** Plugin names in the report, sorted. */
  readonly ruleSets: readonly string[];
  readonly findings: readonly Finding[];
}

/**
 * The validation results of the cloud assembly at `outdir`, each finding
 * placed by the assembly's index; undefined when no gate wrote a report.
 * An unreadable report throws (callers fail closed).
 */
export function readValidationResults(outdir: string): ValidationResults | undefined {
  const file = join(outdir, VALIDATION_REPORT_FILE);
  if (!existsSync(file)) return undefined;
  const report = readAssemblyJson(file);
  const index: AssemblyIndex = existsSync(join(outdir, 'manifest.json')) ? assemblyIndex(outdir) : new Map();
  const findings = findingsFromValidationReport(report, { index });
  const ruleSets = [...new Set(asPluginReports(report).map((p) => p.pluginName).filter((n): n is string => typeof n === 'string'))].sort();
  return { ruleSets, findings };
}
