import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { ALL_RULE_SETS, attachPolicyGate, PolicyGateOptions } from '../policy/gate';
import { assemblyIndex } from '../assembly/resources';
import { findingsFromValidationReport } from '../policy/findings';
import { Finding, isBlocking } from '../policy/vocabulary';
import { AuditInputError, readInputs, RecordedAnnotation, TemplateFile } from './template-file';
import { applyTransforms, NotEvaluated } from './transforms';

/** The findings of one audited template. */
export interface TemplateFindings {
  /** The template's path as given (relative to the working directory). */
  readonly path: string;
  /** Line of each resource's logical ID key, for SARIF regions. */
  readonly resourceLines: ReadonlyMap<string, number>;
  readonly findings: readonly Finding[];
}

/** Result of an audit run. */
export interface AuditResult {
  readonly templates: readonly TemplateFindings[];
  /** The rule sets that ran. */
  readonly ruleSets: readonly string[];
  /** Inputs that could not be read or loaded, each named with its problem (exit code 2); the others were audited. */
  readonly unreadable?: readonly AuditInputError[];
}

/** Rule set name of the audit's own notes: what a template holds that no rule could evaluate. */
export const NOT_EVALUATED_RULE_SET = 'Audit';

/** Options of {@link auditTemplates} and {@link auditPaths}. */
export interface AuditOptions {
  /** Gate options (rule sets, Control Tower services). @default all four rule sets */
  readonly gate?: PolicyGateOptions;
  /** Working directory the reported paths are relative to. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Intrinsics CloudFormation accepts that CfnInclude refuses. Their values are
 * replaced by a placeholder for CfnInclude and written back, verbatim, with a
 * raw override on the included resource, so the rules judge the original
 * template. `Fn::GetStackOutput` is CDK's weak cross-stack reference.
 */
const PASS_THROUGH_INTRINSICS = new Set(['Fn::GetStackOutput', 'Fn::Length', 'Fn::ToJsonString']);

function containsPassThrough(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsPassThrough);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => PASS_THROUGH_INTRINSICS.has(k) || containsPassThrough(v));
}

function replacePassThrough(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replacePassThrough);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && PASS_THROUGH_INTRINSICS.has(entries[0][0])) {
    return `<${entries[0][0]}>`;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, replacePassThrough(v)]));
}

/** Resource attribute or property to restore: [logicalId, override path, original value]. */
type Restore = readonly [string, string, unknown];

/** The template CfnInclude can load, and what to write back after loading. */
function prepareForInclude(template: Record<string, unknown>): { template: Record<string, unknown>; restores: Restore[] } {
  const restores: Restore[] = [];
  const resources: Record<string, unknown> = {};
  for (const [logicalId, raw] of Object.entries(template.Resources as Record<string, Record<string, unknown>>)) {
    const resource: Record<string, unknown> = { ...raw };
    for (const [attr, value] of Object.entries(raw)) {
      if (attr === 'Properties' && typeof value === 'object' && value !== null) {
        const props: Record<string, unknown> = {};
        for (const [prop, propValue] of Object.entries(value)) {
          if (containsPassThrough(propValue)) {
            restores.push([logicalId, `Properties.${prop.replace(/\./g, '\\.')}`, propValue]);
            props[prop] = replacePassThrough(propValue);
          } else {
            props[prop] = propValue;
          }
        }
        resource.Properties = props;
      } else if (containsPassThrough(value)) {
        restores.push([logicalId, attr, value]);
        resource[attr] = replacePassThrough(value);
      }
    }
    resources[logicalId] = resource;
  }
  // Outside Resources (Outputs, Conditions) the placeholder stays: CfnInclude
  // offers no raw override there, and no rule reads these intrinsics.
  const rest = Object.fromEntries(Object.entries(template).filter(([k]) => k !== 'Resources').map(([k, v]) => [k, replacePassThrough(v)]));
  return { template: { ...rest, Resources: resources }, restores };
}

/**
 * Audits templates in ONE app and ONE synth: each template is loaded with
 * CfnInclude (logical IDs preserved) into its own stack, the gate's four rule
 * sets run, and the validation report is split back per original file.
 */
