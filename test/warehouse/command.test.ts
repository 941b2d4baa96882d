import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../../lib/config/loader';
import { EXIT_BAD_INPUT, registerWarehouseCommand, runWarehouse, WarehouseIo } from '../../lib/warehouse/command';
import { generateWarehouseScript } from '../../lib/warehouse/script';

const TODAY = '2026-01-15';
const EXAMPLE_PATH = join(__dirname, '../../config/example.yaml');
const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, 'utf8');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warehouse-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function capture(): WarehouseIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe('edu-baseline warehouse', () => {
  test('writes the script for the environment to --out', () => {
    const io = capture();
    const out = join(dir, 'prod.sql');
    expect(runWarehouse({ env: 'prod', out, config: EXAMPLE_PATH, today: TODAY }, io)).toBe(0);
    const expected = generateWarehouseScript(loadConfig(EXAMPLE_PATH, { today: TODAY }), 'prod', { today: TODAY });
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(io.out).toBe('');
    expect(io.err).toContain(`wrote ${out} for environment prod`);
    expect(readdirSync(dir)).toEqual(['prod.sql']);
  });

  test('prints the script to standard output without --out', () => {
    const io = capture();
    expect(runWarehouse({ env: 'dev', config: EXAMPLE_PATH, today: TODAY }, io)).toBe(0);
    expect(io.out).toContain('CREATE DATABASE IF NOT EXISTS "RIVERSIDE_DEV"');
  });

  test('an expired contractor: exit 2, the field named, no script, an earlier script left as it was', () => {
    const io = capture();
    const out = join(dir, 'dev.sql');
    writeFileSync(out, '-- previous run\n');
    expect(runWarehouse({ env: 'dev', out, config: EXAMPLE_PATH, today: '2027-07-01' }, io)).toBe(EXIT_BAD_INPUT);
    expect(io.err).toContain('allowList[4].expires: 2027-06-30 has passed (today is 2027-07-01)');
    expect(io.err).toContain('No script written.');
    expect(readFileSync(out, 'utf8')).toBe('-- previous run\n');
    expect(readdirSync(dir)).toEqual(['dev.sql']);
  });

  test('an access level production forbids: exit 2 and no file', () => {
    const io = capture();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, EXAMPLE_TEXT.replace('access: { prod: read }', 'access: { prod: developer }'));
    const out = join(dir, 'prod.sql');
    expect(runWarehouse({ env: 'prod', out, config, today: TODAY }, io)).toBe(EXIT_BAD_INPUT);
    expect(io.err).toMatch(/people\[2\]\.access\.prod: "developer" is not allowed in production/);
    expect(existsSync(out)).toBe(false);
  });

  test.each([
    [{ env: 'staging' }, /"staging" is not an environment; the config defines: dev, prod/],
    [{ env: 'prod', config: '/nonexistent/config.yaml' }, /does not exist/],
    [{ env: 'prod', today: '15/01/2026' }, /--today must be a date written YYYY-MM-DD/],
  ])('bad input %j: exit 2 and no file', (overrides, message) => {
    const io = capture();
    const out = join(dir, 'x.sql');
    expect(runWarehouse({ config: EXAMPLE_PATH, today: TODAY, out, ...overrides }, io)).toBe(EXIT_BAD_INPUT);
    expect(io.err).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  test('an output path in a missing directory: exit 2', () => {
    const io = capture();
    expect(runWarehouse({ env: 'prod', out: join(dir, 'missing', 'prod.sql'), config: EXAMPLE_PATH, today: TODAY }, io)).toBe(EXIT_BAD_INPUT);
    expect(io.err).toMatch(/cannot write .* \(ENOENT\)/);
  });
});

describe('registerWarehouseCommand', () => {
  function program(): Command {
    const p = new Command().name('edu-baseline').exitOverride();
    registerWarehouseCommand(p);
    return p;
  }

  afterEach(() => {
    process.exitCode = undefined;
  });

  test('parses --env, --out, -c and the hidden --today, and writes the script', async () => {
    const out = join(dir, 'prod.sql');
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['warehouse', '--env', 'prod', '--out', out, '-c', EXAMPLE_PATH, '--today', TODAY], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('CREATE STORAGE INTEGRATION IF NOT EXISTS "RIVERSIDE_PROD_LAKE"');
  });

  test('sets exit code 2 on bad input', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['warehouse', '--env', 'dev', '-c', EXAMPLE_PATH, '--today', '2027-07-01'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(EXIT_BAD_INPUT);
  });

  test('--env is required, -c defaults to config/example.yaml, --today is hidden from help', () => {
    const command = program().commands.find((c) => c.name() === 'warehouse');
    expect(command).toBeDefined();
    const help = command?.helpInformation() ?? '';
    expect(help).toContain('--env <name>');
    expect(help).toContain('--out <file>');
    expect(help).toContain('-c, --config <path>');
    expect(help).toContain('config/example.yaml');
    expect(help).not.toContain('--today');
    expect(command?.options.find((o) => o.long === '--env')?.mandatory).toBe(true);
  });
});
