import { App } from 'aws-cdk-lib';
import { cdkCliQuiet } from './cdk-cli';
import { displayPath } from './paths';
import { GatedRuleSet } from './policy/gate';
import { makeCreationStacksPortable } from './policy/source-locations';
import { formatVerdict, GateVerdict, judgeAssembly, VALIDATION_REPORT_FILE } from './policy/verdict';
import { GateVerdictValue } from './report/provenance';
import { synthWithEvidence } from './report/synth';

/** Options of {@link synthGated}. */
export interface GatedSynthOptions {
  /**
   * Print only the verdict and the errors.
   * @default true when the CDK CLI runs the app with `-q` (see cdkCliQuiet)
   */
  readonly quiet?: boolean;
  /**
   * Where the summary goes.
   * @default standard error (the CDK CLI passes the app's output through, also with -q)
   */
  readonly log?: (text: string) => void;
  /**
   * Directory that source locations and printed paths are relative to.
   * @default process.cwd()
   */
  readonly projectDir?: string;
  /** Timestamp of the evidence report. @default SOURCE_DATE_EPOCH or now */
  readonly generatedAt?: string;
  /** The config file the app was built from, recorded by its sha256 in the evidence's provenance. */
  readonly configFile?: string;
}

/** What {@link synthGated} decided. */
export interface GatedSynthResult {
  /** 0 when the gate passed (or is off), 1 otherwise: the process exit code. */
  readonly exitCode: number;
  /** Undefined when the gate is off or synthesis itself failed. */
  readonly verdict?: GateVerdict;
}

/**
 * Synthesizes an app with the policy gate attached and returns the gate's
 * verdict as an exit code, whatever the CDK CLI selected (see
 * lib/policy/verdict.ts for why the CLI alone cannot be trusted with it).
 * Writes the evidence report too, also when the gate fails. The app must
 * have been created with `@aws-cdk/core:failSynthOnValidationErrors` false
 * (as the CDK CLI does), so that the verdict comes from here in every
 * invocation, direct or through the CLI.
 */
export function synthGated(app: App, gate: readonly GatedRuleSet[], options: GatedSynthOptions = {}): GatedSynthResult {
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  const projectDir = options.projectDir ?? process.cwd();
  makeCreationStacksPortable(app, projectDir);
  // Judged between synthesis and the evidence report, so the report records the verdict this function returns.
  let judged: GateVerdict | undefined;
  const judge = (outdir: string): GateVerdictValue => {
    if (gate.length === 0) return 'not run';
    judged = judgeAssembly(outdir, gate.map((g) => g.coverage));
    return judged.passed ? 'passed' : 'failed';
  };
  try {
    synthWithEvidence(app, { generatedAt: options.generatedAt, log: (line) => log(`${line}\n`), configFile: options.configFile, projectDir, judge });
  } catch (err) {
    log(`Synthesis failed: ${(err as Error).message}\n`);
    return { exitCode: 1 };
  }
  if (gate.length === 0) return { exitCode: 0 };
  const verdict = judged ?? judgeAssembly(app.outdir, gate.map((g) => g.coverage));
  log(
    formatVerdict(verdict, {
      quiet: options.quiet ?? cdkCliQuiet(),
      reportPath: `${displayPath(app.outdir, projectDir)}/${VALIDATION_REPORT_FILE}`,
    }),
  );
  return { exitCode: verdict.passed ? 0 : 1, verdict };
}
