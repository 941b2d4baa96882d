import { portablePath } from '../paths';
import { Control, CONTROL_TITLES, CONTROLS } from '../policy/controls';
import { AppliedException } from '../policy/exceptions';
import { EXTERNAL_RULE_CONTROLS } from '../policy/external-rule-controls';
import { RULE_CATALOG, RuleSummary } from '../policy/rule-catalog';
import { ControlId, EDU_PACK_NAME, EDU_PLUGIN_NAME, Finding, RULE_SET_NAMES, ruleSetOfExternalRule, Severity } from '../policy/vocabulary';
import { CloudAssemblyView, EnvironmentView, environmentOfFinding } from './cloud-assembly';
import { EvidenceResource, extractorFor } from './evidence';
import { Provenance, readProvenance } from './provenance';

/** Status of a control in one environment, in the order the summary shows them. */
export const STATUSES = ['met', 'met with exceptions', 'violated', 'not evidenced', 'not applicable'] as const;
export type ControlStatus = (typeof STATUSES)[number];

/** The rule sets of the gate, in report order. */
export const GATE_RULE_SETS: readonly string[] = RULE_SET_NAMES;

/** A rule that enforces a control. */
export interface EnforcingRule {
  readonly ruleSet: string;
  readonly ruleId: string;
  /** Our rules' severity; third-party rules report their own. */
  readonly severity?: Severity;
  /** Whether its rule set ran on this cloud assembly (it appears in validation-report.json). */
  readonly ran: boolean;
}

/** A finding as the report shows it. */
export interface ReportFinding {
  readonly ruleSet: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly control: ControlId | null;
  readonly resource: string;
  readonly constructPath: string;
  readonly templatePath: string;
  readonly message: string;
  /** Set for an accepted exception: its reason and, from its record (EXC-1), owner, ticket and expiry or review date. */
  readonly acknowledgment?: ReportAcknowledgment;
  /** True when the finding names no resource, so it is shown in every environment. */
  readonly unlocated: boolean;
}

/** An accepted exception as the report shows it beside the finding it covers. */
export interface ReportAcknowledgment {
  readonly reason: string;
  readonly acknowledgedAt: string;
  /** From the exception record; absent when the assembly holds no record for the acknowledgment (an older or hand-made cdk.out). */
  readonly owner?: string;
  readonly ticket?: string;
  readonly expires?: string;
  readonly reviewBy?: string;
  readonly declaredIn?: string;
}

export interface ControlResult {
  readonly id: ControlId;
  /** Short title beside the ID (controls.ts CONTROL_TITLES). */
  readonly title: string;
  readonly area: string;
  readonly statement: string;
  readonly severity: Severity;
  readonly nist80053r5: readonly string[];
  /** CIS AWS Foundations Benchmark v5.0.0 recommendations ([] where none applies). */
  readonly cisAwsV5: readonly string[];
  /** NIST CSF 2.0 subcategories. */
  readonly nistCsf2: readonly string[];
  readonly status: ControlStatus;
  /** Why the status is what it is, in one sentence. */
  readonly reason: string;
  readonly resources: readonly EvidenceResource[];
  readonly rules: readonly EnforcingRule[];
  /** Accepted exceptions (acknowledged findings) with their reasons. */
  readonly acknowledgments: readonly ReportFinding[];
  /** Open findings (not acknowledged), errors and warnings. */
  readonly findings: readonly ReportFinding[];
  readonly beyondTemplates?: string;
}

export interface StackSummary {
  readonly displayName: string;
  readonly stackName: string;
  readonly deploymentTarget: string;
  readonly templatePath: string;
}

export interface EnvironmentReport {
  readonly name: string;
  readonly stacks: readonly StackSummary[];
  readonly summary: Readonly<Record<ControlStatus, number>>;
  readonly controls: readonly ControlResult[];
  /** Findings of this environment that map to no control, open and acknowledged. */
  readonly unmappedFindings: readonly ReportFinding[];
}

export interface GateSummary {
  readonly reportFound: boolean;
  /** True when every rule set of the gate appears in the validation report. */
  readonly ran: boolean;
  readonly ruleSets: readonly string[];
  readonly missingRuleSets: readonly string[];
  readonly statement: string;
}

