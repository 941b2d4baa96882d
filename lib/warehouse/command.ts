import { isIsoDate } from '../../constructs/conventions';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../config/errors';
import { DEFAULT_CONFIG_PATH } from '../config/defaults';
import type { BaselineConfig } from '../config/schema';
import type { WarehouseAccessInput } from '../config/warehouse-access';

/**
 * The script generator and its schemas are loaded when `warehouse` runs, not
 * when `edu-baseline` starts, so `--help` and the other subcommands never pay for them.
 */
function loadWarehouse(): { config: typeof import('../config/loader'); plan: typeof import('./plan'); script: typeof import('./script') } {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return {
    config: require('../config/loader') as typeof import('../config/loader'),
    plan: require('./plan') as typeof import('./plan'),
    script: require('./script') as typeof import('./script'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Exit code when the config, the options or the output path cannot be used; nothing is written. */
export const EXIT_BAD_INPUT = 2;

export interface WarehouseCommandOptions {
  readonly env: string;
  readonly out?: string;
  readonly config: string;
  readonly today?: string;
}

export interface WarehouseIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: WarehouseIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The optional `warehouseAccess` section, once lib/config/schema.ts declares
 * it; until then the config cannot hold it and the defaults apply.
 */
function accessSection(config: BaselineConfig, accessPath: string): WarehouseAccessInput | undefined {
  const value: unknown = (config as Readonly<Record<string, unknown>>)[accessPath];
  // planWarehouse parses it with the warehouse schema, so an invalid section is reported, not trusted.
  return value as WarehouseAccessInput | undefined;
}

/** Writes through a temporary file in the same directory, so a failed run leaves any earlier script untouched. */
function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Runs `warehouse`; returns the exit code. */
export function runWarehouse(options: WarehouseCommandOptions, io: WarehouseIo = processIo): number {
  if (options.today !== undefined && !isIsoDate(options.today)) {
    io.stderr(`edu-baseline warehouse: --today must be a date written YYYY-MM-DD, not "${options.today}"\n`);
    return EXIT_BAD_INPUT;
  }
  const {
    config: { loadConfig },
    plan: { ACCESS_PATH },
    script: { generateWarehouseScript },
  } = loadWarehouse();
  let script: string;
  try {
    const config = loadConfig(options.config, { today: options.today });
    script = generateWarehouseScript(config, options.env, { access: accessSection(config, ACCESS_PATH), today: options.today, source: options.config });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`edu-baseline warehouse: ${err.message}\nNo script written.\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
  if (options.out === undefined) {
    io.stdout(script);
    return 0;
  }
  try {
    writeAtomically(options.out, script);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    io.stderr(`edu-baseline warehouse: cannot write ${options.out} (${code}); check that its directory exists and is writable. No script written.\n`);
    return EXIT_BAD_INPUT;
  }
  io.stderr(`edu-baseline warehouse: wrote ${options.out} for environment ${options.env}\n`);
  return 0;
}

/** Adds `edu-baseline warehouse --env <name> [--out FILE] [-c config]`. */
export function registerWarehouseCommand(program: Command): void {
  program
    .command('warehouse')
    .description(
      'Write the idempotent Snowflake SQL script for one environment: network policy from the allow-list, storage integration ' +
        'for its lake, roles and users, and row access by tenant_code. Exit 2 on invalid input (nothing written).',
    )
    .requiredOption('--env <name>', 'environment name from the config, e.g. prod')
    .option('--out <file>', 'write the script to this file instead of standard output')
    .option('-c, --config <path>', 'baseline config file (YAML or JSON)', DEFAULT_CONFIG_PATH)
    .addOption(new Option('--today <date>', 'judge expiry dates against this day (YYYY-MM-DD), for tests').hideHelp())
    .action((opts: WarehouseCommandOptions) => {
      process.exitCode = runWarehouse(opts);
    });
}
