import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIS_AWS_V5, CONTROLS, NIST_CSF_2, SOURCES, controlById } from '../../lib/policy/controls';
import { ALL_RULES } from '../../lib/policy/rules';

const REPO = join(__dirname, '..', '..');
const CATALOG = join(REPO, 'docs', 'controls.md');

/** `| ID | statement | severity |` rows of the catalog. */
function catalogRows(): Array<{ id: string; statement: string; severity: string }> {
  return readFileSync(CATALOG, 'utf8')
    .split('\n')
    .map((line) => /^\|\s*([A-Z0-9]+-\d+)\s*\|\s*(.+?)\s*\|\s*(error|warning)\s*\|\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1], statement: m[2], severity: m[3] }));
}

/** The members of the ControlId union in rule.ts. */
function controlIdType(): string[] {
  const source = readFileSync(join(REPO, 'lib', 'policy', 'rule.ts'), 'utf8');
  const union = /export type ControlId =([^;]+);/.exec(source);
  if (!union) throw new Error('ControlId not found in rule.ts');
  return [...union[1].matchAll(/'([A-Z0-9]+-\d+)'/g)].map((m) => m[1]);
}

describe('control catalog', () => {
  const rows = catalogRows();

  it('reads the catalog table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows.map((r) => [r.id, r] as const))('%s is in CONTROLS with the same severity and statement', (id, row) => {
    const control = controlById(id);
    expect(control).toBeDefined();
    expect(control?.severity).toBe(row.severity);
    expect(control?.statement).toBe(row.statement);
  });

  it('has no control that the catalog does not list, and no duplicates', () => {
    expect(CONTROLS.map((c) => c.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('covers every ControlId of rule.ts', () => {
    const ids = controlIdType();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(controlById(id)?.id).toBe(id);
  });

  it('cites a section of a public source and at least one well-formed NIST SP 800-53 r5 control for each control', () => {
    for (const control of CONTROLS) {
      for (const citation of [control.source, ...(control.alsoSources ?? [])]) {
        const sections: readonly string[] = SOURCES[citation.document].sections;
        expect(sections).toContain(citation.section);
      }
      expect(control.nist80053r5.length).toBeGreaterThan(0);
      for (const nist of control.nist80053r5) expect(nist).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/);
    }
  });

  it('maps every control to cited NIST CSF 2.0 subcategories, and to CIS AWS Foundations v5.0.0 only by listed numbers', () => {
    const used = { cis: new Set<string>(), csf: new Set<string>() };
    for (const control of CONTROLS) {
      expect(control.nistCsf2.length).toBeGreaterThan(0);
      for (const id of control.nistCsf2) {
        expect(id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/);
        expect(Object.keys(NIST_CSF_2.requirements)).toContain(id);
        used.csf.add(id);
      }
      for (const id of control.cisAwsV5 ?? []) {
        expect(id).toMatch(/^\d+(\.\d+){1,2}$/);
        expect(Object.keys(CIS_AWS_V5.requirements)).toContain(id);
        used.cis.add(id);
      }
    }
    // Each listed requirement is there because a control maps to it: no title without a mapping.
    expect([...used.cis].sort()).toEqual(Object.keys(CIS_AWS_V5.requirements).sort());
    expect([...used.csf].sort()).toEqual(Object.keys(NIST_CSF_2.requirements).sort());
  });

  it('cites no file a user does not have', () => {
    const text = readFileSync(CATALOG, 'utf8');
    expect(text).not.toMatch(/seeds\/|\.\.\/shared/);
    for (const control of CONTROLS) expect(control.statement).not.toMatch(/seeds\//);
  });

  it('knows the control of every rule in the pack', () => {
    for (const rule of ALL_RULES) expect(controlById(rule.control)?.id).toBe(rule.control);
  });

  it('returns undefined for an unknown ID', () => {
    expect(controlById('NOPE-1')).toBeUndefined();
  });
});
