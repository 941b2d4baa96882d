import { AuditResult } from '../audit';
import { isBlocking } from '../../policy/vocabulary';
import { byImportance, counts } from './common';

/**
 * Human-readable report: per template, findings grouped by control (controls
 * with an unacknowledged error first), errors before warnings, each with its
 * rule, resource, message and fix.
 */
export function formatText(result: AuditResult): string {
  const lines: string[] = [];
  for (const template of result.templates) {
    const c = counts(template.findings);
    lines.push(`${template.path}: ${c.errors} error(s), ${c.warnings} warning(s), ${c.acknowledged} acknowledged`);
    const groups = new Map<string, typeof template.findings[number][]>();
    for (const f of [...template.findings].sort(byImportance)) {
      const key = f.control ?? 'no control';
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const ordered = [...groups.entries()].sort(([a, fa], [b, fb]) => {
      const ea = fa.some(isBlocking) ? 0 : 1;
      const eb = fb.some(isBlocking) ? 0 : 1;
      return ea - eb || (a === 'no control' ? 1 : 0) - (b === 'no control' ? 1 : 0) || a.localeCompare(b);
    });
    for (const [control, findings] of ordered) {
      lines.push(`  ${control}`);
      for (const f of findings) {
        const level = f.acknowledged ? 'ACKNOWLEDGED' : f.severity.toUpperCase();
        lines.push(`    ${level} ${f.ruleId} on ${f.resource || '(template)'} [${f.ruleSet}]`);
        lines.push(`      ${f.message}`);
        if (f.fix) lines.push(`      fix: ${f.fix}`);
        if (f.acknowledged) lines.push(`      reason: ${f.acknowledged.reason}`);
      }
    }
  }
  const all = counts(result.templates.flatMap((t) => t.findings));
  lines.push(`${result.templates.length} template(s): ${all.errors} error(s), ${all.warnings} warning(s), ${all.acknowledged} acknowledged`);
  return `${lines.join('\n')}\n`;
}
