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

/** A table of findings; when any is acknowledged, its exception's reason, owner, ticket and date are shown beside it. */
function findings(list: readonly ReportFinding[]): string[] {
  const accepted = list.some((f) => f.acknowledgment);
  return table(
    ['rule', 'severity', 'resource', 'construct path', 'message', ...(accepted ? ['exception reason', 'owner', 'ticket', 'expiry / review'] : [])],
    list.map((f) => {
      const a = f.acknowledgment;
      const date = a?.expires ? `expires ${a.expires}` : a?.reviewBy ? `review by ${a.reviewBy}` : a ? '(no record)' : '';
      return [
        code(`${f.ruleSet}::${f.ruleId}`), f.severity, code(f.resource || '(none named)'),
        f.constructPath ? code(f.constructPath) : f.unlocated ? '(unlocated: shown in every environment)' : '',
        cell(f.message),
        ...(accepted ? [cell(a?.reason ?? ''), cell(a ? a.owner ?? '(no record)' : ''), code(a?.ticket ?? ''), date] : []),
      ];
    }),
  );
}

const anchor = (env: EnvironmentReport, c: ControlResult): string => `${env.name}-${c.id}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Per control: what is not evidenced in the environment, and why. */
function notEvidenced(env: EnvironmentReport): string[] {
  const rows = env.controls.filter((c) => c.status === 'not evidenced' || c.status === 'not applicable');
  const out = [`<a id="not-evidenced-${env.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}"></a>`, '', `#### What is not evidenced in ${env.name}, and why`, ''];
  if (rows.length === 0) return [...out, 'Every control is evidenced.', ''];
  return [...out, ...table(['control', 'status', 'why', 'how it is evidenced beyond the templates'], rows.map((c) => [
    `[${c.id}](#${anchor(env, c)}) ${cell(c.title)}`, c.status, cell(c.reason), cell(c.beyondTemplates ?? '-'),
  ])), ''];
}

function control(env: EnvironmentReport, c: ControlResult): string[] {
  const out = [`<a id="${anchor(env, c)}"></a>`, '', `### ${c.id} ${c.title}: ${c.status}`, '', c.statement, '', `Severity ${c.severity} · NIST SP 800-53 Rev. 5: ${c.nist80053r5.join(', ')} · ${c.reason}`, ''];
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
  out.push(...(c.acknowledgments.length === 0 ? ['None.'] : findings(c.acknowledgments)), '');
  out.push('#### Open findings', '');
  out.push(...(c.findings.length === 0 ? ['None.'] : findings(c.findings)), '');
  return out;
}

function environment(env: EnvironmentReport): string[] {
  const out = [`## Environment ${env.name}: evidence per control`, ''];
  out.push(...table(['stack', 'stack name', 'deployment target', 'template'], env.stacks.map((s) => [cell(s.displayName), code(s.stackName), code(s.deploymentTarget), code(s.templatePath)])), '');
  for (const c of env.controls) out.push(...control(env, c));
  out.push('### Findings not mapped to a control', '');
  out.push(...(env.unmappedFindings.length === 0 ? ['None.'] : findings(env.unmappedFindings)), '');
  return out;
}

/** The evidence report as Markdown, summary first. */
export function renderMarkdown(report: EvidenceReport): string {
  const out = [`# ${report.title}`, '', `Generated at ${report.generatedAt} from \`${report.source}\`.`, '', `> ${report.gate.statement}`, ''];
  out.push('Contents:', '', '- [Summary](#summary)');
  for (const env of report.environments) {
    out.push(`- Environment ${env.name}: ${env.controls.map((c) => `[${c.id}](#${anchor(env, c)})`).join(' ')}`);
  }
  out.push('- [Read per framework](#read-per-framework)', '- [Provenance](#provenance)', '', '## Summary', '');
  out.push(...table(['environment', ...report.statuses], report.environments.map((env) => [env.name, ...report.statuses.map((s) => String(env.summary[s]))])), '');
  for (const env of report.environments) {
    out.push(`### Environment ${env.name}`, '');
    out.push(...table(['control', 'title', 'status', 'resources', 'rules (ran/all)', 'exceptions', 'open findings'], env.controls.map((c) => [
      `[${c.id}](#${anchor(env, c)})`, cell(c.title), c.status, String(c.resources.length), `${c.rules.filter((r) => r.ran).length}/${c.rules.length}`, String(c.acknowledgments.length), String(c.findings.length),
    ])), '');
    out.push(...notEvidenced(env));
  }
  out.push('A control is met only when at least one resource implements it, at least one of its rules ran, and no open finding violates it.', '');
  for (const env of report.environments) out.push(...environment(env));
  out.push(...frameworksMarkdown(report));
  out.push(...provenanceMarkdown(report));
  return out.join('\n');
}
