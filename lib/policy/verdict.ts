import { exceptionsOfAssembly, exceptionVerdictLines, judgeExceptions } from './exceptions';
import { readValidationResults, VALIDATION_REPORT_FILE } from './findings';
import { acknowledgmentIdOf, countFindings, Finding, isBlocking } from './vocabulary';

/**
 * The verdict of the policy gate over one synthesized cloud assembly.
 *
 * Why the gate decides the exit code itself: the CDK CLI runs the app with
 * `@aws-cdk/core:failSynthOnValidationErrors=false` and afterwards fails only
 * on the stacks the command selects. Every stack of the baseline lives in a
 * Stage, so a bare `cdk synth` (or `-q`, `--all`) selects none and exits 0 on
 * an unacknowledged error (aws-cdk-lib 2.276 synthesis-validation.js; CLI
 * 2.1148). The app therefore reads the validation report it has just written
 * and ends the process with the verdict, whatever command ran it.
 */

/** What one rule set evaluated, as recorded by the gate's plugin while it ran. */
export interface RuleSetCoverage {
  readonly name: string;
  /** Templates the rule set was given; 0 means it never ran. */
  readonly templates: number;
  /** CloudFormation resources in those templates. */
  readonly resources: number;
}

/** One rule set's line of the summary. */
export interface RuleSetSummary extends RuleSetCoverage {
  /** False for a plugin that is not one of the gate's rule sets (aws-cdk-lib's built-in validation, annotations): no coverage is known. */
  readonly gated: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledged: number;
}

/** The gate's verdict: passed only with no unacknowledged error and no problem. */
export interface GateVerdict {
  readonly passed: boolean;
  readonly ruleSets: readonly RuleSetSummary[];
  /** Unacknowledged error findings: each one fails the gate. */
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly acknowledged: readonly Finding[];
  /**
   * Reasons the gate cannot vouch for the assembly although no finding says
   * so: an unreadable report, a rule set that crashed or evaluated nothing.
   */
  readonly problems: readonly string[];
  /** Reported, not failing: exceptions whose review date has passed (EXC-1). */
  readonly notices: readonly string[];
}


/**
 * Judges a synthesized assembly: reads `validation-report.json` and checks
 * that every expected rule set ran on at least one template. Fail-closed: a
 * missing or unreadable report, a crashed rule set (aws-cdk-lib records a
 * plugin that throws as a failed report with no violations), or a rule set
 * that evaluated no template each fail the gate. So does an exception record
 * of the assembly (EXC-1) that has expired or matches no finding (stale).
 */
export function judgeAssembly(outdir: string, expected: readonly RuleSetCoverage[]): GateVerdict {
  const problems: string[] = [];
  let findings: Finding[] = [];
  let results: ReturnType<typeof readValidationResults>;
  try {
    results = readValidationResults(outdir);
    if (results) findings = [...results.findings];
    else problems.push(`${VALIDATION_REPORT_FILE} was not written, so no rule set can be shown to have run`);
  } catch (err) {
    problems.push(`${VALIDATION_REPORT_FILE} cannot be read (${(err as Error).message})`);
  }
  for (const set of expected) {
    if (set.templates === 0) problems.push(`rule set ${set.name} evaluated no template`);
  }
  // The gate's rule sets that evaluated templates, and the other plugins whose report is there (aws-cdk-lib's
  // built-in validation, absent with --no-validation): an exception can only be stale where its rule ran.
  const ran = [...expected.filter((s) => s.templates > 0).map((s) => s.name), ...(results?.ruleSets ?? []).filter((n) => !expected.some((s) => s.name === n))];
  const exceptions = exceptionVerdictLines(judgeExceptions(exceptionsOfAssembly(outdir), findings, ran));
  return verdictOf(findings, expected, [...problems, ...exceptions.problems], exceptions.notices);
}

