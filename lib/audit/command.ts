import { renameSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { AuditResult } from './audit';
import { Format, FORMATS, formatResult } from './formats';
import { counts } from './formats/common';

/**
 * The policy gate behind `audit` (aws-cdk-lib, cdk-nag, cfn-guard) takes
 * about a second to load, so it is loaded when the command runs, not when
 * `edu-baseline` starts: `--help` and the other subcommands never pay for it.
 */
function loadGate(): { audit: typeof import('./audit'); templateFile: typeof import('./template-file') } {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return {
    audit: require('./audit') as typeof import('./audit'),
    templateFile: require('./template-file') as typeof import('./template-file'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Exit codes of `edu-baseline audit`. */
export const AUDIT_EXIT = { clean: 0, errors: 1, badInput: 2 } as const;

/** What the command writes and returns; separated from commander for tests. */
export interface AuditRun {
  readonly exitCode: number;
  readonly result?: AuditResult;
}

/**
 * Runs the audit and writes the report to `output` (or stdout). An input
 * that cannot be read is named on stderr and the exit code is 2, while the
 * readable inputs are still audited and reported; when nothing is readable,
 * nothing is written. The report file is written through a temp file so a
 * failure never leaves half a report.
 */
export function runAuditCommand(
  paths: readonly string[],
  options: { format: Format; output?: string; cache?: boolean },
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): AuditRun {
  const { audit: { auditPaths, hasErrors }, templateFile: { AuditInputError } } = loadGate();
  let result: AuditResult;
  try {
    result = auditPaths(paths, options.cache === false ? { gate: { controlTowerCache: false } } : {});
  } catch (err) {
    if (err instanceof AuditInputError) {
      io.stderr(`edu-baseline audit: ${err.message}\n`);
      return { exitCode: AUDIT_EXIT.badInput };
    }
    throw err;
  }
  const report = formatResult(result, options.format);
  if (options.output) {
    const partial = `${options.output}.partial`;
    writeFileSync(partial, report);
    renameSync(partial, options.output);
    const c = counts(result.templates.flatMap((t) => t.findings));
    io.stderr(
      `edu-baseline audit: ${result.templates.length} template(s): ${c.errors} error(s), ${c.warnings} warning(s), ${c.acknowledged} acknowledged; ` +
        `report written to ${options.output}\n`,
    );
  } else {
    io.stdout(report);
  }
  // The unreadable inputs last, where a person reads first in a terminal; the report covers the rest.
  for (const err of result.unreadable ?? []) io.stderr(`edu-baseline audit: ${err.message}\n`);
  if (result.unreadable && result.unreadable.length > 0) return { exitCode: AUDIT_EXIT.badInput, result };
  return { exitCode: hasErrors(result) ? AUDIT_EXIT.errors : AUDIT_EXIT.clean, result };
}

/** Registers `edu-baseline audit [--format] [--output] <path...>`. */
export function registerAuditCommand(program: Command): Command {
  return program
    .command('audit')
    .description('Run the policy gate (EduSecurityChecks, AwsSolutions, NIST 800-53 R5, Control Tower) on CloudFormation templates or cdk.out directories. Exit 0: no error finding; 1: error findings; 2: unreadable input.')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-cache', 'evaluate every template with the Control Tower rules, ignoring findings cached for unchanged templates')
    .argument('<path...>', 'template files (JSON or YAML) and cloud assembly directories')
    .action((paths: string[], opts: { format: Format; output?: string; cache: boolean }) => {
      const run = runAuditCommand(paths, opts);
      process.exitCode = run.exitCode;
    });
}
