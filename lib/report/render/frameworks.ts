import { CIS_AWS_V5, NIST_CSF_2 } from '../../policy/controls';
import { ControlResult, ControlStatus, EvidenceReport } from '../model';

/**
 * The evidence read per framework: for NIST SP 800-53 Rev. 5, CIS AWS
 * Foundations Benchmark v5.0.0 and NIST CSF 2.0, each requirement the
 * catalog maps to, the catalog controls that support it and their status in
 * each environment. The requirement's status in an environment is the worst
 * of its controls' (a requirement is no better evidenced than its weakest
 * supporting control).
 */

interface FrameworkView {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly requirements: readonly { readonly id: string; readonly title: string }[];
  readonly of: (c: ControlResult) => readonly string[];
}

const NIST_800_53: Omit<FrameworkView, 'requirements'> = {
  id: 'nist-800-53-r5',
  title: 'NIST SP 800-53 Rev. 5',
  source: 'NIST SP 800-53 Rev. 5, Security and Privacy Controls for Information Systems and Organizations',
  of: (c) => c.nist80053r5,
};

/** Worst first: the order in which a requirement's status is decided. */
const SEVERITY: readonly ControlStatus[] = ['violated', 'not evidenced', 'met with exceptions', 'met', 'not applicable'];

function nistOrder(a: string, b: string): number {
  const key = (id: string): [string, number, number] => {
    const m = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(id);
    return m ? [m[1], Number(m[2]), Number(m[3] ?? 0)] : [id, 0, 0];
  };
  const [x, y] = [key(a), key(b)];
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2];
}

export function frameworkViews(report: EvidenceReport): FrameworkView[] {
  const controls = report.environments[0]?.controls ?? [];
  const nist = [...new Set(controls.flatMap((c) => c.nist80053r5))].sort(nistOrder).map((id) => ({ id, title: '' }));
  const table = (f: typeof CIS_AWS_V5): { id: string; title: string }[] => Object.entries(f.requirements).map(([id, title]) => ({ id, title }));
  return [
    { ...NIST_800_53, requirements: nist },
    { id: 'cis-aws-v5', title: CIS_AWS_V5.title, source: CIS_AWS_V5.source, requirements: table(CIS_AWS_V5), of: (c) => c.cisAwsV5 },
    { id: 'nist-csf-2', title: NIST_CSF_2.title, source: NIST_CSF_2.source, requirements: table(NIST_CSF_2), of: (c) => c.nistCsf2 },
  ];
}

/** A requirement's status in one environment and the controls that decide it. */
export function requirementStatus(view: FrameworkView, requirement: string, controls: readonly ControlResult[]): { status: ControlStatus; controls: ControlResult[] } {
  const supporting = controls.filter((c) => view.of(c).includes(requirement));
  const status = SEVERITY.find((s) => supporting.some((c) => c.status === s)) ?? 'not applicable';
  return { status, controls: supporting };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function frameworksHtml(report: EvidenceReport, e: (text: string) => string): string {
  const out = ['<section id="frameworks"><h2>Read per framework</h2>',
    '<p class="muted">Each requirement the control catalog maps to, the catalog controls that support it, and its status per environment: the worst status of those controls.</p>'];
  for (const view of frameworkViews(report)) {
    out.push(`<h3 id="framework-${view.id}">${e(view.title)}</h3><p class="muted">Source: ${e(view.source)}.</p>`);
    out.push(`<table class="framework" data-framework="${e(view.id)}"><tr><th>requirement</th>${report.environments.map((env) => `<th>${e(env.name)}</th>`).join('')}</tr>`);
    for (const r of view.requirements) {
      const cells = report.environments.map((env) => {
        const { status, controls } = requirementStatus(view, r.id, env.controls);
        return `<td data-environment="${e(env.name)}" data-status="${e(status)}"><span class="status s-${slug(status)}">${e(status)}</span><br>`
          + `${controls.map((c) => `<a href="#${slug(env.name)}-${slug(c.id)}">${e(c.id)}</a>: ${e(c.status)}`).join('<br>')}</td>`;
      });
      out.push(`<tr data-requirement="${e(r.id)}"><th><code>${e(r.id)}</code>${r.title ? `<br><span class="muted">${e(r.title)}</span>` : ''}</th>${cells.join('')}</tr>`);
    }
    out.push('</table>');
  }
  out.push('</section>');
  return out.join('\n');
}

export function frameworksMarkdown(report: EvidenceReport): string[] {
  const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\*/g, '\\*');
  const out = ['## Read per framework', '', 'Each requirement the control catalog maps to and its status per environment: the worst status of the catalog controls that support it.', ''];
  for (const view of frameworkViews(report)) {
    out.push(`### ${view.title}`, '', `Source: ${view.source}.`, '');
    out.push(`| requirement | ${report.environments.map((env) => cell(env.name)).join(' | ')} |`, `|---|${report.environments.map(() => '---').join('|')}|`);
    for (const r of view.requirements) {
      const cells = report.environments.map((env) => {
        const { status, controls } = requirementStatus(view, r.id, env.controls);
        return `${status} (${controls.map((c) => `${c.id}: ${c.status}`).join(', ')})`;
      });
      out.push(`| ${r.id}${r.title ? ` ${cell(r.title)}` : ''} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out;
}