/** The verdict of a list of findings (used by the gate and by `audit`). */
export function verdictOf(findings: readonly Finding[], coverage: readonly RuleSetCoverage[], problems: readonly string[] = [], notices: readonly string[] = []): GateVerdict {
  const names = [...coverage.map((c) => c.name), ...findings.map((f) => f.ruleSet).filter((n) => !coverage.some((c) => c.name === n))];
  const ruleSets = [...new Set(names)].map((name): RuleSetSummary => {
    const cov = coverage.find((c) => c.name === name);
    return { name, gated: cov !== undefined, templates: cov?.templates ?? 0, resources: cov?.resources ?? 0, ...countFindings(findings.filter((f) => f.ruleSet === name)) };
  });
  const errors = findings.filter(isBlocking);
  return {
    passed: errors.length === 0 && problems.length === 0,
    ruleSets,
    errors,
    warnings: findings.filter((f) => f.severity === 'warning' && !f.acknowledged),
    acknowledged: findings.filter((f) => f.acknowledged),
    problems,
    notices,
  };
}

/** Options of {@link formatVerdict}. */
export interface FormatVerdictOptions {
  /** Only the verdict, the errors and the problems (`cdk synth -q`). */
  readonly quiet?: boolean;
  /** Where a reader finds the full report, e.g. `cdk.out/validation-report.json`. */
  readonly reportPath?: string;
}

/** How to acknowledge a finding: the namespaced ID the gate accepts. */
export function acknowledgmentId(finding: Finding): string {
  return acknowledgmentIdOf(finding.ruleSet, finding.ruleId);
}

/**
 * The gate's summary for a person: one line per rule set (templates,
 * resources, errors, warnings, acknowledged), each error with rule, resource,
 * construct path, source, message and fix, warnings one line each, and a
 * one-line verdict last, where CI logs are read from.
 */
export function formatVerdict(verdict: GateVerdict, options: FormatVerdictOptions = {}): string {
  const lines: string[] = [];
  const where = (f: Finding): string => {
    const parts = [f.constructPath ?? f.resource ?? '(template)'];
    if (f.constructPath && f.resource) parts.push(`(${f.resource})`);
    if (f.templatePath) parts.push(`in ${f.templatePath}`);
    return parts.join(' ');
  };
  if (!options.quiet) {
    lines.push('Policy gate:');
    const width = Math.max(...verdict.ruleSets.map((s) => s.name.length), 0);
    for (const s of verdict.ruleSets) {
      // A plugin outside the gate reports what it found, not what it was given.
      const given = s.gated ? `${s.templates} template(s), ${s.resources} resource(s)` : 'not a gate rule set';
      lines.push(`  ${s.name.padEnd(width)}  ${given}: ${s.errors} error(s), ${s.warnings} warning(s), ${s.acknowledged} acknowledged`);
    }
  }
  for (const f of verdict.errors) {
    lines.push(`ERROR ${acknowledgmentId(f)}${f.control ? ` (${f.control})` : ''}`);
    lines.push(`  at ${where(f)}`);
    if (f.source) lines.push(`  source: ${f.source}`);
    lines.push(`  ${f.message}`);
    if (f.fix) lines.push(`  fix: ${f.fix}`);
  }
  if (!options.quiet) {
    for (const f of verdict.warnings) lines.push(`warning ${acknowledgmentId(f)}${f.control ? ` (${f.control})` : ''} at ${where(f)}`);
  }
  for (const n of verdict.notices) lines.push(`warning ${n}`);
  for (const p of verdict.problems) lines.push(`ERROR gate: ${p}`);
  const counts = `${verdict.errors.length} unacknowledged error(s), ${verdict.warnings.length} warning(s), ${verdict.acknowledged.length} acknowledged`;
  const report = options.reportPath ? `; full report: ${options.reportPath}` : '';
  if (verdict.passed) {
    lines.push(`Policy gate PASSED: ${counts}${report}`);
  } else {
    const why = verdict.problems.length > 0 ? ` and ${verdict.problems.length} problem(s)` : '';
    lines.push(`Policy gate FAILED: ${counts}${why}${report}`);
    if (verdict.errors.length > 0) {
      lines.push('Fix each error, or accept it with a reason by acknowledging the ID after ERROR on that resource.');
    }
  }
  return `${lines.join('\n')}\n`;
}
