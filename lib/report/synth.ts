import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { writeEvidence } from './write';

/**
 * Synthesizes the app and writes the evidence report into
 * `<outdir>/evidence/`, also when the policy gate fails synthesis (the
 * templates and validation-report.json exist by then, and a report of the
 * violations is exactly what an auditor or a reviewer needs). The gate's
 * error is rethrown afterwards, so the exit code is unchanged.
 *
 * Use in the CDK app entry instead of relying on the implicit synth at exit.
 */
export function synthWithEvidence(app: App, options: { generatedAt?: string; log?: (line: string) => void } = {}): CloudAssembly {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let assembly: CloudAssembly | undefined;
  let failure: unknown;
  try {
    assembly = app.synth();
  } catch (err) {
    failure = err;
  }
  try {
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
