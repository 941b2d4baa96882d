import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_CONFIG_PATH } from '../config/defaults';
import { EXIT_FAILURE, SecretsError } from './errors';
import { parseKeyArn } from './key-match';
import type { OutputFormat, SecretsContext } from './operations';
import type { PromptOutput, SecretInput } from './read-value';

/**
 * The AWS SDK takes about half a second to load, so the modules that use it
 * are loaded when a `secrets` subcommand runs, not when `edu-baseline`
 * starts: `--help` and the other subcommands never pay for it.
 */
function loadSecrets(): {
  config: typeof import('../config');
  parameterStore: typeof import('./parameter-store');
  operations: typeof import('./operations');
} {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
  return {
    config: require('../config') as typeof import('../config'),
    parameterStore: require('./parameter-store') as typeof import('./parameter-store'),
    operations: require('./operations') as typeof import('./operations'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The options every `secrets` subcommand takes, as commander parses them. */
export interface SecretsCliOptions {
  readonly config: string;
  readonly env: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly format: OutputFormat;
  readonly now?: string;
  readonly keyArn?: string;
  readonly overwrite?: boolean;
}

/** Process streams, replaceable in tests. */
export interface SecretsIo {
  readonly stdin: SecretInput;
  readonly stdout: PromptOutput;
  readonly stderr: PromptOutput;
}

type Action = (ctx: SecretsContext) => Promise<number>;

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new SecretsError(`--now "${value}" is not an ISO 8601 date, e.g. 2027-01-31T00:00:00Z`);
  return parsed;
}

function parseEndpoint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SecretsError(`--endpoint-url "${value}" is not a URL, e.g. http://localhost:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SecretsError(`--endpoint-url "${value}" must be an http:// or https:// URL`);
  }
  return value;
}

/** Builds the context from the options: config, environment, client. Every failure is exit 2. */
export function resolveContext(options: SecretsCliOptions, io: SecretsIo): SecretsContext {
  const now = parseNow(options.now);
  const endpointUrl = parseEndpoint(options.endpointUrl);
  const keyArn = options.keyArn === undefined ? undefined : parseKeyArn(options.keyArn);
  const {
    config: { findEnvironment, loadConfig },
    parameterStore: { createSsmClient },
  } = loadSecrets();
  // Contractor expiry in the config is judged on the same day as secret age.
  const config = loadConfig(options.config, { today: now.toISOString().slice(0, 10) });
  const env = findEnvironment(config, options.env);
  const region = options.region ?? env.region;
  const client = createSsmClient({
    region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
  });
  return {
    config,
    env,
    client,
    region,
    ...(endpointUrl ? { endpointUrl } : {}),
    now,
    ...(keyArn ? { keyArn } : {}),
    format: options.format,
    stdout: io.stdout,
    stderr: io.stderr,
  };
}

/** Runs one subcommand and returns its exit code; errors are printed, never thrown. */
export async function runSecretsAction(options: SecretsCliOptions, io: SecretsIo, action: Action): Promise<number> {
  let ctx: SecretsContext | undefined;
  try {
    ctx = resolveContext(options, io);
    return await action(ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`edu-baseline secrets: ${message}\n`);
    return err instanceof SecretsError ? err.exitCode : EXIT_FAILURE;
  } finally {
    ctx?.client.destroy();
  }
}

function withCommonOptions(cmd: Command, options: { keyArn: boolean }): Command {
  cmd
    .option('-c, --config <path>', 'config file (YAML or JSON)', DEFAULT_CONFIG_PATH)
    .requiredOption('--env <name>', 'environment whose secrets to manage, e.g. dev or prod')
    .option('--profile <name>', 'AWS profile from the shared config files (default: the standard credential chain)')
    .option('--region <region>', "AWS region (default: the environment's region in the config)")
    .option('--endpoint-url <url>', 'Parameter Store endpoint, e.g. LocalStack (default: the regional AWS endpoint)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--now <date>', 'the date ages are judged on (tests)').hideHelp());
  if (options.keyArn) {
    cmd.option('--key-arn <arn>', 'ARN or ID of the secrets key, accepted besides its alias for parameters written with the key ID');
  }
  return cmd;
}

function defaultIo(): SecretsIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/**
 * Adds `secrets list|put|check` to the `edu-baseline` program. Exit codes:
 * 0 ok, 1 check found problems, 2 usage, config, input or AWS errors
 * (including commander's own usage errors, which would otherwise exit 1 and
 * be mistaken for "check found problems").
 */
export function registerSecretsCommand(program: Command, io: SecretsIo = defaultIo()): void {
  const secrets = program
    .command('secrets')
    .description('Write, list and audit the SecureString parameters of an environment (SECRET-1, SECRET-4)')
    .exitOverride((err: CommanderError) => {
      process.exit(err.exitCode === 0 ? 0 : EXIT_FAILURE);
    });

  const run = async (options: SecretsCliOptions, action: Action): Promise<void> => {
    process.exitCode = await runSecretsAction(options, io, action);
  };

  withCommonOptions(secrets.command('list'), { keyArn: false })
    .description('List every declared parameter: present or missing, type, KMS key, last modified, age. Never a value.')
    .action((options: SecretsCliOptions) => run(options, (ctx) => loadSecrets().operations.listSecrets(ctx)));

  withCommonOptions(secrets.command('put'), { keyArn: false })
    .description('Write a declared parameter as SecureString with the environment key; the value is read from standard input, never from arguments')
    .argument('<parameter-name>', 'full name (/edu/prod/airflow/fernet-key) or name below the environment root (airflow/fernet-key)')
    .option('--overwrite', 'replace an existing value (rotation)', false)
    .action((name: string, options: SecretsCliOptions) =>
      run(options, (ctx) => loadSecrets().operations.putSecret(ctx, { name, overwrite: options.overwrite === true, input: io.stdin })),
    );

  withCommonOptions(secrets.command('check'), { keyArn: true })
    .description('Exit 1 if a declared parameter is missing, not SecureString, under another key, or older than its maximum age')
    .action((options: SecretsCliOptions) => run(options, (ctx) => loadSecrets().operations.checkSecrets(ctx)));
}
