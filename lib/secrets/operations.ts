import { SSMClient } from '@aws-sdk/client-ssm';
import { BaselineConfig, declaredSecrets, DeclaredSecret, EnvironmentConfig, environmentNames, parameterRoot } from '../config';
import { describeAwsError, EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, redact, SecretsError } from './errors';
import { findProblems, inventory, ProblemKind, SecretProblem, SecretStatus } from './inventory';
import { ExpectedKey } from './key-match';
import { describeParametersUnder, ParameterInfo, putSecureString } from './parameter-store';
import { PromptOutput, readSecretValue, SecretInput } from './read-value';

export type OutputFormat = 'text' | 'json';

/** One environment's secrets, resolved from the config and the command line. */
export interface SecretsContext {
  readonly config: BaselineConfig;
  readonly env: EnvironmentConfig;
  readonly client: SSMClient;
  readonly region: string;
  /** For messages: where requests go when not the regional endpoint. */
  readonly endpointUrl?: string;
  readonly now: Date;
  /** The secrets key's ARN or ID, accepted by `check` besides the alias. */
  readonly keyArn?: string;
  readonly format: OutputFormat;
  readonly stdout: PromptOutput;
  readonly stderr: PromptOutput;
}

/** Parameter Store's limit for a Standard-tier value. */
const MAX_VALUE_BYTES = 4096;

