import { AuditResult } from '../audit';
import { Finding } from '../../policy/findings';
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
  const ack = f.acknowledged ? ` (acknowledged: ${f.acknowledged.reason})` : '';
  return `${f.severity.toUpperCase()} ${f.ruleId} on ${f.resource || 'the template'}${ack}: ${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`;
}

/**
 * JUnit XML: a testsuite per template; a testcase per rule that produced a
 * finding (a failure when it has an unacknowledged error, system-out for
 * warnings and acknowledged findings) plus one passing testcase per rule set
 * standing for its rules without findings.
 */
export function formatJunit(result: AuditResult): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const t of result.templates) {
    const byRule = new Map<string, Finding[]>();
    for (const f of [...t.findings].sort(byImportance)) {
      const key = `${f.ruleSet}\u0000${baseRuleId(f.ruleId)}`;
      byRule.set(key, [...(byRule.get(key) ?? []), f]);
    }
    const cases: string[] = [];
    let failures = 0;
    for (const [key, findings] of byRule) {
      const [ruleSet, rule] = key.split('\u0000');
      const failing = findings.filter((f) => f.severity === 'error' && !f.acknowledged);
      const others = findings.filter((f) => !failing.includes(f));
      const body: string[] = [];
      if (failing.length > 0) {
        failures++;
        const control = failing[0].control ? `[${failing[0].control}] ` : '';
        body.push(`      <failure type="error" message="${xml(`${control}${failing.length} error finding(s): ${failing.map((f) => f.resource).join(', ')}`)}">${xml(failing.map(describe).join('\n'))}</failure>`);
      }
      if (others.length > 0) body.push(`      <system-out>${xml(others.map(describe).join('\n'))}</system-out>`);
      cases.push(`    <testcase classname="${xml(`${t.path}.${ruleSet}`)}" name="${xml(rule)}">\n${body.join('\n')}\n    </testcase>`);
    }
    for (const ruleSet of result.ruleSets) {
      cases.push(`    <testcase classname="${xml(`${t.path}.${ruleSet}`)}" name="${xml(`${ruleSet}: rules without findings`)}"/>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(`  <testsuite name="${xml(t.path)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="edu-baseline audit" tests="${totalTests}" failures="${totalFailures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
