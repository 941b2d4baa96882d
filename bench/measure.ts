import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed run of a command. */
export interface Sample {
  readonly seconds: number;
  /** Peak resident set size of the largest process of the run, in MiB; undefined when unknown. */
  readonly peakMiB?: number;
  readonly status: number | null;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** True when GNU time (with -v) is installed; checked once. */
export const hasGnuTime: boolean = (() => {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /Maximum resident set size/.test(probe.stderr);
})();

/** Preloaded into every Node process of a run when GNU time is missing: writes its own peak RSS on exit. */
const MAXRSS_HOOK = join(__dirname, 'maxrss-hook.js');

/**
 * Runs `command args` in `cwd`, timing wall clock and the peak memory of its
 * largest process: with `/usr/bin/time -v` when available (covers cfn-guard
 * too), otherwise from `process.resourceUsage().maxRSS` of every Node process
 * of the run (the cdk CLI, the app, the audit), written by a preloaded hook.
 */
export function timed(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Sample {
  const rssDir = mkdtempSync(join(tmpdir(), 'edu-bench-rss-'));
  try {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    let argv: string[] = [command, ...args];
    if (hasGnuTime) {
      argv = [GNU_TIME, '-v', ...argv];
    } else {
      childEnv.EDU_BENCH_RSS_DIR = rssDir;
      childEnv.NODE_OPTIONS = `${childEnv.NODE_OPTIONS ?? ''} --require ${MAXRSS_HOOK}`.trim();
    }
    const start = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.error) throw result.error;
    let stderr = result.stderr;
    let peakKiB: number | undefined;
    if (hasGnuTime) {
      const at = stderr.lastIndexOf('\tCommand being timed:');
      const report = at >= 0 ? stderr.slice(at) : '';
      stderr = at >= 0 ? stderr.slice(0, at) : stderr;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
      if (m) peakKiB = Number(m[1]);
      const exit = /Exit status: (\d+)/.exec(report);
      if (exit) return { seconds, peakMiB: kib(peakKiB), status: Number(exit[1]), stderr };
    } else {
      const values = readdirSync(rssDir).map((f) => Number(readFileSync(join(rssDir, f), 'utf8')));
      if (values.length > 0) peakKiB = Math.max(...values);
    }
    return { seconds, peakMiB: kib(peakKiB), status: result.status, stderr };
  } finally {
    rmSync(rssDir, { recursive: true, force: true });
  }
}

function kib(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value / 1024;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every `*.template.json` below a cloud assembly directory (nested stage assemblies included). */
export function templateFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return templateFiles(path);
      return name.endsWith('.template.json') ? [path] : [];
    });
}

/** Stacks and resources of a synthesized cloud assembly. */
export function assemblySize(dir: string): { stacks: number; resources: number; templateBytes: number } {
  const files = templateFiles(dir);
  const templateBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const resources = files.reduce((n, f) => {
    const template = JSON.parse(readFileSync(f, 'utf8')) as { Resources?: Record<string, unknown> };
    return n + Object.keys(template.Resources ?? {}).length;
  }, 0);
  return { stacks: files.length, resources, templateBytes };
}