export interface EvidenceReport {
  readonly title: string;
  /** ISO 8601 UTC; the only value that differs between two runs on the same cdk.out. */
  readonly generatedAt: string;
  /**
   * The cloud assembly directory, relative to the working directory when it
   * lies below it (`cdk.out`), else its name: never an absolute path of the
   * machine that wrote the report.
   */
  readonly source: string;
  readonly gate: GateSummary;
  /** What produced the evidence and the digests of the bytes it describes (lib/report/provenance.ts). */
  readonly provenance: Provenance;
  readonly statuses: readonly ControlStatus[];
  readonly environments: readonly EnvironmentReport[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function ruleSetOf(externalRuleId: string): string {
  return ruleSetOfExternalRule(externalRuleId) ?? 'unknown';
}

/**
 * Checks the gate makes itself beside its rule sets (lib/policy/verdict.ts
 * judgeAssembly): it fails the synth on an expired or stale exception record.
 */
export const GATE_CHECKS: Readonly<Partial<Record<ControlId, string>>> = { 'EXC-1': 'PolicyGate-EXC1-ExceptionRecords' };

/** The rules that enforce a control: ours (from `EduRule.control`, via the generated RULE_CATALOG), the gate's own checks and the mapped third-party rules. */
export function enforcingRules(control: ControlId, ranRuleSets: readonly string[], rules: readonly RuleSummary[] = RULE_CATALOG): EnforcingRule[] {
  const ours = rules
    .filter((r) => r.control === control)
    .map((r) => ({ ruleSet: EDU_PLUGIN_NAME, ruleId: `${EDU_PACK_NAME}-${r.id}`, severity: r.severity, ran: ranRuleSets.includes(EDU_PLUGIN_NAME) }));
  const external = Object.entries(EXTERNAL_RULE_CONTROLS)
    .filter(([, c]) => c === control)
    .map(([id]) => ({ ruleSet: ruleSetOf(id), ruleId: id, ran: ranRuleSets.includes(ruleSetOf(id)) }));
  const gateCheck = GATE_CHECKS[control];
  // The gate judges exception records whenever it ran, i.e. whenever any rule set reported.
  if (gateCheck) external.push({ ruleSet: 'PolicyGate', ruleId: gateCheck, ran: ranRuleSets.length > 0 });
  const order = (s: string): number => (GATE_RULE_SETS.includes(s) ? GATE_RULE_SETS.indexOf(s) : GATE_RULE_SETS.length);
  return [...ours, ...external].sort((a, b) => order(a.ruleSet) - order(b.ruleSet) || cmp(a.ruleId, b.ruleId));
}

function gateSummary(view: CloudAssemblyView): GateSummary {
  const missing = GATE_RULE_SETS.filter((s) => !view.gate.ruleSets.includes(s));
  let statement: string;
  if (!view.gate.reportFound) {
    statement = 'No validation report found (cdk.out/validation-report.json): the policy gate did not run on this synthesis. '
      + 'aws-cdk-lib writes that file whenever a validation plugin is registered, even when there are no findings, so its absence '
      + 'means no rule ran (e.g. `-c gate=off`). No control can be reported as met.';
  } else if (missing.length > 0) {
    statement = `The validation report lists the rule sets ${view.gate.ruleSets.join(', ') || '(none)'}; ${missing.join(', ')} did not run. `
      + 'Controls enforced only by rule sets that did not run are not reported as met.';
  } else {
    statement = `The policy gate ran on this synthesis with all four rule sets (${GATE_RULE_SETS.join(', ')}).`;
  }
  return { reportFound: view.gate.reportFound, ran: missing.length === 0, ruleSets: view.gate.ruleSets, missingRuleSets: missing, statement };
}

/** Exception records by acknowledged ID and construct path, the pair aws-cdk-lib records on each acknowledged finding. */
type RecordIndex = ReadonlyMap<string, AppliedException>;
const recordKey = (rule: string, at: string): string => `${rule} @ ${at}`;

function acknowledgmentOf(f: Finding, records: RecordIndex): ReportAcknowledgment | undefined {
  if (!f.acknowledged) return undefined;
  const r = f.acknowledged.id ? records.get(recordKey(f.acknowledged.id, f.acknowledged.acknowledgedAt)) : undefined;
  return {
    reason: f.acknowledged.reason,
    acknowledgedAt: f.acknowledged.acknowledgedAt,
    ...(r ? { owner: r.owner, ticket: r.ticket, ...(r.expires ? { expires: r.expires } : {}), ...(r.reviewBy ? { reviewBy: r.reviewBy } : {}), declaredIn: r.declaredIn } : {}),
  };
}

function toReportFinding(f: Finding, unlocated: boolean, records: RecordIndex): ReportFinding {
  const acknowledgment = acknowledgmentOf(f, records);
  return {
    ruleSet: f.ruleSet,
    ruleId: f.ruleId,
    severity: f.severity,
    control: f.control,
    resource: f.resource,
    constructPath: f.constructPath ?? '',
    templatePath: f.templatePath ?? '',
    message: f.message,
    ...(acknowledgment ? { acknowledgment } : {}),
    unlocated,
  };
}

function findingOrder(a: ReportFinding, b: ReportFinding): number {
  return cmp(a.ruleSet, b.ruleSet) || cmp(a.ruleId, b.ruleId) || cmp(a.templatePath, b.templatePath) || cmp(a.resource, b.resource) || cmp(a.constructPath, b.constructPath);
}

/** Deduplicates findings that the report lists more than once for one resource. */
function unique(findings: ReportFinding[]): ReportFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function evaluate(control: Control, env: EnvironmentView, all: readonly EnvironmentView[], findings: readonly ReportFinding[], gate: GateSummary, rules: readonly RuleSummary[]): ControlResult {
  const extractor = extractorFor(control.id);
  const context = { env, all };
  const resources = extractor ? extractor.extract(context) : [];
  const enforcing = enforcingRules(control.id, gate.ruleSets, rules);
  const mine = findings.filter((f) => f.control === control.id);
  const acknowledgments = mine.filter((f) => f.acknowledgment);
  const open = mine.filter((f) => !f.acknowledgment);
  // A warning-level control is violated by its own (warning) findings; an error-level one only by errors.
  const violating = open.filter((f) => f.severity === 'error' || control.severity === 'warning');
  const otherViolations = extractor?.violations ? extractor.violations(context) : [];
  const inScope = extractor
    ? extractor.inScope ? extractor.inScope(context) : env.resources.some((r) => extractor.governs.includes(r.type))
    : true;
  const ranRules = enforcing.filter((r) => r.ran);

  let status: ControlStatus;
  let reason: string;
  if (violating.length > 0) {
    status = 'violated';
    reason = `${plural(violating.length, 'open finding')} of ${[...new Set(violating.map((f) => f.ruleId))].join(', ')}.`;
  } else if (otherViolations.length > 0) {
    status = 'violated';
    reason = `${otherViolations.join('; ')}.`;
  } else if (!extractor) {
    status = 'not evidenced';
    reason = 'The report has no evidence extractor for this control.';
  } else if (!inScope && resources.length === 0) {
    status = 'not applicable';
    reason = extractor.governs.length > 0
      ? `This environment has no resource the control governs (${extractor.governs.join(', ')}).`
      : 'This environment has nothing the control governs.';
  } else if (resources.length === 0) {
    status = 'not evidenced';
    reason = 'No resource in this environment implements the control, although it has resources the control governs.';
  } else if (!gate.reportFound) {
    status = 'not evidenced';
    reason = 'The policy gate did not run on this synthesis, so no rule has checked the values shown.';
  } else if (ranRules.length === 0) {
    status = 'not evidenced';
    reason = enforcing.length === 0
      ? 'No rule of the gate enforces this control.'
      : `None of its rules ran (rule sets that ran: ${gate.ruleSets.join(', ') || 'none'}).`;
  } else if (extractor.templatesInsufficient) {
    status = 'not evidenced';
    reason = 'Templates cannot show this control is met; see how it is evidenced.';
  } else if (acknowledgments.length > 0) {
    status = 'met with exceptions';
    reason = `${plural(acknowledgments.length, 'accepted exception')}; ${plural(resources.length, 'implementing resource')} checked by ${plural(ranRules.length, 'rule')}.`;
  } else {
    status = 'met';
    reason = `${plural(resources.length, 'implementing resource')} checked by ${plural(ranRules.length, 'rule')} with no open finding.`;
  }
  if (open.length > violating.length && status !== 'violated') reason += ` ${plural(open.length - violating.length, 'open warning')} (not blocking).`;

  return {
    id: control.id,
    title: CONTROL_TITLES[control.id],
    area: control.area,
    statement: control.statement,
    severity: control.severity,
    nist80053r5: control.nist80053r5,
    cisAwsV5: control.cisAwsV5 ?? [],
    nistCsf2: control.nistCsf2,
    status,
    reason,
    resources,
    rules: enforcing,
    acknowledgments,
    findings: open,
    ...(extractor?.beyondTemplates ? { beyondTemplates: extractor.beyondTemplates } : {}),
  };
}

/** Options of {@link buildEvidenceReport}. */
export interface ReportOptions {
  /** ISO 8601 timestamp written as generated-at. */
  readonly generatedAt: string;
  /** EduSecurityChecks rules (for tests). @default RULE_CATALOG, every rule of the pack */
  readonly rules?: readonly RuleSummary[];
}

/** Builds the control matrix of every environment of a cloud assembly. */
export function buildEvidenceReport(view: CloudAssemblyView, options: ReportOptions): EvidenceReport {
  const gate = gateSummary(view);
  const rules = options.rules ?? RULE_CATALOG;
  const located = view.findings.map((f) => ({ f, env: environmentOfFinding(f, view.environments) }));
  const records: RecordIndex = new Map(view.environments.flatMap((e) => e.exceptions.map((s) => [recordKey(s.record.rule, s.record.resource), s.record] as const)));
  const environments = view.environments.map((env): EnvironmentReport => {
    const findings = unique(
      located.filter((l) => l.env === env || l.env === undefined).map((l) => toReportFinding(l.f, l.env === undefined, records)),
    ).sort(findingOrder);
    const controls = CONTROLS.map((c) => evaluate(c, env, view.environments, findings, gate, rules));
    const summary = Object.fromEntries(STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Record<ControlStatus, number>;
    return {
      name: env.name,
      stacks: env.stacks.map((s) => ({ displayName: s.displayName, stackName: s.stackName, deploymentTarget: s.environment, templatePath: s.templatePath })),
      summary,
      controls,
      unmappedFindings: findings.filter((f) => f.control === null),
    };
  });
  return {
    title: 'Security control evidence',
    generatedAt: options.generatedAt,
    source: portablePath(view.directory),
    gate,
    provenance: readProvenance(view, gate.ran),
    statuses: STATUSES,
    environments,
  };
}
