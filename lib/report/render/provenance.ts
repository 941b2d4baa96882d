import { EvidenceReport } from '../model';
import { Provenance } from '../provenance';

/**
 * The provenance section of the page and of evidence.md: what produced the
 * evidence and the sha256 of every file it describes, with the command that
 * checks them. Rendered as rows (label, value) so both formats share them.
 */
function rows(p: Provenance): [string, string][] {
  const tools = Object.entries(p.tools).map(([name, version]): [string, string] => [name, version]);
  const synthesis = p.recordedAtSynth ? 'recorded by the synthesis' : 'not recorded (the cloud assembly has no edu-baseline-synth.json: it was not synthesized by the baseline\'s app)';
  return [
    ['gate verdict', `${p.verdict.value} (from the ${p.verdict.source})`],
    ['synthesized at', p.synthesizedAt ?? 'not recorded'],
    ['config file', p.config ? `${p.config.path} (sha256 ${p.config.sha256})` : 'not recorded'],
    ['git commit', p.git ? `${p.git.commit}${p.git.dirty ? ' with uncommitted changes to tracked files' : ''}` : 'not recorded (not a git checkout, or git not installed)'],
    ...tools,
    ['source of these facts', synthesis],
  ];
}

const VERIFY = 'edu-baseline report --verify <cdk.out>';
const VERIFY_TEXT = 'recomputes these digests and exits non-zero naming any file that changed since.';

export function provenanceHtml(report: EvidenceReport, e: (text: string) => string): string {
  const p = report.provenance;
  const out = ['<section id="provenance"><h2>Provenance</h2>'];
  out.push(`<table class="provenance">${rows(p).map(([k, v]) => `<tr><th>${e(k)}</th><td class="mono">${e(v)}</td></tr>`).join('')}</table>`);
  out.push(`<h3>Files this evidence describes</h3><p class="muted"><code>${e(VERIFY)}</code> ${e(VERIFY_TEXT)}</p>`);
  out.push(`<table class="digests"><tr><th>file (in the cloud assembly)</th><th>sha256</th></tr>${p.digests
    .map((d) => `<tr><td class="mono">${e(d.path)}</td><td class="mono">${e(d.sha256)}</td></tr>`).join('')}</table>`);
  out.push('</section>');
  return out.join('\n');
}

export function provenanceMarkdown(report: EvidenceReport): string[] {
  const p = report.provenance;
  const cell = (t: string): string => t.replace(/\|/g, '\\|');
  return [
    '## Provenance', '',
    '| | |', '|---|---|', ...rows(p).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), '',
    `Files this evidence describes: \`${VERIFY}\` ${VERIFY_TEXT}`, '',
    '| file (in the cloud assembly) | sha256 |', '|---|---|', ...p.digests.map((d) => `| \`${cell(d.path)}\` | \`${d.sha256}\` |`), '',
  ];
}
