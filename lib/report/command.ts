import { Command, Option } from 'commander';

/**
 * The evidence writer pulls in the policy gate (aws-cdk-lib, cdk-nag), about
 * a second of loading, so it is loaded when `report` runs, not when
 * `edu-baseline` starts: `--help` and the other subcommands never pay for it.
 */
function loadReport(): {
  cloudAssembly: typeof import('./cloud-assembly');
  model: typeof import('./model');
  write: typeof import('./write');
} {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return {
    cloudAssembly: require('./cloud-assembly') as typeof import('./cloud-assembly'),
    model: require('./model') as typeof import('./model'),
    write: require('./write') as typeof import('./write'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

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
  const {
    cloudAssembly: { AssemblyReadError },
    model: { STATUSES },
    write: { defaultOutDir, writeEvidence },
  } = loadReport();
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
