import { spawnSync } from 'node:child_process';

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
