import { spawnSync } from 'node:child_process';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One `cfn-guard validate` run over rule files and templates. */
export interface GuardRequest {
  /** The cfn-guard binary. */
  readonly guard: string;
  /** `.guard` files or folders. */
  readonly rules: readonly string[];
  /** CloudFormation templates. */
  readonly templates: readonly string[];
}

/** What cfn-guard printed: its structured JSON report, parsed. */
export type GuardReport = unknown;

/** A cfn-guard run that failed (not a policy failure: those are reports). */
export class GuardRunError extends Error {}

/**
 * cfn-guard exits 0 when every rule passes or skips and 19 when one fails.
 * It exits 5 when it cannot parse a rule or data file, and still prints a
 * report in which that file simply SKIPs: the bundled validator accepts 5
 * like 19, which would pass a template no rule ever read. Not here.
 */
const REPORTING_EXIT_CODES = new Set([0, 19]);

/** Reports of a thousand templates stay well below this. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

function guardArgs(request: GuardRequest): string[] {
  return [
    'validate',
    ...request.rules.flatMap((r) => ['--rules', r]),
    ...request.templates.flatMap((t) => ['--data', t]),
    '--output-format',
    'json',
    '--show-summary',
    'none',
    '--structured',
  ];
}

interface ProcessOutcome {
  readonly status: number | null;
  readonly signal: string | null;
  readonly error?: string;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
}

function reportOf(outcome: ProcessOutcome): GuardReport {
  if (outcome.error) throw new GuardRunError(`cfn-guard could not run: ${outcome.error}`);
  if (outcome.status === null || !REPORTING_EXIT_CODES.has(outcome.status)) {
    const stderr = Buffer.from(outcome.stderr).toString('utf8').trim().split('\n').slice(0, 5).join(' ');
    throw new GuardRunError(`cfn-guard exited with ${outcome.status === null ? `signal ${outcome.signal}` : `status ${outcome.status}`}${stderr ? `: ${stderr}` : ''}`);
  }
  const text = Buffer.from(outcome.stdout).toString('utf8').trim();
  if (text === '') return [];
  try {
    return JSON.parse(text) as GuardReport;
  } catch {
    throw new GuardRunError('cfn-guard printed a report that is not JSON');
  }
}

/** Runs cfn-guard and waits for it. */
export function runGuard(request: GuardRequest): GuardReport {
  const run = spawnSync(request.guard, guardArgs(request), { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: MAX_OUTPUT_BYTES });
  return reportOf({ status: run.status, signal: run.signal, error: run.error?.message, stdout: run.stdout, stderr: run.stderr });
}

/**
 * The worker of {@link startGuardRuns}: it runs each request with
 * `spawnSync`, one after the other, posts every outcome on the port it was
 * given and wakes the waiting thread. Plain JavaScript evaluated as is, so
 * it needs no TypeScript loader and loads nothing of this package.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { spawnSync } = require('node:child_process');
const { port, done, runs, maxBuffer } = workerData;
let outcomes;
try {
  outcomes = runs.map(([command, args]) => {
    const run = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer });
    return { status: run.status, signal: run.signal, error: run.error ? run.error.message : undefined, stdout: run.stdout, stderr: run.stderr };
  });
} catch (err) {
  outcomes = { error: String(err && err.message ? err.message : err) };
} finally {
  port.postMessage(outcomes);
  const flag = new Int32Array(done);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
`;

/** cfn-guard runs started by {@link startGuardRuns}; {@link PendingGuardRuns.reports} waits for them. */
export interface PendingGuardRuns {
  /** Each request's report, in order; throws {@link GuardRunError} like {@link runGuard}. */
  reports(): GuardReport[];
}

/**
 * Starts cfn-guard runs on a worker thread and returns at once, so the
 * calling thread can do other work (the gate's cdk-nag packs) while the
 * cfn-guard processes use the other core. `reports()` blocks until they are
 * done (Atomics.wait; the outcomes cross by a MessagePort read with
 * receiveMessageOnPort), so callers stay synchronous, as CDK's validation
 * plugins must be. The worker's last act, even when spawning throws, is to
 * post and wake: a run never waits on a worker that gave up silently.
 */
export function startGuardRuns(requests: readonly GuardRequest[]): PendingGuardRuns {
  if (requests.length === 0) return { reports: () => [] };
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The app's loader (`--require tsx/cjs`) is not needed by the worker's plain JavaScript.
      execArgv: [],
      workerData: { port: port2, done, runs: requests.map((r) => [r.guard, guardArgs(r)]), maxBuffer: MAX_OUTPUT_BYTES },
      transferList: [port2],
    });
  } catch {
    // No worker here (a restricted runtime): run on the calling thread when asked.
    port1.close();
    return { reports: () => requests.map(runGuard) };
  }
  // The worker must not keep the process alive if nobody asks for the reports (a synth that failed earlier).
  worker.unref();
  let outcomes: ProcessOutcome[] | undefined;
  return {
    reports: () => {
      if (!outcomes) {
        Atomics.wait(new Int32Array(done), 0, 0);
        const message = receiveMessageOnPort(port1)?.message as ProcessOutcome[] | { error: string } | undefined;
        port1.close();
        void worker.terminate();
        if (!Array.isArray(message)) throw new GuardRunError(`cfn-guard could not run: ${message?.error ?? 'its worker thread ended without a result'}`);
        outcomes = message;
      }
      return outcomes.map(reportOf);
    },
  };
}
