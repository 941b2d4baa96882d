import { NameKind } from './name-limits';
import { partitionOf } from './regions';
import { ALLOW_LIST_KINDS, AllowListEntry, AllowListKind, BaselineConfig, DEFAULT_PREFIX_LIST_CAPACITY, EnvironmentConfig } from './schema';

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

/** Alarm names (after `<deployment>-<env>-`) the monitoring role may read, by what each watches. */
export const BASELINE_ALARMS = { taskFailures: 'airflow-task-failures', hostStatus: 'airflow-host-status' } as const;
/** The baseline's alarms, by what each watches. */
export type BaselineAlarm = keyof typeof BASELINE_ALARMS;
/** Dashboard name (after `<deployment>-<env>-`). */
export const PLATFORM_DASHBOARD = 'platform';
/** The stacks of one environment, named `<deployment>-<env>-<part>`. */
export const STACK_PARTS = ['network', 'data', 'secrets', 'observability', 'access', 'orchestration'] as const;
/** Suffix SanitizedLogGroup appends to a named group for its audit-findings group. */
export const FINDINGS_LOG_GROUP_SUFFIX = '-data-protection-findings';

/**
 * Physical names shared by the stacks, the operator CLI and the warehouse
 * script, so that the three agree without reading each other's output. Every
 * name here is checked against AWS's limits by validateConfig (DEPLOY-4).
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
  /** KMS aliases of the other keys: trail, flow logs, Airflow logs, the host's EBS volumes. */
  readonly trailKeyAlias: string;
  readonly networkLogsKeyAlias: string;
  readonly airflowLogsKeyAlias: string;
  readonly airflowEbsKeyAlias: string;
  readonly alertsKeyAlias: string;
  /** Role Snowflake's storage integration assumes. */
  readonly warehouseRole: string;
  /** Role of the Airflow host. */
  readonly orchestrationRole: string;
  /** Role view-only staff assume for dashboards and alarms. */
  readonly monitoringRole: string;
  /** Log group prefix for orchestration task logs. */
  readonly logGroupPrefix: string;
  /** Log groups the stacks create (each also gets a `-data-protection-findings` group). */
  readonly flowLogGroup: string;
  readonly trailLogGroup: string;
  readonly taskLogGroup: string;
  readonly schedulerLogGroup: string;
  /** Log group of the custom resource that restricts the VPC's default security group (shares the flow logs' findings group). */
  readonly defaultSgRestrictorLogGroup: string;
  /** CloudTrail trail. */
  readonly trailName: string;
  /** SNS topic for task alerts. */
  readonly alertsTopic: string;
  /** CloudWatch alarms and dashboard. */
  readonly alarmNames: Readonly<Record<BaselineAlarm, string>>;
  readonly dashboardName: string;
  /** CloudFormation stack names by part. */
  readonly stackNames: Readonly<Record<(typeof STACK_PARTS)[number], string>>;
  /** DATA-4: the break-glass administrator role's ARN (configured, or `<prefix>-break-glass`). */
  readonly breakGlassRoleArn: string;
}


export function environmentNames(config: BaselineConfig, env: EnvironmentConfig): EnvironmentNames {
  const prefix = resourcePrefix(config, env);
  const logGroupPrefix = `/${config.deployment.name}/${env.name}`;
  return {
    prefix,
    lakeBucket: `${prefix}-lake-${env.account}`,
    lakeAccessLogBucket: `${prefix}-lake-access-logs-${env.account}`,
    trailBucket: `${prefix}-trail-${env.account}`,
    secretsKeyAlias: `alias/${prefix}-secrets`,
    dataKeyAlias: `alias/${prefix}-data`,
    trailKeyAlias: `alias/${prefix}-trail`,
    networkLogsKeyAlias: `alias/${prefix}-network-logs`,
    airflowLogsKeyAlias: `alias/${prefix}-airflow-logs`,
    airflowEbsKeyAlias: `alias/${prefix}-airflow-ebs`,
    alertsKeyAlias: `alias/${prefix}-alerts`,
    warehouseRole: `${prefix}-warehouse-integration`,
    orchestrationRole: `${prefix}-orchestration`,
    monitoringRole: `${prefix}-monitoring`,
    logGroupPrefix,
    flowLogGroup: `${logGroupPrefix}/vpc-flow-logs`,
    trailLogGroup: `${logGroupPrefix}/cloudtrail`,
    taskLogGroup: `${logGroupPrefix}/airflow/tasks`,
    schedulerLogGroup: `${logGroupPrefix}/airflow/scheduler`,
    defaultSgRestrictorLogGroup: `${logGroupPrefix}/default-sg-restrictor`,
    trailName: `${prefix}-trail`,
    alertsTopic: `${prefix}-alerts`,
    alarmNames: { taskFailures: `${prefix}-${BASELINE_ALARMS.taskFailures}`, hostStatus: `${prefix}-${BASELINE_ALARMS.hostStatus}` },
    dashboardName: `${prefix}-${PLATFORM_DASHBOARD}`,
    stackNames: Object.fromEntries(STACK_PARTS.map((part) => [part, `${prefix}-${part}`])) as Record<(typeof STACK_PARTS)[number], string>,
    breakGlassRoleArn: env.breakGlassRoleArn ?? `arn:${partitionOf(env.region) ?? 'aws'}:iam::${env.account}:role/${prefix}-break-glass`,
  };
}

