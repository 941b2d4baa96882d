import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support';

/** The GitHub Actions workflow the README points CI engineers to. */
interface Step { readonly id?: string; readonly name?: string; readonly run?: string; readonly if?: string; readonly uses?: string; readonly 'continue-on-error'?: boolean }
const workflow = parse(readFileSync(join(ROOT, '.github/workflows/baseline.yml'), 'utf8')) as { jobs: { gate: { steps: Step[] } } };
const steps = workflow.jobs.gate.steps;
const step = (id: string): Step => {
  const found = steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

test('the gate runs as the README says: cdk synth --quiet, then audit cdk.out as SARIF uploaded to code scanning', () => {
  expect(step('synth').run).toBe('npx cdk synth --quiet');
  expect(step('audit').run).toBe('npx edu-baseline audit cdk.out --format sarif --output results.sarif');
  expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
});

test('a failing gate still uploads its findings, and the job fails on the verdict', () => {
  expect(step('synth')['continue-on-error']).toBe(true);
  expect(step('audit').if).toMatch(/always\(\)/);
  const last = steps[steps.length - 1];
  expect(last.if).toContain("steps.synth.outcome != 'success'");
  expect(last.run).toMatch(/exit 1/);
});
