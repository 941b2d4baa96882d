import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support';

/** Claims of the README that are not about synthesis (readme-synth.test.ts covers those). */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const CLI = join(ROOT, 'bin', 'run-cli.js');

test('every relative link of the README resolves inside the repository', () => {
  const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  expect(links.length).toBeGreaterThan(5);
  expect(links.filter((l) => l.startsWith('..') || !existsSync(join(ROOT, l)))).toEqual([]);
});

test('the config-error example is what `edu-baseline validate` prints for that file', () => {
  const block = / {3}```\n {3}(Invalid config my\.yaml:\n(?: {5}- .+\n)+) {3}```/.exec(README);
  expect(block).not.toBeNull();
  const dir = mkdtempSync(join(tmpdir(), 'edu-readme-'));
  try {
    const example = readFileSync(join(ROOT, 'config', 'example.yaml'), 'utf8');
    writeFileSync(join(dir, 'my.yaml'), example.replace('expires: 2027-06-30', 'expires: 2026-11-01').replace('access: { dev: developer, prod: view }', 'access: { dev: developer, prod: admin }'));
    const run = spawnSync(process.execPath, [CLI, 'validate', 'my.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const normalize = (text: string): string => text.replace(/today is \d{4}-\d{2}-\d{2}/g, 'today is <date>').replace(/^ {2,}- /gm, '- ').trim();
    expect(normalize(run.stderr)).toBe(normalize((block as RegExpExecArray)[1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`edu-baseline --version` prints the package version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const run = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
  expect(run.stdout.trim()).toBe(pkg.version);
});