/** A config field that is part of a derived name. */
export interface NameSource {
  /** Dotted path into the config file, e.g. `deployment.name`. */
  readonly path: string;
  readonly value: string;
}

/** One physical name the stacks set, with what it names and the config fields it is built from. */
export interface PhysicalName {
  readonly kind: NameKind;
  readonly name: string;
  /** What it names, e.g. `the lake's access-log bucket`. */
  readonly describes: string;
  /** The fields that make up the name, most likely to be shortened first. */
  readonly sources: readonly NameSource[];
}

/**
 * Every physical name the stacks derive for one environment (DEPLOY-4): the
 * list validateConfig checks against AWS's limits before synthesis, and that
 * test/config/names.test.ts compares with the names in the synthesized
 * templates so the two cannot drift apart.
 */
export function physicalNames(config: BaselineConfig, env: EnvironmentConfig): PhysicalName[] {
  const index = config.environments.indexOf(env);
  const n = environmentNames(config, env);
  const deployment: NameSource = { path: 'deployment.name', value: config.deployment.name };
  const environment: NameSource = { path: `environments[${index}].name`, value: env.name };
  const account: NameSource = { path: `environments[${index}].account`, value: env.account };
  const prefixed = [deployment, environment];
  const out: PhysicalName[] = [];
  const add = (kind: NameKind, name: string, describes: string, sources: readonly NameSource[] = prefixed): void => {
    out.push({ kind, name, describes, sources });
  };

  for (const [part, name] of Object.entries(n.stackNames)) add('stack', name, `the ${part} stack`);
  add('s3-bucket', n.lakeBucket, "the lake's bucket", [...prefixed, account]);
  add('s3-bucket', n.lakeAccessLogBucket, "the lake's access-log bucket", [...prefixed, account]);
  add('s3-bucket', n.trailBucket, "CloudTrail's bucket", [...prefixed, account]);
  for (const [group, what] of [
    [n.flowLogGroup, 'the VPC flow-log group'],
    [n.trailLogGroup, "CloudTrail's log group"],
    [n.taskLogGroup, 'the Airflow task-log group'],
    [n.schedulerLogGroup, 'the Airflow scheduler-log group'],
  ] as const) {
    add('log-group', group, what);
    add('log-group', `${group}${FINDINGS_LOG_GROUP_SUFFIX}`, `the data-protection findings group of ${what}`);
  }
  add('log-group', n.defaultSgRestrictorLogGroup, "the default-security-group custom resource's log group");
  add('iam-role', n.orchestrationRole, "the Airflow host's role");
  add('iam-role', n.warehouseRole, "Snowflake's storage-integration role");
  add('iam-role', n.monitoringRole, 'the monitoring role');
  for (const [alias, what] of [
    [n.dataKeyAlias, "the lake's key"],
    [n.secretsKeyAlias, "the parameters' key"],
    [n.trailKeyAlias, "CloudTrail's key"],
    [n.networkLogsKeyAlias, "the flow logs' key"],
    [n.airflowLogsKeyAlias, "the Airflow logs' key"],
    [n.airflowEbsKeyAlias, "the Airflow host's volume key"],
    [n.alertsKeyAlias, "the alerts topic's key"],
  ] as const) {
    add('kms-alias', alias, `the alias of ${what}`);
  }
  add('sns-topic', n.alertsTopic, 'the alerts topic');
  add('cloudtrail-trail', n.trailName, 'the trail');
  Object.values(n.alarmNames).forEach((alarm) => add('alarm', alarm, `the alarm ${alarm}`));
  add('dashboard', n.dashboardName, 'the platform dashboard');

  // Prefix lists: `<prefix>-<kind>-<family>`, one per kind and family (a fixed capacity, never split).
  const kinds = new Set(allowListFor(config, env).map((e) => e.kind));
  for (const kind of ALLOW_LIST_KINDS.filter((k) => kinds.has(k))) {
    for (const family of ['ipv4', 'ipv6']) add('prefix-list', `${n.prefix}-${kind}-${family}`, `the ${kind} ${family} prefix list`);
  }

  const ssmPrefix: NameSource = { path: 'deployment.ssmPrefix', value: config.deployment.ssmPrefix };
  const declared = declaredSecrets(config, env);
  declared.forEach((secret) => {
    const secretIndex = config.secrets.findIndex((s) => `${parameterRoot(config, env)}/${s.name}` === secret.name);
    const tenantIndex = secret.tenantCode === undefined ? -1 : config.tenants.findIndex((t) => t.code === secret.tenantCode);
    const own: NameSource[] =
      secretIndex >= 0
        ? [{ path: `secrets[${secretIndex}].name`, value: config.secrets[secretIndex].name }]
        : tenantIndex >= 0
          ? [{ path: `tenants[${tenantIndex}].code`, value: config.tenants[tenantIndex].code }]
          : [];
    add('ssm-parameter', secret.name, `the parameter ${secret.name}`, [...own, ssmPrefix, environment]);
  });
  return out;
}
