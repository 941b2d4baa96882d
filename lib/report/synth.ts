import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { assemblyDigests, configDigest, GateVerdictValue, gitCommit, toolVersions, writeSynthRecord } from './provenance';
import { generatedAt as timestamp, writeEvidence } from './write';

/** Options of {@link synthWithEvidence}. */
export interface SynthWithEvidenceOptions {
  /** Timestamp of the synthesis and the report. @default SOURCE_DATE_EPOCH or now */
  readonly generatedAt?: string;
  readonly log?: (line: string) => void;
  /** The config file the app was built from: its sha256 goes into the evidence's provenance. */
  readonly configFile?: string;
  /** Directory whose git commit the provenance records. @default process.cwd() */
  readonly projectDir?: string;
  /**
   * Judges the synthesized assembly; the verdict goes into the provenance.
   * @default the report reads the verdict from validation-report.json
   */
  readonly judge?: (outdir: string) => GateVerdictValue;
}

/**
 * Synthesizes the app and writes the evidence report into
 * `<outdir>/evidence/`, also when the policy gate fails synthesis (the
 * templates and validation-report.json exist by then, and a report of the
 * violations is exactly what an auditor or a reviewer needs). The gate's
 * error is rethrown afterwards, so the exit code is unchanged.
 *
 * Before the report, what only the synthesis knows (config digest, git
 * commit, tool versions, verdict) is recorded in the assembly
 * (lib/report/provenance.ts), so `edu-baseline report` run later on the same
 * cdk.out writes the same provenance.
 *
 * Use in the CDK app entry instead of relying on the implicit synth at exit.
 */
export function synthWithEvidence(app: App, options: SynthWithEvidenceOptions = {}): CloudAssembly {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let assembly: CloudAssembly | undefined;
  let failure: unknown;
  try {
    assembly = app.synth();
  } catch (err) {
    failure = err;
  }
  try {
    writeSynthRecord(app.outdir, {
      tools: toolVersions(),
      synthesizedAt: timestamp(options.generatedAt),
      config: options.configFile ? configDigest(options.configFile) : null,
      git: gitCommit(options.projectDir ?? process.cwd()),
      verdict: failure !== undefined ? 'failed' : options.judge ? options.judge(app.outdir) : null,
      digests: assemblyDigests(app.outdir),
    });
    const { outDir } = writeEvidence(app.outdir, { generatedAt: options.generatedAt });
    log(`Evidence report written to ${outDir}`);
  } catch (err) {
    // A report that cannot be written must not hide the gate's own error.
    if (failure === undefined) throw err;
    log(`Evidence report not written: ${(err as Error).message}`);
  }
  if (failure !== undefined) throw failure;
  return assembly as CloudAssembly;
}
