import { ControlResult, EnvironmentReport, EvidenceReport, ReportFinding } from '../model';
import { frameworksMarkdown } from './frameworks';
import { provenanceMarkdown } from './provenance';

/** Escapes a value for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return text === '' ? '' : `\`${cell(text).replace(/`/g, "'")}\``;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function findings(list: readonly ReportFinding[], withReason: boolean): string[] {
  return table(
    ['rule', 'severity', 'resource', 'construct path', withReason ? 'reason' : 'message'],
    list.map((f) => [
      code(`${f.ruleSet}::${f.ruleId}`), f.severity, code(f.resource || '(none named)'),
      f.constructPath ? code(f.constructPath) : f.unlocated ? '(unlocated: shown in every environment)' : '',
      cell(withReason ? f.acknowledgment?.reason ?? '' : f.message),
    ]),
  );
}

function control(c: ControlResult): string[] {
  const out = [`### ${c.id}: ${c.status}`, '', c.statement, '', `Severity ${c.severity} · NIST SP 800-53 Rev. 5: ${c.nist80053r5.join(', ')} · ${c.reason}`, ''];
  if (c.beyondTemplates) out.push(`**Evidenced beyond the templates:** ${c.beyondTemplates}`, '');
  out.push('#### Implementing resources', '');
  if (c.resources.length === 0) out.push('**No resource implements this control in this environment.**', '');
  else {
    out.push(...table(['stack', 'logical ID', 'construct path', 'type', 'values that prove it'], c.resources.map((r) => [
      cell(r.stack), code(r.logicalId) || '-', code(r.constructPath) || '-', code(r.type),
      r.properties.map((p) => `${code(p.name)}: ${code(p.value) || '""'}`).join('<br>'),
    ])), '');
  }
  out.push('#### Enforcing rules', '');
  if (c.rules.length === 0) out.push('**No rule of the gate enforces this control.**', '');
  else out.push(...c.rules.map((r) => `- ${code(`${r.ruleSet}::${r.ruleId}`)}${r.severity ? ` (${r.severity})` : ''}${r.ran ? '' : ' *did not run*'}`), '');
  out.push('#### Accepted exceptions', '');
  out.push(...(c.acknowledgments.length === 0 ? ['None.'] : findings(c.acknowledgments, true)), '');
  out.push('#### Open findings', '');
  out.push(...(c.findings.length === 0 ? ['None.'] : findings(c.findings, false)), '');
  return out;
}

function environment(env: EnvironmentReport): string[] {
  const out = [`## Environment ${env.name}: evidence per control`, ''];
  out.push(...table(['stack', 'stack name', 'deployment target', 'template'], env.stacks.map((s) => [cell(s.displayName), code(s.stackName), code(s.deploymentTarget), code(s.templatePath)])), '');
  for (const c of env.controls) out.push(...control(c));
  out.push('### Findings not mapped to a control', '');
  out.push(...(env.unmappedFindings.length === 0 ? ['None.'] : findings(env.unmappedFindings, false)), '');
  return out;
}

/** The evidence report as Markdown, summary first. */
export function renderMarkdown(report: EvidenceReport): string {
  const out = [`# ${report.title}`, '', `Generated at ${report.generatedAt} from \`${report.source}\`.`, '', `> ${report.gate.statement}`, '', '## Summary', ''];
  out.push(...table(['environment', ...report.statuses], report.environments.map((env) => [env.name, ...report.statuses.map((s) => String(env.summary[s]))])), '');
  for (const env of report.environments) {
    out.push(`### Environment ${env.name}`, '');
    out.push(...table(['control', 'status', 'resources', 'rules (ran/all)', 'exceptions', 'open findings'], env.controls.map((c) => [
      c.id, c.status, String(c.resources.length), `${c.rules.filter((r) => r.ran).length}/${c.rules.length}`, String(c.acknowledgments.length), String(c.findings.length),
    ])), '');
  }
  out.push('A control is met only when at least one resource implements it, at least one of its rules ran, and no open finding violates it.', '');
  for (const env of report.environments) out.push(...environment(env));
  out.push(...frameworksMarkdown(report));
  out.push(...provenanceMarkdown(report));
  return out.join('\n');
}
