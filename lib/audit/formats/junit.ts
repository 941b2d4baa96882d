import { AuditResult } from '../audit';
import { Finding } from '../../policy/vocabulary';
import { acknowledgmentId } from '../../policy/verdict';
import { baseRuleId, byImportance } from './common';

function xml(text: string): string {
  // Drop characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
  const printable = [...text].filter((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
  }).join('');
  return printable
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function describe(f: Finding): string {
  const where = f.constructPath ? `${f.constructPath} (${f.resource})` : f.resource || 'the template';
  const source = f.source ? `\nsource: ${f.source}` : '';
  return `${f.severity.toUpperCase()} ${acknowledgmentId(f)} on ${where}${source}: ${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`;
}

/**
 * Jenkins and GitLab split a classname at its last dot into package and
 * class, so `NIST.800.53.R5` would become package `NIST.800.53`, class `R5`:
 * the classname is the rule set with its dots made dashes.
 */
function classname(ruleSet: string): string {
  return ruleSet.replace(/\./g, '-');
}

/**
 * JUnit XML as Jenkins (junit plugin) and GitLab (unit test reports) render
 * it: a testsuite per template, a testcase per rule and resource with a
 * finding, and one passing testcase per rule set for its rules without
 * findings. An unacknowledged error is a `<failure>`; an acknowledged finding
 * is `<skipped>` with its reason (accepted, not passing); a warning passes
 * with its text in `<system-out>`. `file` names the source line's file when
 * the template came from a cloud assembly, else the template.
 */
export function formatJunit(result: AuditResult): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  for (const t of result.templates) {
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const f of [...t.findings].sort(byImportance)) {
      const file = f.source ? f.source.replace(/:\d+$/, '') : t.path;
      const name = `${baseRuleId(f.ruleId)} on ${f.constructPath ?? (f.resource || 'the template')}`;
      const attrs = `classname="${xml(classname(f.ruleSet))}" name="${xml(name)}" file="${xml(file)}"`;
      let body: string;
      if (f.acknowledged) {
        skipped++;
        body = `      <skipped message="${xml(`acknowledged: ${f.acknowledged.reason}`)}"/>`;
      } else if (f.severity === 'error') {
        failures++;
        body = `      <failure type="error" message="${xml(`${f.control ? `[${f.control}] ` : ''}${f.message.split('\n')[0]}`)}">${xml(describe(f))}</failure>`;
      } else {
        body = `      <system-out>${xml(describe(f))}</system-out>`;
      }
      cases.push(`    <testcase ${attrs}>\n${body}\n    </testcase>`);
    }
    for (const ruleSet of result.ruleSets) {
      cases.push(`    <testcase classname="${xml(classname(ruleSet))}" name="${xml(`${ruleSet}: rules without findings`)}" file="${xml(t.path)}"/>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite name="${xml(t.path)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="edu-baseline audit" tests="${totalTests}" failures="${totalFailures}" errors="0" skipped="${totalSkipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}
