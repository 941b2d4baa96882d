import { isIsoDate } from '../../constructs/conventions';
import { Command, Option } from 'commander';
import { DEFAULT_CONFIG_PATH } from './defaults';
import { DEFAULT_INIT_PATH, writeStarterConfig } from './init';

/** Exit codes of `validate` and `init`: the same as synth's config check. */
export const CONFIG_EXIT = { valid: 0, invalid: 1, usage: 2 } as const;

/** Where the commands write; tests pass their own. */
export interface ConfigCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: ConfigCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * `edu-baseline validate [file]`: the checks synth runs before building any
 * construct (schema, cross-field, secrets), without synthesizing. Prints the
 * same message as synth and exits 1 for an invalid config.
 */
export function runValidate(file: string, options: { today?: string } = {}, io: ConfigCommandIo = processIo): number {
  if (options.today !== undefined && !isIsoDate(options.today)) {
    io.stderr('edu-baseline validate: --today must be a date written YYYY-MM-DD\n');
    return CONFIG_EXIT.usage;
  }
  // Loaded here, not at the top, so `edu-baseline --help` does not load zod and the schema.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConfigError, loadConfig } = require('./index') as typeof import('./index');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { warehouseConfigIssues } = require('../warehouse/plan') as typeof import('../warehouse/plan');
  try {
    // The same checks as synth (bin/edu-baseline.ts), warehouse references included.
    const config = loadConfig(file, { today: options.today, checks: [warehouseConfigIssues] });
    io.stdout(
      `${file}: valid (${config.environments.length} environment(s), ${config.tenants.length} tenant(s), ${config.allowList.length} allow-list entr${config.allowList.length === 1 ? 'y' : 'ies'})\n`,
    );
    return CONFIG_EXIT.valid;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return CONFIG_EXIT.invalid;
    }
    throw err;
  }
}

/** `edu-baseline init [file]`: writes a commented starter config that validates; never overwrites. */
export function runInit(file: string, io: ConfigCommandIo = processIo): number {
  const result = writeStarterConfig(file);
  if ('error' in result) {
    io.stderr(`edu-baseline init: ${result.error}\n`);
    return CONFIG_EXIT.invalid;
  }
  io.stdout(`wrote ${result.written}: replace the placeholders, then run \`edu-baseline validate ${result.written}\`\n`);
  return CONFIG_EXIT.valid;
}

/** Usage errors (unknown option, extra argument) exit 2, as for the other commands' bad input. */
function usageExitsTwo(command: Command): Command {
  return command.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : CONFIG_EXIT.usage);
  });
}

/** Adds `edu-baseline validate [file]`. */
export function registerValidateCommand(program: Command): void {
  usageExitsTwo(
    program
      .command('validate')
      .argument('[file]', 'config file (YAML or JSON)', DEFAULT_CONFIG_PATH)
      .description('Check a config file without synthesizing: every problem with its field and line. Exit 0 valid, 1 invalid, 2 usage error.')
      .addOption(new Option('--today <date>', 'judge expiry dates against this day (YYYY-MM-DD), for tests').hideHelp())
      .action((file: string, opts: { today?: string }) => {
        process.exitCode = runValidate(file, opts);
      }),
  );
}

/** Adds `edu-baseline init [file]`. */
export function registerInitCommand(program: Command): void {
  usageExitsTwo(
    program
      .command('init')
      .argument('[file]', 'where to write the starter config', DEFAULT_INIT_PATH)
      .description('Write a commented starter config that validates (never overwrites an existing file). Exit 0 written, 1 not written.')
      .action((file: string) => {
        process.exitCode = runInit(file);
      }),
  );
}
