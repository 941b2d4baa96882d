import { AllowListEntry, AllowListKind, BaselineConfig, DEFAULT_PREFIX_LIST_CAPACITY, EnvironmentConfig } from './schema';

/** Ed-Fi API credentials each tenant has, in the layout the edu framework's Airflow utilities read. */
export const EDFI_CREDENTIAL_PARTS = ['key', 'secret', 'url'] as const;

/** A parameter the stacks expect and the operator CLI writes. */
export interface DeclaredSecret {
  /** Full Parameter Store name, e.g. /edu/prod/riverside/key. */
  readonly name: string;
  readonly purpose: string;
  readonly maxAgeDays: number;
  /** Set for per-tenant secrets. */
  readonly tenantCode?: string;
}

/** `/<ssmPrefix>/<env>`: every parameter of an environment lives below it (ENV-1). */
export function parameterRoot(config: BaselineConfig, env: EnvironmentConfig): string {
  return `/${config.deployment.ssmPrefix}/${env.name}`;
}

/** The prefix for resource names: `<deployment>-<env>`. */
export function resourcePrefix(config: BaselineConfig, env: EnvironmentConfig): string {
  return `${config.deployment.name}-${env.name}`;
}

/** Every secret an environment declares: the configured ones and each tenant's Ed-Fi credentials. */
export function declaredSecrets(config: BaselineConfig, env: EnvironmentConfig): DeclaredSecret[] {
  const root = parameterRoot(config, env);
  const general = config.secrets.map((s) => ({ name: `${root}/${s.name}`, purpose: s.purpose, maxAgeDays: s.maxAgeDays }));
  const perTenant = config.tenants.flatMap((tenant) =>
    EDFI_CREDENTIAL_PARTS.map((part) => ({
      name: `${root}/${tenant.code}/${part}`,
      purpose: `Ed-Fi API ${part} for ${tenant.name}`,
      maxAgeDays: config.tenantSecrets.maxAgeDays,
      tenantCode: tenant.code,
    })),
  );
  return [...general, ...perTenant];
}

/** The environment's availability zones: configured, or `<region>a` and `<region>b`. */
export function availabilityZonesOf(env: EnvironmentConfig): string[] {
  return env.availabilityZones ?? [`${env.region}a`, `${env.region}b`];
}

/** MaxEntries of the prefix lists of one allow-list kind (DEPLOY-4): `deployment.prefixListCapacity`, per kind or for all. */
export function prefixListCapacityFor(config: BaselineConfig, kind: AllowListKind): number {
  const capacity = config.deployment.prefixListCapacity;
  return typeof capacity === 'number' ? capacity : (capacity[kind] ?? DEFAULT_PREFIX_LIST_CAPACITY);
}

/** Allow-list entries that apply to an environment. */
export function allowListFor(config: BaselineConfig, env: EnvironmentConfig): AllowListEntry[] {
  return config.allowList.filter((entry) => !entry.environments || entry.environments.includes(env.name));
}

/** Looks up an environment by name with an error that lists the valid names. */
export function findEnvironment(config: BaselineConfig, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (!env) {
    throw new Error(`Unknown environment "${name}"; the config defines: ${config.environments.map((e) => e.name).join(', ')}`);
  }
  return env;
}

/**
 * Physical names shared by the stacks, the operator CLI and the warehouse
 * script, so that the three agree without reading each other's output.
 */
export interface EnvironmentNames {
  readonly prefix: string;
  /** S3 lake bucket (account-qualified: bucket names are global). */
  readonly lakeBucket: string;
  /** Server access log bucket of the lake. */
  readonly lakeAccessLogBucket: string;
  /** CloudTrail bucket. */
  readonly trailBucket: string;
  /** KMS alias of the key that encrypts SecureString parameters. */
  readonly secretsKeyAlias: string;
  /** KMS alias of the lake's key. */
  readonly dataKeyAlias: string;
  /** Role Snowflake's storage integration assumes. */
  readonly warehouseRole: string;
  /** Role of the Airflow host. */
  readonly orchestrationRole: string;
  /** Log group prefix for orchestration task logs. */
  readonly logGroupPrefix: string;
}

export function environmentNames(config: BaselineConfig, env: EnvironmentConfig): EnvironmentNames {
  const prefix = resourcePrefix(config, env);
  return {
    prefix,
    lakeBucket: `${prefix}-lake-${env.account}`,
    lakeAccessLogBucket: `${prefix}-lake-access-logs-${env.account}`,
    trailBucket: `${prefix}-trail-${env.account}`,
    secretsKeyAlias: `alias/${prefix}-secrets`,
    dataKeyAlias: `alias/${prefix}-data`,
    warehouseRole: `${prefix}-warehouse-integration`,
    orchestrationRole: `${prefix}-orchestration`,
    logGroupPrefix: `/${config.deployment.name}/${env.name}`,
  };
}
