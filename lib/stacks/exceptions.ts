import { Stage } from 'aws-cdk-lib';
import { z } from 'zod';
import { ACCESS_LEVELS, AccessLevel, BaselineConfig, ConfigError, EnvironmentConfig, environmentNames, parameterRoot } from '../config';
import { AppliedException, applyExceptions, ExceptionRecord, ExceptionRecordError } from '../policy/exceptions';
import REGISTRY from './baseline-exceptions.json';

/**
 * EXC-1, the registry side: the baseline's own exception records (data in
 * baseline-exceptions.json, beside the stacks whose construct paths they
 * name) and the user's (`exceptions:` in the config), turned into records per
 * stage. The mechanism that applies and judges them is lib/policy/exceptions.ts.
 */

/** Where the baseline's own records are declared, as records and the gate name it. */
export const BASELINE_EXCEPTIONS_FILE = 'lib/stacks/baseline-exceptions.json';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const oneOrMore = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** One entry of baseline-exceptions.json (a template for one or more records). */
const registryEntrySchema = z.strictObject({
  stage: z.enum(['environment', 'identity']),
  rule: oneOrMore,
  resource: oneOrMore,
  reason: z.string().min(40),
  ticket: z.string().min(1),
  owner: z.string().min(1).optional(),
  reviewBy: isoDate.optional(),
  /** Only in production (true) or only outside it (false). */
  production: z.boolean().optional(),
  forEach: z.enum(['tenant', 'natSubnet', 'permissionSet']).optional(),
  /** With forEach permissionSet: the access levels the record applies to. */
  access: z.array(z.enum(ACCESS_LEVELS)).min(1).optional(),
  auditOnly: z.boolean().optional(),
});

export const registrySchema = z.strictObject({
  $comment: z.string().optional(),
  owner: z.string().min(1),
  reviewBy: isoDate,
  exceptions: z.array(registryEntrySchema).min(1),
});

type RegistryEntry = z.output<typeof registryEntrySchema>;
type Registry = z.output<typeof registrySchema>;

/** The shipped registry, validated once on load (a malformed file fails every synth, naming the field). */
function registry(): Registry {
  const parsed = registrySchema.safeParse(REGISTRY);
  if (!parsed.success) throw new Error(`${BASELINE_EXCEPTIONS_FILE} is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Replaces `{name}` placeholders; an unknown name is a registry bug and throws. */
function fill(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`${BASELINE_EXCEPTIONS_FILE}: unknown placeholder {${name}} in "${text}"`);
    return value;
  });
}

const list = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

function expand(file: Registry, entry: RegistryEntry, bindings: readonly Record<string, string>[]): ExceptionRecord[] {
  const records: ExceptionRecord[] = [];
  for (const vars of bindings) {
    for (const rule of list(entry.rule)) {
      for (const resource of list(entry.resource)) {
        records.push({
          rule: fill(rule, vars),
          resource: fill(resource, vars),
          reason: fill(entry.reason, vars),
          owner: entry.owner ?? file.owner,
          ticket: entry.ticket,
          reviewBy: entry.reviewBy ?? file.reviewBy,
          declaredIn: BASELINE_EXCEPTIONS_FILE,
          ...(entry.auditOnly ? { auditOnly: true } : {}),
        });
      }
    }
  }
  return records;
}

/** The baseline's records for one environment's stage. */
export function baselineExceptions(config: BaselineConfig, environment: EnvironmentConfig): ExceptionRecord[] {
  const file = registry();
  const names = environmentNames(config, environment);
  const base: Record<string, string> = {
    lakeBucket: names.lakeBucket,
    region: environment.region,
    account: environment.account,
    parameterRoot: parameterRoot(config, environment),
    warehouseAccount: environment.warehouse.snowflakeUserArn.split(':')[4],
  };
  const zones = environment.availabilityZones?.length ?? 2;
  return file.exceptions
    .filter((e) => e.stage === 'environment' && (e.production === undefined || e.production === environment.production))
    .flatMap((entry) => {
      let bindings: Record<string, string>[] = [base];
      if (entry.forEach === 'tenant') bindings = config.tenants.map((t) => ({ ...base, tenant: t.code }));
      if (entry.forEach === 'natSubnet') bindings = Array.from({ length: zones }, (_, i) => ({ ...base, natSubnet: String(i + 1) }));
      return expand(file, entry, bindings);
    });
}

/** The baseline's records for the identity stage: one per permission set whose access level the entry names. */
export function identityExceptions(config: BaselineConfig): ExceptionRecord[] {
  const file = registry();
  const permissionSets: { level: AccessLevel; vars: Record<string, string> }[] = [];
  for (const environment of config.environments) {
    for (const group of config.people) {
      const level = group.access[environment.name] ?? 'none';
      if (level === 'none') continue;
      permissionSets.push({ level, vars: { environment: environment.name, group: group.name, region: environment.region, account: environment.account } });
    }
  }
  return file.exceptions
    .filter((e) => e.stage === 'identity')
    .flatMap((entry) => expand(file, entry, permissionSets.filter((p) => entry.access?.includes(p.level) ?? true).map((p) => p.vars)));
}

/**
 * The user's records (`exceptions:` of the config) for one stage: those whose
 * resource path starts with the stage's name, as the gate prints it
 * (`dev/Data/Exports/Resource`).
 */
export function configExceptions(config: BaselineConfig, stageName: string, configFile = 'the config'): { index: number; record: ExceptionRecord }[] {
  return config.exceptions.flatMap((e, index) => {
    const [stage, ...rest] = e.resource.split('/');
    if (stage !== stageName) return [];
    return [{ index, record: { rule: e.rule, resource: rest.join('/'), reason: e.reason, owner: e.owner, ticket: e.ticket, expires: e.expires, declaredIn: `exceptions[${index}] of ${configFile}` } }];
  });
}

/**
 * Applies the baseline's and the user's records to a stage. A user record
 * that cannot be applied (no such construct, a whole stack) is a config
 * error naming `exceptions[<n>].resource`, reported like any other.
 */
export function applyStageExceptions(
  stage: Stage,
  baseline: readonly ExceptionRecord[],
  config: BaselineConfig,
  options: { today?: string; configFile?: string } = {},
): AppliedException[] {
  const { today, configFile = 'the config' } = options;
  const applied = applyExceptions(stage, baseline, { today });
  for (const { index, record } of configExceptions(config, stage.stageName, configFile)) {
    try {
      applied.push(...applyExceptions(stage, [record], { today }));
    } catch (err) {
      if (!(err instanceof ExceptionRecordError)) throw err;
      throw new ConfigError(configFile, [{ path: `exceptions[${index}].resource`, message: `${err.problem} The gate prints a finding's path after "at", e.g. ${stage.stageName}/Data/Lake/Bucket/Resource.` }]);
    }
  }
  return applied;
}
