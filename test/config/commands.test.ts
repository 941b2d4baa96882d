import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config';
import { runInit, runValidate } from '../../lib/config/validate-command';

const REPO = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'edu-config-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, out, err };
}

describe('edu-baseline init', () => {
  it('writes a commented starter config that validates and names the JSON Schema', () => {
    const file = join(dir, 'starter.yaml');
    const c = capture();
    expect(runInit(file, c.io)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*schemas\/config\.schema\.json\n/);
    expect(text).toContain('# ');
    expect(() => loadConfig(file)).not.toThrow();
  });

  it('never overwrites an existing file (exit 1, content unchanged)', () => {
    const file = join(dir, 'existing.yaml');
    writeFileSync(file, 'mine: true\n');
    const c = capture();
    expect(runInit(file, c.io)).toBe(1);
    expect(c.err.join('')).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('mine: true\n');
  });
});

describe('edu-baseline validate', () => {
  it('exit 0 for the example, with a one-line summary', () => {
    const c = capture();
    expect(runValidate(join(REPO, 'config', 'example.yaml'), {}, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/valid \(2 environment\(s\), 2 tenant\(s\), 6 allow-list entries\)/);
  });

  it('exit 1 with the same message synth prints for an invalid config', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync(join(REPO, 'config', 'example.yaml'), 'utf8').replace('production: true', 'production: yes'));
    const c = capture();
    expect(runValidate(file, {}, c.io)).toBe(1);
    let message = '';
    try {
      loadConfig(file);
    } catch (err) {
      message = (err as ConfigError).message;
    }
    expect(message).not.toBe('');
    expect(c.err.join('')).toBe(`${message}\n`);
  });

  it('exit 2 for a usage error and for a malformed --today (child process)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'bin', 'run-cli.js'), 'validate', ...args], { cwd: REPO, encoding: 'utf8' });
    expect(run('--no-such-option').status).toBe(2);
    expect(run('--today', 'tomorrow').status).toBe(2);
    const missing = run(join(dir, 'missing.yaml'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });
});
