import { Command, Option } from 'commander';
import { AssemblyReadError } from './cloud-assembly';
import { STATUSES } from './model';
import { defaultOutDir, writeEvidence } from './write';

/** Exit codes of `edu-baseline report`. */
export const REPORT_EXIT = { written: 0, badInput: 2 } as const;

/** Runs the command; separated from commander for tests. */
export function runReportCommand(
  cdkOut: string,
  options: { out?: string; generatedAt?: string },
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): number {
  try {
    const { report, outDir, files } = writeEvidence(cdkOut, { outDir: options.out ?? defaultOutDir(cdkOut), generatedAt: options.generatedAt });
    for (const env of report.environments) {
      io.stdout(`${env.name}: ${STATUSES.map((s) => `${env.summary[s]} ${s}`).join(', ')}\n`);
    }
    if (!report.gate.ran) io.stderr(`edu-baseline report: ${report.gate.statement}\n`);
    io.stdout(`Evidence written to ${outDir}: ${files.map((f) => f.slice(outDir.length + 1)).join(', ')}\n`);
    return REPORT_EXIT.written;
  } catch (err) {
    if (err instanceof AssemblyReadError || (err instanceof Error && err.message.startsWith('invalid generated-at'))) {
      io.stderr(`edu-baseline report: ${err.message}\n`);
      return REPORT_EXIT.badInput;
    }
    throw err;
  }
}

/** Registers `edu-baseline report [--out DIR] [cdk.out]`. */
export function registerReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('Write the auditor evidence of a synthesized cloud assembly: evidence.html, evidence.md, component-definition.json (OSCAL) and evidence.json. Exit 0: written; 2: unreadable input.')
    .option('-o, --out <dir>', 'output directory (default: <cdk.out>/evidence)')
    .addOption(new Option('--generated-at <iso>', 'fix the generated-at timestamp (reproducible output; SOURCE_DATE_EPOCH also works)').hideHelp())
    .argument('[cdk.out]', 'cloud assembly directory', 'cdk.out')
    .action((cdkOut: string, opts: { out?: string; generatedAt?: string }) => {
      process.exitCode = runReportCommand(cdkOut, opts);
    });
}
