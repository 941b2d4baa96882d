import { ControlResult, EnvironmentReport, EvidenceReport, ReportFinding } from '../model';
import { frameworksHtml } from './frameworks';
import { provenanceHtml } from './provenance';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const e = escapeHtml;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function statusBadge(status: string): string {
  return `<span class="status s-${slug(status)}">${e(status)}</span>`;
}

const CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --met: #1a7f37; --exc: #9a6700; --bad: #cf222e; --none: #57606a; --na: #6e7781; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .3rem; } h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
.meta, .muted { color: var(--muted); } .gate { border-left: 4px solid var(--line); padding: .4rem .8rem; background: #f6f8fa; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.status { font-weight: 600; white-space: nowrap; } .s-met { color: var(--met); } .s-met-with-exceptions { color: var(--exc); }
.s-violated { color: var(--bad); } .s-not-evidenced { color: var(--none); } .s-not-applicable { color: var(--na); }
ul.props { margin: 0; padding-left: 1rem; } ul.props li { margin: 0; }
.control { border-top: 1px solid var(--line); }
#toc ul { padding-left: 1.2rem; } #toc li { margin: .2rem 0; } .toc-controls { font-size: 12px; } .toc-controls a { margin-right: .35rem; }
a.up { font-size: .8rem; text-decoration: none; margin-left: .3rem; } td.title { color: var(--muted); } td.exception .record { color: var(--muted); font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  a { color: inherit; text-decoration: none; }
  .env-detail { break-before: page; }
  #toc, a.up { display: none; }
  .control, tr { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The exception's record beside the finding it covers: reason, then owner, ticket and expiry or review date. */
function exceptionCell(f: ReportFinding): string {
  const a = f.acknowledgment;
  if (!a) return '<td></td>';
  const date = a.expires ? `expires ${a.expires}` : a.reviewBy ? `review by ${a.reviewBy}` : 'no expiry on record';
  return `<td class="exception"><span class="reason">${e(a.reason)}</span><br><span class="record">owner <span class="owner">${e(a.owner ?? '(no record)')}</span>`
    + ` · ticket <span class="ticket mono">${e(a.ticket ?? '(no record)')}</span> · <span class="date">${e(date)}</span></span></td>`;
}

/** A table of findings; when any is acknowledged, its exception's reason, owner, ticket and date are shown beside it. */
function findingRows(findings: readonly ReportFinding[]): string {
  const accepted = findings.some((f) => f.acknowledgment);
  const head = `<tr><th>rule</th><th>severity</th><th>resource</th><th>construct path</th><th>message</th>${accepted ? '<th>accepted exception</th>' : ''}</tr>`;
  const rows = findings.map((f) =>
    `<tr${f.acknowledgment ? ' class="acknowledged"' : ''}><td class="mono">${e(`${f.ruleSet}::${f.ruleId}`)}</td><td>${e(f.severity)}</td><td class="mono">${e(f.resource || '(none named)')}</td>`
    + `<td class="mono">${e(f.constructPath || (f.unlocated ? '(unlocated: shown in every environment)' : ''))}</td>`
    + `<td>${e(f.message)}</td>${accepted ? exceptionCell(f) : ''}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

const controlAnchor = (env: EnvironmentReport, c: ControlResult): string => `${slug(env.name)}-${slug(c.id)}`;

/** Per control: what the page cannot show from the templates, and why (status not evidenced or not applicable). */
function notEvidenced(env: EnvironmentReport): string {
  const rows = env.controls.filter((c) => c.status === 'not evidenced' || c.status === 'not applicable');
  const out = [`<h4 id="not-evidenced-${slug(env.name)}">What is not evidenced in ${e(env.name)}, and why</h4>`];
  if (rows.length === 0) return `${out[0]}<p class="muted">Every control is evidenced.</p>`;
  out.push(`<table class="not-evidenced" data-environment="${e(env.name)}"><tr><th>control</th><th>status</th><th>why</th><th>how it is evidenced beyond the templates</th></tr>`);
  for (const c of rows) {
    out.push(`<tr data-control="${e(c.id)}"><td><a href="#${controlAnchor(env, c)}">${e(c.id)}</a> ${e(c.title)}</td><td>${statusBadge(c.status)}</td>`
      + `<td>${e(c.reason)}</td><td>${e(c.beyondTemplates ?? '-')}</td></tr>`);
  }
  out.push('</table>');
  return out.join('');
}

function controlSection(env: EnvironmentReport, c: ControlResult): string {
  const id = controlAnchor(env, c);
  const parts: string[] = [];
  parts.push(`<section class="control" id="${id}" data-control="${e(c.id)}" data-status="${e(c.status)}">`);
  parts.push(`<h3>${e(c.id)} ${e(c.title)} ${statusBadge(c.status)} <a class="up" href="#env-${slug(env.name)}" title="back to the summary of ${e(env.name)}">↑</a></h3>`);
  parts.push(`<p>${e(c.statement)}</p>`);
  parts.push(`<p class="muted">Severity ${e(c.severity)} · NIST SP 800-53 Rev. 5: ${e(c.nist80053r5.join(', '))} · ${e(c.reason)}</p>`);
  if (c.beyondTemplates) parts.push(`<p><strong>Evidenced beyond the templates:</strong> ${e(c.beyondTemplates)}</p>`);
  parts.push('<h4>Implementing resources</h4>');
  if (c.resources.length === 0) {
    parts.push('<p><strong>No resource implements this control in this environment.</strong></p>');
  } else {
    const rows = c.resources.map((r) =>
      `<tr><td>${e(r.stack)}</td><td class="mono">${e(r.logicalId || '-')}</td><td class="mono">${e(r.constructPath || '-')}</td><td class="mono">${e(r.type)}</td>`
      + `<td><ul class="props">${r.properties.map((p) => `<li><code>${e(p.name)}</code>: <code>${e(p.value)}</code></li>`).join('')}</ul></td></tr>`);
    parts.push(`<table><tr><th>stack</th><th>logical ID</th><th>construct path</th><th>type</th><th>values that prove it</th></tr>${rows.join('')}</table>`);
  }
  parts.push('<h4>Enforcing rules</h4>');
  parts.push(c.rules.length === 0
    ? '<p><strong>No rule of the gate enforces this control.</strong></p>'
    : `<ul>${c.rules.map((r) => `<li><code>${e(`${r.ruleSet}::${r.ruleId}`)}</code>${r.severity ? ` (${e(r.severity)})` : ''}${r.ran ? '' : ' <em>did not run</em>'}</li>`).join('')}</ul>`);
  parts.push('<h4>Accepted exceptions</h4>');
  parts.push(c.acknowledgments.length === 0 ? '<p class="muted">None.</p>' : findingRows(c.acknowledgments));
  parts.push('<h4>Open findings</h4>');
  parts.push(c.findings.length === 0 ? '<p class="muted">None.</p>' : findingRows(c.findings));
  parts.push('</section>');
  return parts.join('\n');
}

/** Links to every part of the page: the summary; per environment its matrix, what is not evidenced, each control and the unmapped findings; the framework view and the provenance. */
function tableOfContents(report: EvidenceReport): string {
  const out = ['<nav id="toc" aria-label="Contents"><h2>Contents</h2><ul>', '<li><a href="#summary">Summary</a></li>'];
  for (const env of report.environments) {
    const s = slug(env.name);
    out.push(`<li data-environment="${e(env.name)}">Environment ${e(env.name)}: <a href="#env-${s}">summary</a> · <a href="#not-evidenced-${s}">not evidenced</a> · `
      + `<a href="#env-detail-${s}">evidence per control</a> · <a href="#unmapped-${s}">findings not mapped to a control</a>`
      + `<div class="toc-controls">${env.controls.map((c) => `<a href="#${controlAnchor(env, c)}" title="${e(c.title)}">${e(c.id)}</a>`).join(' ')}</div></li>`);
  }
  out.push('<li><a href="#frameworks">Read per framework</a></li>', '<li><a href="#provenance">Provenance</a></li>');
  out.push('</ul></nav>');
  return out.join('');
}

/** The evidence report as one self-contained HTML page (no network, inline CSS, print-friendly). */
export function renderHtml(report: EvidenceReport): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">');
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  // No network: nothing may be fetched, not even a favicon.
  out.push('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
  out.push('<link rel="icon" href="data:,">');
  out.push(`<title>${e(report.title)}</title><style>${CSS}</style></head><body>`);
  out.push(`<h1>${e(report.title)}</h1>`);
  out.push(`<p class="meta">Generated at <time id="generated-at">${e(report.generatedAt)}</time> from <code>${e(report.source)}</code>.</p>`);
  out.push(`<p class="gate" id="gate" data-gate-ran="${report.gate.ran}">${e(report.gate.statement)}</p>`);
  out.push(tableOfContents(report));

  out.push('<section id="summary"><h2>Summary</h2>');
  out.push(`<table id="summary-table"><tr><th>environment</th>${report.statuses.map((s) => `<th>${statusBadge(s)}</th>`).join('')}</tr>`);
  for (const env of report.environments) {
    out.push(`<tr data-environment="${e(env.name)}"><th><a href="#env-${slug(env.name)}">${e(env.name)}</a></th>`
      + report.statuses.map((s) => `<td class="num" data-status="${e(s)}">${env.summary[s]}</td>`).join('') + '</tr>');
  }
  out.push('</table>');
  for (const env of report.environments) {
    out.push(`<h3 id="env-${slug(env.name)}">Environment ${e(env.name)}</h3>`);
    out.push(`<table class="matrix" data-environment="${e(env.name)}"><tr><th>control</th><th>title</th><th>status</th><th>resources</th><th>rules</th><th>exceptions</th><th>open findings</th></tr>`);
    for (const c of env.controls) {
      out.push(`<tr data-control="${e(c.id)}"><td><a href="#${controlAnchor(env, c)}">${e(c.id)}</a></td><td class="title">${e(c.title)}</td><td>${statusBadge(c.status)}</td>`
        + `<td class="num">${c.resources.length}</td><td class="num">${c.rules.filter((r) => r.ran).length}/${c.rules.length}</td>`
        + `<td class="num">${c.acknowledgments.length}</td><td class="num">${c.findings.length}</td></tr>`);
    }
    out.push('</table>');
    out.push(notEvidenced(env));
  }
  out.push('<p class="muted">Rules: rules that ran / rules that enforce the control. A control is met only when at least one resource implements it, at least one of its rules ran, and no open finding violates it.</p>');
  out.push('</section>');

  for (const env of report.environments) {
    out.push(`<section class="env-detail" id="env-detail-${slug(env.name)}" data-environment="${e(env.name)}"><h2>Environment ${e(env.name)}: evidence per control</h2>`);
    out.push(`<table><tr><th>stack</th><th>stack name</th><th>deployment target</th><th>template</th></tr>${env.stacks
      .map((s) => `<tr><td>${e(s.displayName)}</td><td class="mono">${e(s.stackName)}</td><td class="mono">${e(s.deploymentTarget)}</td><td class="mono">${e(s.templatePath)}</td></tr>`)
      .join('')}</table>`);
    for (const c of env.controls) out.push(controlSection(env, c));
    out.push(`<h3 id="unmapped-${slug(env.name)}">Findings not mapped to a control <a class="up" href="#env-${slug(env.name)}">↑</a></h3>`);
    out.push(env.unmappedFindings.length === 0 ? '<p class="muted">None.</p>' : findingRows(env.unmappedFindings));
    out.push('</section>');
  }
  out.push(frameworksHtml(report, e));
  out.push(provenanceHtml(report, e));
  out.push('</body></html>', '');
  return out.join('\n');
}
