import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';

/**
 * The evidence writer pulls in the policy gate (aws-cdk-lib, cdk-nag), about
 * a second of loading, so it is loaded when `report` runs, not when
 * `edu-baseline` starts: `--help` and the other subcommands never pay for it.
 */
function loadReport(): {
  cloudAssembly: typeof import('./cloud-assembly');
  model: typeof import('./model');
  provenance: typeof import('./provenance');
  write: typeof import('./write');
} {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return {
    cloudAssembly: require('./cloud-assembly') as typeof import('./cloud-assembly'),
    model: require('./model') as typeof import('./model'),
    provenance: require('./provenance') as typeof import('./provenance'),
    write: require('./write') as typeof import('./write'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Exit codes of `edu-baseline report`: written (or, with --verify, still describes the cdk.out), changed since, unreadable input. */
export const REPORT_EXIT = { written: 0, changed: 1, badInput: 2 } as const;

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
const STDIO: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** Runs the command; separated from commander for tests. */
export function runReportCommand(
  cdkOut: string,
  options: { out?: string; generatedAt?: string; verify?: boolean },
  io: Io = STDIO,
): number {
  if (options.verify) return runVerify(cdkOut, options.out, io);
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

/**
 * `edu-baseline report --verify [cdk.out]`: recomputes the sha256 of every
 * template, side file and the validation report of the cloud assembly and
 * compares them with the digests evidence.json recorded. Exit 0 when they
 * all match (the evidence still describes this cdk.out), 1 naming each file
 * that changed, disappeared or appeared, 2 when either side is unreadable.
 */
function runVerify(cdkOut: string, out: string | undefined, io: Io): number {
  const { provenance: { assemblyDigests, compareDigests }, write: { defaultOutDir, REPORT_FILES } } = loadReport();
  const evidenceFile = join(out ?? defaultOutDir(cdkOut), REPORT_FILES.data);
  if (!existsSync(join(cdkOut, 'manifest.json'))) {
    io.stderr(`edu-baseline report: ${cdkOut} is not a cloud assembly: no manifest.json (name the cdk.out directory).\n`);
    return REPORT_EXIT.badInput;
  }
  let recorded: { path: string; sha256: string }[];
  try {
    const evidence = JSON.parse(readFileSync(evidenceFile, 'utf8')) as { provenance?: { digests?: { path: string; sha256: string }[] } };
    if (!Array.isArray(evidence.provenance?.digests)) throw new Error('it records no provenance digests (written by an older edu-baseline?)');
    recorded = evidence.provenance.digests;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist (pass the evidence directory with --out)' : (err as Error).message;
    io.stderr(`edu-baseline report: cannot verify against ${evidenceFile}: ${why}\n`);
    return REPORT_EXIT.badInput;
  }
  const result = compareDigests(recorded, assemblyDigests(cdkOut));
  const problems = [
    ...result.changed.map((p) => `changed: ${p}`),
    ...result.missing.map((p) => `missing: ${p}`),
    ...result.added.map((p) => `added: ${p} (not described by the evidence)`),
  ];
  if (problems.length === 0) {
    io.stdout(`Verified: ${evidenceFile} describes ${cdkOut} (${result.matching.length} files match their recorded sha256).\n`);
    return REPORT_EXIT.written;
  }
  io.stdout(`${problems.join('\n')}\n`);
  io.stderr(`edu-baseline report: ${evidenceFile} no longer describes ${cdkOut}: ${problems.length} file(s) differ from the recorded sha256; run \`edu-baseline report\` again (or re-run the synth) for current evidence.\n`);
  return REPORT_EXIT.changed;
}

/** Registers `edu-baseline report [--out DIR] [--verify] [cdk.out]`. */
export function registerReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('Write the auditor evidence of a synthesized cloud assembly: evidence.html, evidence.md, component-definition.json and assessment-results.json (OSCAL) and evidence.json. '
      + 'With --verify, check that the evidence still describes the cloud assembly. Exit 0: written / verified; 1: (--verify) a file changed; 2: unreadable input.')
    .option('-o, --out <dir>', 'evidence directory to write, or with --verify to read (default: <cdk.out>/evidence)')
    .option('--verify', 'recompute the sha256 of the templates, side files and validation report and compare them with evidence.json; write nothing')
    .addOption(new Option('--generated-at <iso>', 'fix the generated-at timestamp (reproducible output; SOURCE_DATE_EPOCH also works)').hideHelp())
    .argument('[cdk.out]', 'cloud assembly directory', 'cdk.out')
    .action((cdkOut: string, opts: { out?: string; generatedAt?: string; verify?: boolean }) => {
      process.exitCode = runReportCommand(cdkOut, opts);
    });
}