function partition(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

function target(ctx: SecretsContext): string {
  return ctx.endpointUrl ?? `ssm.${ctx.region}.amazonaws.com`;
}

function parameterArn(ctx: SecretsContext, name: string): string {
  return `arn:${partition(ctx.region)}:ssm:${ctx.region}:${ctx.env.account}:parameter${name}`;
}

function expectedKey(ctx: SecretsContext): ExpectedKey {
  return {
    alias: environmentNames(ctx.config, ctx.env).secretsKeyAlias,
    region: ctx.region,
    account: ctx.env.account,
    ...(ctx.keyArn ? { keyArn: ctx.keyArn } : {}),
  };
}

async function currentStatuses(ctx: SecretsContext): Promise<SecretStatus[]> {
  return (await currentState(ctx)).statuses;
}

/** The declared parameters' statuses and every parameter Parameter Store holds under the root. */
async function currentState(ctx: SecretsContext): Promise<{ statuses: SecretStatus[]; found: ReadonlyMap<string, ParameterInfo> }> {
  const root = parameterRoot(ctx.config, ctx.env);
  try {
    const found = await describeParametersUnder(ctx.client, root);
    return { statuses: inventory(declaredSecrets(ctx.config, ctx.env), found, ctx.now), found };
  } catch (err) {
    throw describeAwsError(err, {
      permissions: ['ssm:DescribeParameters'],
      resource: `arn:${partition(ctx.region)}:ssm:${ctx.region}:${ctx.env.account}:* (the action takes no resource ARN; grant it on "*")`,
      target: target(ctx),
      showServiceMessage: true,
    });
  }
}

function header(ctx: SecretsContext): Record<string, string> {
  return {
    environment: ctx.env.name,
    region: ctx.region,
    account: ctx.env.account,
    parameterRoot: parameterRoot(ctx.config, ctx.env),
    keyAlias: environmentNames(ctx.config, ctx.env).secretsKeyAlias,
  };
}

function shortDate(iso: string | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ')).join('\n');
}

/** What `check` says about one parameter, in the words `list` shows. */
export type CheckVerdict = 'ok' | 'missing' | 'plain String' | 'wrong key' | 'overdue';

const VERDICT: Readonly<Record<ProblemKind, CheckVerdict>> = {
  missing: 'missing',
  'not-secure-string': 'plain String',
  'wrong-key': 'wrong key',
  expired: 'overdue',
};

/** A parameter under the environment's root that the config does not declare. */
export interface UndeclaredParameter {
  readonly name: string;
  readonly type?: string;
  readonly keyId?: string;
  readonly lastModifiedDate?: string;
}

/**
 * `secrets list`: each declared parameter with the verdict `check` would
 * give it (ok, missing, plain String, wrong key, overdue: the same
 * findProblems, so the two never disagree) and its metadata; then every
 * parameter under the environment's root that the config does not declare
 * (left behind, or written by hand: no stack reads it, no check covers it).
 * Never a value. Exit 0: listing is not a gate; `check` is.
 */
export async function listSecrets(ctx: SecretsContext): Promise<number> {
  const { statuses, found } = await currentState(ctx);
  const problems = findProblems(statuses, { envName: ctx.env.name, key: expectedKey(ctx), now: ctx.now });
  const verdicts = new Map<string, CheckVerdict[]>();
  for (const p of problems) verdicts.set(p.name, [...new Set([...(verdicts.get(p.name) ?? []), VERDICT[p.kind]])]);
  const verdictOf = (name: string): CheckVerdict[] => verdicts.get(name) ?? ['ok'];
  const declared = new Set(statuses.map((s) => s.name));
  const undeclared: UndeclaredParameter[] = [...found.values()]
    .filter((p) => !declared.has(p.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({
      name: p.name,
      ...(p.type ? { type: p.type } : {}),
      ...(p.keyId ? { keyId: p.keyId } : {}),
      ...(p.lastModifiedDate ? { lastModifiedDate: p.lastModifiedDate.toISOString() } : {}),
    }));
  if (ctx.format === 'json') {
    const parameters = statuses.map((s) => ({ ...s, check: verdictOf(s.name), problems: problems.filter((p) => p.name === s.name) }));
    ctx.stdout.write(`${JSON.stringify({ ...header(ctx), listedAt: ctx.now.toISOString(), parameters, undeclared }, null, 2)}\n`);
    return EXIT_OK;
  }
  const h = header(ctx);
  const rows = [
    ['NAME', 'CHECK', 'TYPE', 'KMS KEY', 'LAST MODIFIED', 'AGE (DAYS)', 'MAX AGE'],
    ...statuses.map((s) => [
      s.name,
      verdictOf(s.name).join(', '),
      s.type ?? '-',
      s.keyId ?? '-',
      shortDate(s.lastModifiedDate),
      s.ageDays === undefined ? '-' : String(s.ageDays),
      String(s.maxAgeDays),
    ]),
  ];
  const ok = statuses.filter((s) => !verdicts.has(s.name)).length;
  const counts = (['missing', 'plain String', 'wrong key', 'overdue'] as const)
    .map((v) => [v, statuses.filter((s) => verdicts.get(s.name)?.includes(v)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`);
  let text =
    `Secrets of environment ${h.environment} (account ${h.account}, region ${h.region}, root ${h.parameterRoot}, key ${h.keyAlias})\n` +
    `${table(rows)}\n` +
    `${statuses.length} declared: ${ok} ok${counts.length > 0 ? `, ${counts.join(', ')}` : ''}` +
    `${ok === statuses.length ? '' : ` (secrets check --env ${h.environment} fails; it shows each fix)`}\n`;
  if (undeclared.length > 0) {
    const extra = [
      ['UNDECLARED UNDER ' + h.parameterRoot, 'TYPE', 'KMS KEY', 'LAST MODIFIED'],
      ...undeclared.map((u) => [u.name, u.type ?? '-', u.keyId ?? '-', shortDate(u.lastModifiedDate)]),
    ];
    text +=
      `\n${table(extra)}\n` +
      `${undeclared.length} parameter(s) under ${h.parameterRoot} are not declared in the config: no stack grants them and no check covers them; ` +
      'declare them in secrets[], or delete them (aws ssm delete-parameter --name <name>) once nothing uses them\n';
  }
  ctx.stdout.write(text);
  return EXIT_OK;
}

/** `secrets check`: exit 1 when any declared parameter breaks SECRET-1 or SECRET-4. */
export async function checkSecrets(ctx: SecretsContext): Promise<number> {
  const statuses = await currentStatuses(ctx);
  const problems = findProblems(statuses, { envName: ctx.env.name, key: expectedKey(ctx), now: ctx.now });
  const ok = problems.length === 0;
  if (ctx.format === 'json') {
    ctx.stdout.write(
      `${JSON.stringify({ ...header(ctx), checkedAt: ctx.now.toISOString(), ok, declared: statuses.length, problems, parameters: statuses }, null, 2)}\n`,
    );
    return ok ? EXIT_OK : EXIT_PROBLEMS;
  }
  const byName = new Map<string, SecretProblem[]>();
  for (const p of problems) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const lines: string[] = [];
  for (const s of statuses) {
    const mine = byName.get(s.name);
    if (!mine) {
      lines.push(`OK    ${s.name} (SecureString, ${s.keyId}, ${s.ageDays} of ${s.maxAgeDays} days)`);
      continue;
    }
    for (const p of mine) {
      lines.push(`FAIL  ${p.name} [${p.control} ${p.kind}] ${p.message}`);
      lines.push(`      fix: ${p.fix}`);
    }
  }
  const failing = byName.size;
  const summary = ok
    ? `check passed: all ${statuses.length} declared secrets of ${ctx.env.name} are SecureString with ${header(ctx).keyAlias} and within their maximum age`
    : `check failed: ${problems.length} problem(s) in ${failing} of ${statuses.length} declared secrets of ${ctx.env.name}`;
  ctx.stdout.write(`${lines.join('\n')}\n${summary}\n`);
  return ok ? EXIT_OK : EXIT_PROBLEMS;
}

/**
 * A declared secret by its full name or its name below the environment's
 * root (`riverside_isd/key`). Anything else is refused, before any input is read.
 */
export function resolveDeclared(ctx: Pick<SecretsContext, 'config' | 'env'>, name: string): DeclaredSecret {
  const root = parameterRoot(ctx.config, ctx.env);
  const declared = declaredSecrets(ctx.config, ctx.env);
  const full = name.startsWith('/') ? name : `${root}/${name}`;
  const match = declared.find((d) => d.name === full);
  if (match) return match;
  const otherEnv = ctx.config.environments.find((e) => e.name !== ctx.env.name && full.startsWith(`${parameterRoot(ctx.config, e)}/`));
  const hint = otherEnv ? ` It is under environment ${otherEnv.name}'s root; pass --env ${otherEnv.name} to write it there.` : '';
  throw new SecretsError(
    `${full} is not a declared secret of environment ${ctx.env.name}.${hint} ` +
      `Declare it in the config's secrets section first, or use one of:\n${declared.map((d) => `  ${d.name}`).join('\n')}`,
  );
}

/** What `put` needs besides the context. */
export interface PutOptions {
  readonly name: string;
  readonly overwrite: boolean;
  readonly input: SecretInput;
}

/**
 * `secrets put`: writes one declared secret from standard input as a
 * SecureString with the environment's key. Every message that can follow
 * reading the value is redacted against it, including SDK errors.
 */
export async function putSecret(ctx: SecretsContext, options: PutOptions): Promise<number> {
  const secret = resolveDeclared(ctx, options.name);
  const keyAlias = environmentNames(ctx.config, ctx.env).secretsKeyAlias;
  const value = await readSecretValue(options.input, ctx.stderr, secret.name);
  try {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_VALUE_BYTES) {
      throw new SecretsError(`The value is ${bytes} bytes; a Standard-tier parameter holds at most ${MAX_VALUE_BYTES}. Nothing was written to ${secret.name}.`);
    }
    const tags = secret.tenantCode ? { tenant_code: secret.tenantCode } : undefined;
    const result = await putSecureString(ctx.client, {
      name: secret.name,
      value,
      keyId: keyAlias,
      description: secret.purpose,
      ...(tags ? { tags } : {}),
      overwrite: options.overwrite,
    }).catch((err: unknown) => {
      throw putFailure(ctx, secret, keyAlias, err);
    });
    const outcome = {
      ...header(ctx),
      name: secret.name,
      type: 'SecureString',
      keyId: keyAlias,
      version: result.version,
      action: result.created ? 'created' : 'replaced',
    };
    if (ctx.format === 'json') ctx.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else ctx.stdout.write(`${outcome.action === 'created' ? 'Created' : 'Replaced'} ${secret.name} (SecureString, ${keyAlias}, version ${result.version ?? '?'})\n`);
    return EXIT_OK;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A fresh error: the original may carry the request (and so the value) in
    // its properties or cause, and nothing of it may travel further.
    throw new SecretsError(redact(message, value), err instanceof SecretsError ? err.exitCode : EXIT_FAILURE);
  }
}

function putFailure(ctx: SecretsContext, secret: DeclaredSecret, keyAlias: string, err: unknown): SecretsError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'ParameterAlreadyExists') {
    return new SecretsError(
      `${secret.name} already has a value; nothing was written. To replace it (rotation), run the same command with --overwrite`,
    );
  }
  if (name === 'HierarchyTypeMismatchException') {
    return new SecretsError(
      `${secret.name} exists with another type and Parameter Store cannot change it to SecureString in place; ` +
        `rotate the exposed value, delete the parameter (aws ssm delete-parameter --name ${secret.name}) and put it again`,
    );
  }
  if (name === 'InvalidKeyId') {
    return new SecretsError(
      `The key ${keyAlias} cannot be used in ${ctx.region} (InvalidKeyId): deploy the secrets stack of ${ctx.env.name}, ` +
        'which creates the key and its alias, and make sure the operator has kms:Encrypt on it',
    );
  }
  const permissions = ['ssm:PutParameter', 'kms:Encrypt', ...(secret.tenantCode ? ['ssm:AddTagsToResource'] : [])];
  return describeAwsError(err, {
    permissions,
    resource: `${parameterArn(ctx, secret.name)} (key ${keyAlias})`,
    target: target(ctx),
    showServiceMessage: false,
  });
}
