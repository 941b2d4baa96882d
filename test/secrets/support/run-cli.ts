import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

/**
 * The real `edu-baseline` entry once bin/cli.ts registers the secrets
 * command; until then a fixture entry that registers only it.
 */
function entry(): string[] {
  const cli = readFileSync(join(ROOT, 'bin', 'cli.ts'), 'utf8');
  return cli.includes('registerSecretsCommand')
    ? [join(ROOT, 'bin', 'run-cli.js')]
    : ['--import', 'tsx', join(ROOT, 'test', 'secrets', 'fixtures', 'cli-entry.ts')];
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Fake static credentials only: the child never sees the caller's AWS
 * settings, profiles or instance metadata.
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-tests-only',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(ROOT, 'test', 'secrets', 'fixtures', 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ROOT, 'test', 'secrets', 'fixtures', 'no-such-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Every output of every run, so a test can prove a value reached none of them. */
export const allOutput: string[] = [];

export function runCli(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry(), ...args], { cwd: ROOT, env: options.env ?? childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      allOutput.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** Thrown by the stubbed process.exit of an in-process run. */
class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * The same `edu-baseline` program as bin/cli.ts (same name, the real
 * `registerSecretsCommand`, the same top-level error handling), run in this
 * process against streams instead of a child's stdio. The SDK client is real:
 * it reads credentials from the environment given, signs, retries and pages
 * against the local endpoint exactly as in a child. Only what a child adds is
 * missing (the loader, a fresh environment, real stdin), so the e2e file keeps
 * a few child runs for those.
 *
 * Runs are serialised: process.env, process.exitCode and process.exit are
 * process-wide.
 */
export function runInProcess(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const run = inProcessQueue.then(() => runOnce(args, options));
  inProcessQueue = run.catch(() => undefined);
  return run;
}

async function runOnce(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  // Loaded on first use, so a file that only spawns children does not pay for them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Command } = require('commander') as typeof import('commander');
  const { Readable } = require('node:stream') as typeof import('node:stream');
  const { registerSecretsCommand } = require(join(ROOT, 'lib', 'secrets', 'command')) as typeof import('../../../lib/secrets/command');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let stdout = '';
  let stderr = '';
  const io = {
    stdin: Readable.from([Buffer.from(options.stdin ?? '', 'utf8')]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  const savedEnv = process.env;
  const savedCwd = process.cwd();
  const savedExit = process.exit;
  const savedExitCode = process.exitCode;
  process.env = options.env ?? childEnv();
  process.chdir(ROOT);
  process.exitCode = undefined;
  process.exit = ((code?: number) => {
    throw new ExitSignal(code ?? 0);
  }) as typeof process.exit;
  let code: number;
  try {
    const program = new Command();
    program
      .name('edu-baseline')
      .showHelpAfterError()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    registerSecretsCommand(program, io);
    try {
      await program.parseAsync(['node', 'edu-baseline', ...args]);
      code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    } catch (err) {
      if (err instanceof ExitSignal) code = err.code;
      else {
        // bin/cli.ts: anything else is printed and exits 2.
        io.stderr.write(`edu-baseline: ${(err as Error).message}\n`);
        code = 2;
      }
    }
  } finally {
    process.env = savedEnv;
    process.chdir(savedCwd);
    process.exit = savedExit;
    process.exitCode = savedExitCode;
  }
  allOutput.push(stdout, stderr);
  return { code, stdout, stderr };
}
