import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAuditCommand } from '../../lib/audit/command';
import { FIXTURES, REPO, sarifErrors, tempDir } from './support';

const out = tempDir();

/** The real command, as CI runs it (a handful only: each process loads aws-cdk-lib). */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(REPO, 'bin', 'run-cli.js'), 'audit', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('edu-baseline audit (child process)', () => {
  test('exit 0 on a clean template; JSON report written to --output', () => {
    const file = join(out, 'clean.json');
    const run = cli('--format', 'json', '--output', file, 'test/fixtures/templates/clean.json');
    expect(run.stderr).toContain('report written to');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as { templates: { path: string; findings: { severity: string }[] }[] };
    expect(report.templates[0].path).toBe('test/fixtures/templates/clean.json');
    expect(report.templates[0].findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('exit 1 on error findings; SARIF written to --output', () => {
    const file = join(out, 'results.sarif');
    const run = cli('--format', 'sarif', '--output', file, 'test/fixtures/templates/violations.yaml', 'test/fixtures/templates/clean.json');
    expect(run.status).toBe(1);
    const log = JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results.length).toBeGreaterThan(10);
  });

  test('exit 2 on a missing file, naming it; the readable template is still reported', () => {
    const file = join(out, 'partial.json');
    const run = cli('--format', 'json', '--output', file, 'test/fixtures/templates/clean.json', 'missing.yaml');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing.yaml: no such file or directory');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { templates: { path: string }[] };
    expect(report.templates.map((t) => t.path)).toEqual(['test/fixtures/templates/clean.json']);
    expect(run.stdout).toBe('');
  });

  test('exit 2 with nothing readable, naming the input, with no report written', () => {
    const file = join(out, 'never.json');
    const run = cli('--format', 'json', '--output', file, 'missing.yaml');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing.yaml: no such file or directory');
    expect(existsSync(file)).toBe(false);
  });
});

describe('runAuditCommand (in process)', () => {
  test('malformed YAML: exit 2, the message names the file, nothing written', () => {
    const file = join(out, 'partial.txt');
    const stderr: string[] = [];
    const run = runAuditCommand([join(FIXTURES, 'bad', 'malformed.yaml')], { format: 'text', output: file }, { stdout: () => undefined, stderr: (s) => stderr.push(s) });
    expect(run.exitCode).toBe(2);
    expect(stderr.join('')).toMatch(/malformed\.yaml: not valid YAML/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  test('text to stdout and exit 1 for errors', () => {
    const stdout: string[] = [];
    const run = runAuditCommand([join(FIXTURES, 'violations.yaml')], { format: 'text' }, { stdout: (s) => stdout.push(s), stderr: () => undefined });
    expect(run.exitCode).toBe(1);
    expect(stdout.join('')).toMatch(/^test\/fixtures\/templates\/violations\.yaml: \d+ error\(s\)/);
  });
});

describe('cache of Control Tower findings', () => {
  const silent = { stdout: () => undefined, stderr: () => undefined };
  const saved = process.env.EDU_BASELINE_CACHE_DIR;
  afterAll(() => {
    if (saved === undefined) delete process.env.EDU_BASELINE_CACHE_DIR;
    else process.env.EDU_BASELINE_CACHE_DIR = saved;
  });

  test('--no-cache evaluates every template and stores nothing; by default findings are stored for the next run', () => {
    const template = join(FIXTURES, 'violations.yaml');
    process.env.EDU_BASELINE_CACHE_DIR = join(out, 'cache-off');
    const off = runAuditCommand([template], { format: 'json', cache: false }, silent);
    expect(existsSync(join(out, 'cache-off'))).toBe(false);
    process.env.EDU_BASELINE_CACHE_DIR = join(out, 'cache-on');
    const on = runAuditCommand([template], { format: 'json' }, silent);
    expect(existsSync(join(out, 'cache-on', 'control-tower'))).toBe(true);
    const again = runAuditCommand([template], { format: 'json' }, silent);
    const ct = (run: typeof on) => run.result?.templates[0].findings.filter((f) => f.ruleSet === 'ControlTower');
    expect(ct(off)?.length).toBeGreaterThan(0);
    expect(ct(on)).toEqual(ct(off));
    expect(ct(again)).toEqual(ct(off));
  });
});