export function auditTemplates(files: readonly TemplateFile[], options: AuditOptions = {}): AuditResult {
  const workdir = mkdtempSync(join(tmpdir(), 'edu-audit-'));
  try {
    const outdir = join(workdir, 'cdk.out');
    const inputs = join(workdir, 'inputs');
    mkdirSync(inputs);
    const app = new App({
      outdir,
      // aws-cdk-lib's built-in CloudFormation validation would double the audit's time; for a cdk.out
      // its findings are replayed from the validation report of the synth (template-file.ts).
      builtinCloudFormationValidation: false,
      analyticsReporting: false,
      context: {
        // The report is the product here; synth must not throw on findings.
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        // Third-party templates may exceed CDK's 500-resource guard; CloudFormation decides that.
        '@aws-cdk/core:stackResourceLimit': 0,
        'aws:cdk:disable-creation-stack-traces': true,
      },
    });
    const byTemplateFile = new Map<string, TemplateFile>();
    const notEvaluated = new Map<TemplateFile, readonly NotEvaluated[]>();
    const unreadable: AuditInputError[] = [];
    const loaded = files.filter((file, i) => {
      // No bootstrap parameter or rule is added, so CDK asset templates keep theirs.
      // A cdk.out stack keeps its account and region, so rules can tell its own account from a foreign one.
      const stack = new Stack(app, `Template${i + 1}`, { synthesizer: new BootstraplessSynthesizer(), env: file.environment });
      const transformed = applyTransforms(file.template);
      notEvaluated.set(file, transformed.notEvaluated);
      const prepared = prepareForInclude(transformed.template);
      const includeFile = join(inputs, `${i + 1}.json`);
      writeFileSync(includeFile, JSON.stringify(prepared.template));
      let include: CfnInclude;
      try {
        include = new CfnInclude(stack, 'Template', { templateFile: includeFile, parameters: numberDefaults(transformed.template) });
      } catch (err) {
        // One template CloudFormation's loader refuses is named; the others are still audited.
        app.node.tryRemoveChild(stack.node.id);
        unreadable.push(new AuditInputError(file.path, `cannot be loaded as a CloudFormation template: ${(err as Error).message}`));
        return false;
      }
      for (const [logicalId, path, value] of prepared.restores) {
        include.getResource(logicalId).addOverride(path, value);
      }
      for (const [logicalId, acks] of file.acknowledgments ?? []) {
        if (!(logicalId in (file.template.Resources as Record<string, unknown>))) continue;
        Validations.of(include.getResource(logicalId)).acknowledge(...acks);
      }
      byTemplateFile.set(stack.templateFile, file);
      return true;
    });
    attachPolicyGate(app, options.gate);
    try {
      app.synth();
    } catch (err) {
      throw new AuditInputError(files.map((f) => f.path).join(', '), `synthesis failed: ${(err as Error).message}`);
    }
    let report: unknown = { pluginReports: [] };
    if (loaded.length > 0) {
      // Fail closed: with templates loaded and rule sets attached, aws-cdk-lib always writes the report.
      try {
        report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as unknown;
      } catch (err) {
        throw new Error(`the rule sets left no readable validation report (${(err as Error).message}); nothing can be shown to have been checked`, { cause: err });
      }
    }
    // The index places findings reported by construct path only (e.g. about a whole template).
    const findings = findingsFromValidationReport(report, { index: assemblyIndex(outdir) });
    return {
      ruleSets: options.gate?.ruleSets ?? ALL_RULE_SETS,
      templates: loaded.map((file) => ({
        path: file.path,
        resourceLines: file.resourceLines,
        findings: [
          ...findings
            // A finding without a template (a rule set that crashed) concerns every template.
            .filter((f) => f.templatePath === undefined || byTemplateFile.get(f.templatePath) === file)
            .filter((f) => !metInTemplate(f, file.template))
            .map((f) => asTemplateFinding(f, file)),
          ...(notEvaluated.get(file) ?? []).map((n) => notEvaluatedFinding(n, file)),
          ...(file.annotations ?? []).map((a) => annotationFinding(a, file)),
          ...(file.replayedFindings ?? []).map((f) => ({ ...f, templatePath: file.path })),
        ],
      })),
      ...(unreadable.length > 0 ? { unreadable } : {}),
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/**
 * A finding of the audit app, pointing at the original file instead of the
 * synthesized one, and, for a cdk.out template, at the construct and source
 * line the resource came from.
 */
function asTemplateFinding(finding: Finding, file: TemplateFile): Finding {
  const { ruleId, ruleSet, control, severity, message, fix, acknowledged } = finding;
  // A rule reports a parameter default or an output on a carrier resource; name the parameter or output instead.
  const resource = /\[(?:Parameters|Outputs)\.([A-Za-z0-9]+)\./.exec(ruleId)?.[1] ?? finding.resource;
  const origin = file.constructs?.get(resource);
  return {
    ruleId,
    ruleSet,
    control,
    severity,
    resource,
    ...(origin ? { constructPath: origin.constructPath } : {}),
    templatePath: file.path,
    message,
    ...(fix ? { fix } : {}),
    ...(origin?.source ? { source: origin.source } : {}),
    ...(acknowledged ? { acknowledged } : {}),
  };
}

/**
 * cdk-nag rules that decide from the construct tree what a template shows
 * too, read from the template: without this, a template loaded for audit
 * fails where the same resources passed at synth. NIST
 * VPCDefaultSecurityGroupClosed passes a VPC whose construct has CDK's
 * restrictor custom resource as a child; in a template that is a
 * Custom::VpcRestrictDefaultSG whose DefaultSecurityGroupId is the VPC's
 * DefaultSecurityGroup attribute.
 */
function metInTemplate(finding: Finding, template: Record<string, unknown>): boolean {
  if (finding.ruleId !== 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed') return false;
  const resources = Object.values((template.Resources ?? {}) as Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>);
  return resources.some((r) => {
    const target = r.Properties?.DefaultSecurityGroupId as { 'Fn::GetAtt'?: unknown } | undefined;
    const getAtt = target?.['Fn::GetAtt'];
    return r.Type === 'Custom::VpcRestrictDefaultSG' && Array.isArray(getAtt) && getAtt[0] === finding.resource && getAtt[1] === 'DefaultSecurityGroup';
  });
}

/** Rule set name aws-cdk-lib gives construct annotations in the validation report. */
const ANNOTATIONS_RULE_SET = 'Construct Annotations';

/**
 * A construct annotation recorded in the cloud assembly, replayed as the
 * gate reports it (aws-cdk-lib's annotations plugin, flag
 * `@aws-cdk/core:annotationsInValidationReport`): rule `Annotation::<id>`
 * from its `[ack: <id>]` suffix.
 */
function annotationFinding(annotation: RecordedAnnotation, file: TemplateFile): Finding {
  const ack = /\s*\[ack: ([^\]]+)\]$/.exec(annotation.message);
  return {
    ruleId: `Annotation::${ack?.[1] ?? annotation.severity}`,
    ruleSet: ANNOTATIONS_RULE_SET,
    control: null,
    severity: annotation.severity,
    resource: '',
    constructPath: annotation.constructPath,
    templatePath: file.path,
    message: ack ? annotation.message.slice(0, ack.index) : annotation.message,
  };
}

/** A warning for what a template holds that no rule could evaluate (lib/audit/transforms.ts). */
function notEvaluatedFinding(note: NotEvaluated, file: TemplateFile): Finding {
  const what = note.id === '' ? 'Transform' : note.id.startsWith('Fn::ForEach::') ? 'ForEach' : 'Resource';
  return {
    ruleId: `NotEvaluated[${what}]`,
    ruleSet: NOT_EVALUATED_RULE_SET,
    control: null,
    severity: 'warning',
    resource: note.id,
    templatePath: file.path,
    message: note.reason,
  };
}

/**
 * Parameter defaults of type Number, written in place of their Refs: a port
 * or a count that comes from a parameter is judged by its default instead of
 * as "any value" (which made every parameterised port look like port 22).
 * String parameters stay unresolved: a deployer may pass any string, and the
 * rules treat an unknown CIDR or ARN conservatively.
 */
function numberDefaults(template: Record<string, unknown>): Record<string, number> {
  const params = (template.Parameters ?? {}) as Record<string, { Type?: unknown; Default?: unknown }>;
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(params)) {
    if (p?.Type === 'Number' && (typeof p.Default === 'number' || (typeof p.Default === 'string' && /^-?\d+(\.\d+)?$/.test(p.Default)))) {
      out[name] = Number(p.Default);
    }
  }
  return out;
}

/**
 * Reads the given template files and cdk.out directories and audits them
 * together; an input that cannot be read is named in `unreadable` and the
 * others are audited. Throws AuditInputError only when nothing is readable.
 */
export function auditPaths(paths: readonly string[], options: AuditOptions = {}): AuditResult {
  const { files, unreadable } = readInputs(paths, options.cwd);
  if (files.length === 0 && unreadable.length > 0) throw unreadable[0];
  const result = auditTemplates(files, options);
  const all = [...unreadable, ...(result.unreadable ?? [])];
  return { ...result, ...(all.length > 0 ? { unreadable: all } : {}) };
}

/** True when any template has an unacknowledged error finding (exit code 1). */
export function hasErrors(result: AuditResult): boolean {
  return result.templates.some((t) => t.findings.some(isBlocking));
}
