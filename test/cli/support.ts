import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** The CDK CLI the README's commands run (`npx cdk` resolves to this file). */
const CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
/** A user's app beside the baseline (see the file's comment). */
export const USER_APP = 'node --require tsx/cjs test/fixtures/cli-app/user-app.ts';

export interface CliRun {
  readonly status: number | null;
  /** Standard output and error, in the order a person reads them in a terminal. */
  readonly output: string;
  readonly outdir: string;
}

const outdirs: string[] = [];
afterAll(() => outdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Runs the real CDK CLI from the repository root, as `npx cdk <args>` does,
 * with its own output folder, no notices and no telemetry (nothing here may
 * reach the network).
 */
export function cdk(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-cli-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, [CDK_CLI, ...args, '--no-notices', '--output', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true', FORCE_COLOR: '0', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, outdir };
}
