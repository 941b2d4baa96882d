import { CIS_AWS_V5, CONTROLS, ControlArea, Framework, NIST_CSF_2, SOURCES, citationText } from './controls';

/**
 * docs/controls.md, rendered from CONTROLS: the catalog has one source of
 * truth (controls.ts), and `npm run gen` rewrites the document from it.
 * test/docs/generated.test.ts fails when the committed file is stale.
 */
export function renderControlCatalog(): string {
  const out: string[] = [
    '<!-- Generated from lib/policy/controls.ts by `npm run gen`; do not edit by hand. -->',
    '# Control catalog',
    '',
    'The security policy that the baseline provisions and the policy gate enforces. Each control has a',
    'stable ID. Every custom rule in the gate names the control it enforces; the auditor report is',
    'organised by these IDs.',
    '',
    '"Error" blocks synthesis and CI. "Warning" is reported but does not block.',
    'A control is met only when (a) the baseline\'s own stacks satisfy it and (b) a rule fails a template',
    'that violates it, in every place the violation can be written (L1 or L2, inline or managed policy,',
    'instance or launch template, literal or Fn::Join / Fn::Base64 user data, ...).',
    '',
    '## Sources',
    '',
    'The requirements derive from these public documents; each control cites a section of one of them.',
    '',
  ];
  for (const source of Object.values(SOURCES)) out.push(`- ${source.title}: <${source.url}>`);
  const areas: ControlArea[] = [];
  for (const control of CONTROLS) if (!areas.includes(control.area)) areas.push(control.area);
  for (const area of areas) {
    out.push('', `## ${area}`, '| ID | statement | severity |', '|---|---|---|');
    for (const c of CONTROLS.filter((x) => x.area === area)) out.push(`| ${c.id} | ${c.statement} | ${c.severity} |`);
  }
  out.push('', '## Sources and framework mappings', '| ID | source | NIST SP 800-53 r5 | CIS AWS Foundations v5.0.0 | NIST CSF 2.0 |', '|---|---|---|---|---|');
  for (const c of CONTROLS) {
    const sources = [c.source, ...(c.alsoSources ?? [])].map(citationText).join('; ');
    out.push(`| ${c.id} | ${sources} | ${c.nist80053r5.join(', ')} | ${(c.cisAwsV5 ?? []).join(', ') || '-'} | ${c.nistCsf2.join(', ')} |`);
  }
  const byFramework = (f: Framework, of: (c: (typeof CONTROLS)[number]) => readonly string[] | undefined, note: string): void => {
    out.push('', `## ${f.title}`, '', `${note} Source: ${f.source}.`, '', '| requirement | title | controls |', '|---|---|---|');
    for (const [id, title] of Object.entries(f.requirements)) {
      out.push(`| ${id} | ${title.replace(/\|/g, '\\|')} | ${CONTROLS.filter((c) => of(c)?.includes(id)).map((c) => c.id).join(', ')} |`);
    }
  };
  byFramework(CIS_AWS_V5, (c) => c.cisAwsV5, 'The recommendations the baseline\'s templates implement; the benchmark\'s account-level recommendations (root user, password policy, AWS Config, Security Hub, metric filters) are outside the templates and not claimed.');
  byFramework(NIST_CSF_2, (c) => c.nistCsf2, 'The subcategories the controls contribute to (New York Education Law 2-d policies align to CSF 2.0).');
  return `${out.join('\n')}\n`;
}
