import { readFileSync } from 'node:fs';

/**
 * Whether the CDK CLI that runs this app was asked to be quiet (`cdk synth -q`).
 *
 * The CLI runs the app as a child process with its output attached, and
 * passes no setting for `--quiet` (aws-cdk 2.1148 cxapp/exec.js), so the app
 * reads its ancestors' command lines on Linux (`/proc/<pid>/cmdline`); the
 * shell the CLI may start in between is skipped. Elsewhere, or when nothing
 * can be read, the answer is false and the full summary is printed.
 * `EDU_BASELINE_QUIET=1` forces quiet output on any platform.
 */
export function cdkCliQuiet(env: NodeJS.ProcessEnv = process.env, startPid: number = process.ppid): boolean {
  if (env.EDU_BASELINE_QUIET === '1' || env.EDU_BASELINE_QUIET === 'true') return true;
  let pid = startPid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    const args = readProc(pid, 'cmdline')?.split('\0').filter((a) => a !== '');
    if (!args) return false;
    if (args.some(isCdkCli)) return args.some((a) => a === '-q' || a === '--quiet' || a === '--quiet=true');
    const ppid = /^\d+ \(.*\) \S (\d+)/s.exec(readProc(pid, 'stat') ?? '')?.[1];
    if (!ppid) return false;
    pid = Number(ppid);
  }
  return false;
}

function isCdkCli(arg: string): boolean {
  return /(^|\/)cdk$/.test(arg) || /aws-cdk\/bin\/cdk(\.js)?$/.test(arg);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
