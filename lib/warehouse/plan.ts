import { z } from 'zod';
import { parseCidr } from '../../constructs/conventions';
import { allowListFor, declaredSecrets, environmentNames, EnvironmentNames, parameterRoot } from '../config/derived';
import { ConfigError, ConfigIssue, formatPath } from '../config/errors';
import { AccessLevel, AllowListKind, BaselineConfig, EnvironmentConfig, TENANT_CODE_PATTERN, WRITE_ACCESS_LEVELS } from '../config/schema';
import {
  AUTHORIZATION_SCOPE_CONSTANTS,
  privateKeySecretName,
  ServiceAccess,
  ServiceUserInput,
  WarehouseAccess,
  WarehouseAccessInput,
  warehouseAccessSchema,
} from '../config/warehouse-access';
import { isDocumentationRange, nonPublicRangeOf } from './reserved-ranges';
import { isGeneratedIdentifier } from './sql';

/** Where the warehouse options sit in the config file once the schema holds them. */
export const ACCESS_PATH = 'warehouseAccess';

/**
 * Allow-list kinds whose networks people connect to the warehouse from (the
 * account-level policy). VPN and administrator networks serve SSH to the
 * Airflow host (NET-1), not Snowflake: a VPN's address pool is private and
 * Snowflake only ever sees public source addresses.
 */
export const PEOPLE_NETWORK_KINDS: readonly AllowListKind[] = ['agency', 'bi', 'contractor'];
/** Allow-list kinds that may enter a Snowflake network rule: people's networks and the orchestration host's egress. */
export const SNOWFLAKE_NETWORK_KINDS: readonly AllowListKind[] = [...PEOPLE_NETWORK_KINDS, 'orchestration'];

/** Access levels that query rows in the warehouse and so appear in the tenant mapping. */
const ROW_READING_LEVELS: readonly AccessLevel[] = ['read', 'developer', 'admin'];

export interface NetworkRulePlan {
  /** Unqualified rule name in the GOVERNANCE schema. */
  readonly name: string;
  readonly kind: AllowListKind;
  readonly cidr: string;
  /** NET-2: who answers for the network and why it is open. */
  readonly comment: string;
  /** Last day the entry is valid (inclusive); a Snowflake task removes the rule after it (NET-2). */
  readonly expires?: string;
  /** True for an RFC 5737 documentation range: a placeholder to replace before applying. */
  readonly placeholder: boolean;
}

export interface NetworkPolicyPlan {
  readonly name: string;
  /** Unqualified names of the network rules it allows. */
  readonly rules: readonly string[];
  readonly kinds: readonly AllowListKind[];
}

export interface ServiceUserPlan {
  readonly name: string;
  readonly user: string;
  /** Role the user is granted (the loader role, or its own read role). */
  readonly role: string;
  readonly access: ServiceAccess;
  /** Parameter Store name of the private key whose public half the user gets. */
  readonly privateKeyParameter: string;
  /** Template variable that carries the public key when the script runs. */
  readonly publicKeyPlaceholder: string;
  readonly networkPolicy: NetworkPolicyPlan;
  readonly tenants: readonly string[];
}

export interface GroupRolePlan {
  readonly group: string;
  readonly role: string;
  readonly level: Exclude<AccessLevel, 'none'>;
  /** The access role that holds the level's privileges. */
  readonly accessRole: string;
  /** Tenants whose rows the group sees; empty for view (no row access at all). */
  readonly tenants: readonly string[];
  readonly expires?: string;
}

export interface TenantAccessRow {
  readonly role: string;
  readonly tenantCode: string;
  readonly expires?: string;
}

export interface ClassificationRow {
  readonly tenantCode: string;
  readonly classification: string;
  readonly scope: string;
}

export interface WarehousePlan {
  readonly env: EnvironmentConfig;
  readonly names: EnvironmentNames;
  readonly production: boolean;
  readonly prefix: string;
  readonly database: string;
  readonly schemas: { readonly raw: string; readonly analytics: string; readonly governance: string };
  readonly warehouses: { readonly load: string; readonly query: string };
  readonly roles: {
    readonly loader: string;
    readonly governor: string;
    readonly view: string;
    readonly read: string;
    readonly developer: string;
    readonly admin: string;
  };
  /** Access levels some group holds in this environment, in privilege order. */
  readonly levelsInUse: ReadonlyArray<Exclude<AccessLevel, 'none'>>;
  readonly groups: readonly GroupRolePlan[];
  readonly serviceUsers: readonly ServiceUserPlan[];
  readonly networkRules: readonly NetworkRulePlan[];
  readonly peoplePolicy: NetworkPolicyPlan;
  /** IPv6 allow-list entries: Snowflake network rules of type IPV4 cannot hold them. */
  readonly skippedIpv6: readonly string[];
  /** Entries of kinds that serve SSH only (vpn, admin): never in a Snowflake network rule. */
  readonly sshOnly: ReadonlyArray<{ readonly cidr: string; readonly kind: AllowListKind }>;
  /** secrets[] entries shaped like a service key but not mapped to a service user. */
  readonly unmappedKeySecrets: readonly string[];
  readonly integration: {
    readonly name: string;
    readonly roleArn: string;
    readonly externalId: string;
    readonly snowflakeUserArn: string;
    readonly allowedLocations: readonly string[];
  };
  readonly sso: { readonly name: string };
  readonly tenantAccess: readonly TenantAccessRow[];
  readonly classifications: readonly ClassificationRow[];
  readonly tenants: ReadonlyArray<{ readonly code: string; readonly name: string }>;
}

/** Options for building the plan. */
export interface WarehousePlanOptions {
  /** Warehouse access options (the future `warehouseAccess` config section); defaults derived from the config. */
  readonly access?: WarehouseAccessInput;
  /** Date expiry is judged against (YYYY-MM-DD); default today (UTC). */
  readonly today?: string;
  /** File name used in error messages. */
  readonly source?: string;
}

function awsPartition(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** `arn:aws:iam::<account>:role/<names.warehouseRole>`: the role the storage integration assumes. */
export function warehouseRoleArn(config: BaselineConfig, env: EnvironmentConfig): string {
  return `arn:${awsPartition(env.region)}:iam::${env.account}:role/${environmentNames(config, env).warehouseRole}`;
}

/**
 * STORAGE_ALLOWED_LOCATIONS: one `tenant_code=<code>/` prefix of the lake per
 * tenant, exactly the prefixes the DataLake construct grants the warehouse
 * integration role (`arn:aws:s3:::<lakeBucket>/tenant_code=<code>/*`).
 */
export function storageAllowedLocations(config: BaselineConfig, env: EnvironmentConfig): string[] {
  const { lakeBucket } = environmentNames(config, env);
  return config.tenants.map((tenant) => `s3://${lakeBucket}/tenant_code=${tenant.code}/`);
}

/** The S3 object ARN pattern an allowed location corresponds to on the IAM side. */
export function locationToObjectArn(location: string, partition = 'aws'): string {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  if (!match) throw new Error(`"${location}" is not an s3:// location`);
  return `arn:${partition}:s3:::${match[1]}/${match[2]}*`;
}

/** `riverside-prod` → `RIVERSIDE_PROD`. */
function identifierFrom(text: string): string {
  return text.toUpperCase().replace(/-/g, '_');
}

/** Parses the warehouse options, reporting problems under `warehouseAccess.`. */
export function parseWarehouseAccess(input: unknown, source: string): WarehouseAccess {
  const result = warehouseAccessSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue: z.core.$ZodIssue) => ({
      path: formatPath([ACCESS_PATH, ...issue.path]),
      message: issue.message,
    })),
  );
}

/**
 * Everything the script creates for one environment, checked against the
 * config. Throws ConfigError listing every problem, so nothing is written for
 * an input that would produce a weaker script.
 */
export function planWarehouse(config: BaselineConfig, envName: string, options: WarehousePlanOptions = {}): WarehousePlan {
  const source = options.source ?? 'config';
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const env = config.environments.find((e) => e.name === envName);
  if (!env) {
    throw new ConfigError(source, [
      { path: '--env', message: `"${envName}" is not an environment; the config defines: ${config.environments.map((e) => e.name).join(', ')}` },
    ]);
  }
  const access = parseWarehouseAccess(options.access, source);
  const issues: ConfigIssue[] = [];
  const names = environmentNames(config, env);
  const prefix = identifierFrom(names.prefix);
  const tenantCodes = config.tenants.map((t) => t.code);
  const tenantSet = new Set(tenantCodes);

  config.tenants.forEach((tenant, i) => {
    // The schema enforces this; checked again because codes reach S3 paths and SQL.
    if (!TENANT_CODE_PATTERN.test(tenant.code)) {
      issues.push({ path: `tenants[${i}].code`, message: 'must match ^[a-z0-9_]{1,32}$ (lowercase letters, digits and underscores)' });
    }
  });

  const checkTenants = (list: readonly string[] | undefined, path: string): string[] => {
    if (!list) return tenantCodes;
    list.forEach((code, j) => {
      if (!tenantSet.has(code)) issues.push({ path: `${path}[${j}]`, message: `"${code}" is not a tenant; use one of: ${tenantCodes.join(', ')}` });
    });
    const seen = new Set<string>();
    list.forEach((code, j) => {
      if (seen.has(code)) issues.push({ path: `${path}[${j}]`, message: `lists "${code}" twice` });
      seen.add(code);
    });
    return tenantCodes.filter((code) => list.includes(code));
  };

  // Network rules: every allow-list entry that applies to this environment.
  const entries = allowListFor(config, env);
  const networkRules: NetworkRulePlan[] = [];
  const skippedIpv6: string[] = [];
  const sshOnly: Array<{ cidr: string; kind: AllowListKind }> = [];
  config.allowList.forEach((entry, i) => {
    if (!entries.includes(entry)) return;
    const path = `allowList[${i}]`;
    if (!SNOWFLAKE_NETWORK_KINDS.includes(entry.kind)) {
      sshOnly.push({ cidr: entry.cidr, kind: entry.kind });
      return;
    }
    if (entry.kind === 'contractor' && !entry.expires) {
      issues.push({ path: `${path}.expires`, message: 'is required for contractor entries (NET-2); set the last day of the contract' });
    }
    if (entry.expires && entry.expires < today) {
      issues.push({
        path: `${path}.expires`,
        message: `${entry.expires} has passed (today is ${today}) (NET-2); remove the entry, or extend it if the relationship has been renewed`,
      });
    }
    const parsed = parseCidr(entry.cidr);
    if ('error' in parsed) {
      issues.push({ path: `${path}.cidr`, message: parsed.error });
      return;
    }
    if (parsed.version === 6) {
      skippedIpv6.push(parsed.cidr);
      return;
    }
    const reserved = nonPublicRangeOf(parsed);
    if (reserved) {
      // Snowflake sees the public address a connection leaves from; a private or reserved range admits nobody.
      issues.push({
        path: `${path}.cidr`,
        message:
          `${parsed.cidr} overlaps ${reserved.cidr}, ${reserved.name}, which is never a source address Snowflake sees; ` +
          `list the public address the ${entry.kind} network's traffic leaves from (its NAT or firewall egress address)`,
      });
      return;
    }
    const name = `NET_${entry.kind.toUpperCase()}_${parsed.cidr.replace(/[./]/g, '_')}`;
    if (networkRules.some((r) => r.name === name)) return;
    const expiry = entry.expires ? ` Expires ${entry.expires}.` : '';
    networkRules.push({
      name,
      kind: entry.kind,
      cidr: parsed.cidr,
      comment: `${entry.owner}: ${entry.purpose}.${expiry}`,
      expires: entry.expires,
      placeholder: isDocumentationRange(parsed),
    });
  });
  const policyFor = (name: string, kinds: readonly AllowListKind[]): NetworkPolicyPlan => ({
    name,
    kinds,
    rules: networkRules.filter((r) => kinds.includes(r.kind)).map((r) => r.name),
  });
  const peoplePolicy = policyFor(`${prefix}_PEOPLE_NETWORK`, PEOPLE_NETWORK_KINDS);
  const lastsForever = (policy: NetworkPolicyPlan): boolean =>
    policy.rules.some((rule) => networkRules.find((r) => r.name === rule)?.expires === undefined);
  if (peoplePolicy.rules.length > 0 && !lastsForever(peoplePolicy)) {
    // The expiry task removes expired rules; a policy left with none would no longer restrict anyone.
    issues.push({
      path: 'allowList',
      message: `every ${PEOPLE_NETWORK_KINDS.join('/')} entry for environment "${env.name}" expires, so the account network policy would be left empty when the last one does (NET-1); add a non-expiring agency or BI network`,
    });
  }
  if (peoplePolicy.rules.length === 0) {
    // A network policy that allows nothing is not created, and none at all would admit every address.
    issues.push({
      path: 'allowList',
      message: `has no IPv4 entry of kind ${PEOPLE_NETWORK_KINDS.join(', ')} for environment "${env.name}"; the warehouse's account network policy would otherwise admit every address (NET-1)`,
    });
  }

  const roles = {
    loader: `${prefix}_LOADER`,
    governor: `${prefix}_GOVERNOR`,
    view: `${prefix}_VIEW`,
    read: `${prefix}_READ`,
    developer: `${prefix}_DEVELOPER`,
    admin: `${prefix}_ADMIN`,
  };
  const accessRoleOf: Record<Exclude<AccessLevel, 'none'>, string> = roles;

  // People groups.
  const restrictions = new Map<string, { tenants: string[]; expires?: string; index: number }>();
  access.groupTenants.forEach((entry, i) => {
    const path = `${ACCESS_PATH}.groupTenants[${i}]`;
    if (!config.people.some((p) => p.name === entry.group)) {
      issues.push({ path: `${path}.group`, message: `"${entry.group}" is not a people group; use one of: ${config.people.map((p) => p.name).join(', ')}` });
    }
    if (restrictions.has(entry.group)) {
      issues.push({ path: `${path}.group`, message: `"${entry.group}" is already listed; merge the two entries` });
    }
    if (entry.expires && entry.expires < today) {
      issues.push({
        path: `${path}.expires`,
        message: `${entry.expires} has passed (today is ${today}); access must end with the relationship (Ed-Fi AMT Row-Level Security Collection): remove the entry or extend it`,
      });
    }
    restrictions.set(entry.group, { tenants: checkTenants(entry.tenants, `${path}.tenants`), expires: entry.expires, index: i });
  });

  const groups: GroupRolePlan[] = [];
  config.people.forEach((group, i) => {
    const level = group.access[env.name] ?? 'none';
    if (level === 'none') return;
    if (env.production && WRITE_ACCESS_LEVELS.includes(level)) {
      issues.push({
        path: `people[${i}].access.${env.name}`,
        message: `"${level}" is not allowed in production environment "${env.name}" (IAM-4: people never write to production data); use read or view`,
      });
      return;
    }
    const restriction = restrictions.get(group.name);
    const readsRows = ROW_READING_LEVELS.includes(level);
    groups.push({
      group: group.name,
      role: `${prefix}_GROUP_${identifierFrom(group.name)}`,
      level,
      accessRole: accessRoleOf[level],
      tenants: readsRows ? (restriction?.tenants ?? tenantCodes) : [],
      expires: readsRows ? restriction?.expires : undefined,
    });
  });
  const levelOrder: ReadonlyArray<Exclude<AccessLevel, 'none'>> = ['view', 'read', 'developer', 'admin'];
  const used = new Set(groups.map((g) => g.level));
  // Developer and admin build on read; the read role exists whenever they do.
  if (used.has('admin')) used.add('developer');
  if (used.has('developer')) used.add('read');
  const levelsInUse = levelOrder.filter((level) => used.has(level));

  // Service users.
  const secretNames = new Set(config.secrets.map((s) => s.name));
  const configuredUsers: ServiceUserInput[] =
    access.serviceUsers ??
    (secretNames.has(privateKeySecretName('loader'))
      ? [{ name: 'loader', privateKeySecret: privateKeySecretName('loader'), access: 'loader', networkKinds: ['orchestration'] }]
      : []);
  const root = parameterRoot(config, env);
  const declared = new Set(declaredSecrets(config, env).map((s) => s.name));
  const serviceUsers: ServiceUserPlan[] = [];
  configuredUsers.forEach((user, i) => {
    const path = access.serviceUsers ? `${ACCESS_PATH}.serviceUsers[${i}]` : 'secrets';
    const parameter = `${root}/${user.privateKeySecret}`;
    if (!declared.has(parameter)) {
      issues.push({
        path: access.serviceUsers ? `${path}.privateKeySecret` : path,
        message: `"${user.privateKeySecret}" is not in secrets[]; declare it so the stacks, the secrets CLI and this script agree on ${parameter}`,
      });
    }
    if (serviceUsers.some((u) => u.name === user.name)) {
      issues.push({ path: `${path}.name`, message: `"${user.name}" is already a service user; give each a distinct name` });
    }
    const kinds = [...new Set(user.networkKinds)];
    const policy = policyFor(`${prefix}_SVC_${identifierFrom(user.name)}_NETWORK`, kinds);
    if (policy.rules.length > 0 && !lastsForever(policy)) {
      issues.push({
        path: access.serviceUsers ? `${path}.networkKinds` : 'allowList',
        message: `every allow-list entry of kind ${kinds.join(', ')} for environment "${env.name}" expires, so service user "${user.name}"'s network policy would be left empty (NET-1); add a non-expiring entry`,
      });
    }
    if (policy.rules.length === 0) {
      issues.push({
        path: access.serviceUsers ? `${path}.networkKinds` : 'allowList',
        message: `no IPv4 allow-list entry of kind ${kinds.join(', ')} applies to environment "${env.name}", so service user "${user.name}" could not connect (and an empty network policy would admit every address)`,
      });
    }
    const userName = `${prefix}_SVC_${identifierFrom(user.name)}`;
    serviceUsers.push({
      name: user.name,
      user: userName,
      role: user.access === 'loader' ? roles.loader : userName,
      access: user.access,
      privateKeyParameter: parameter,
      publicKeyPlaceholder: `${user.name}_rsa_public_key`,
      networkPolicy: policy,
      tenants: checkTenants(user.tenants, `${path}.tenants`),
    });
  });
  if (!serviceUsers.some((u) => u.access === 'loader')) {
    issues.push({
      path: access.serviceUsers ? `${ACCESS_PATH}.serviceUsers` : 'secrets',
      message: `needs a loader service user for the orchestration service: declare secrets entry ${privateKeySecretName('loader')} (key-pair authentication)`,
    });
  }
  const mapped = new Set(configuredUsers.map((u) => u.privateKeySecret));
  const unmappedKeySecrets = config.secrets
    .map((s) => s.name)
    .filter((name) => /^snowflake\/[a-z0-9_-]+-private-key$/.test(name) && !mapped.has(name));

  // Staff classification → scope.
  const classifications: ClassificationRow[] = [];
  const seenClassification = new Map<string, number>();
  access.staffClassificationScopes.forEach((entry, i) => {
    const path = `${ACCESS_PATH}.staffClassificationScopes[${i}]`;
    const tenants = checkTenants(entry.tenants, `${path}.tenants`);
    for (const code of tenants) {
      const key = `${code}\u0000${entry.classification}`;
      const first = seenClassification.get(key);
      if (first !== undefined && first !== i) {
        issues.push({
          path: `${path}.classification`,
          message: `"${entry.classification}" is already mapped for tenant ${code} by staffClassificationScopes[${first}]; a classification has one scope per tenant`,
        });
        continue;
      }
      seenClassification.set(key, i);
      if (entry.scope !== 'none') {
        classifications.push({ tenantCode: code, classification: entry.classification, scope: AUTHORIZATION_SCOPE_CONSTANTS[entry.scope] });
      }
    }
  });

  // Tenant mapping: the loader sees every tenant (it builds the tables), people and readers as configured.
  const tenantAccess: TenantAccessRow[] = [];
  for (const user of serviceUsers) {
    const tenants = user.access === 'loader' ? tenantCodes : user.tenants;
    for (const code of tenants) tenantAccess.push({ role: user.role, tenantCode: code });
  }
  for (const group of groups) {
    for (const code of group.tenants) tenantAccess.push({ role: group.role, tenantCode: code, expires: group.expires });
  }
  const seenRows = new Set<string>();
  const uniqueAccess = tenantAccess.filter((row) => {
    const key = `${row.role}/${row.tenantCode}`;
    if (seenRows.has(key)) return false;
    seenRows.add(key);
    return true;
  });

  const plan: WarehousePlan = {
    env,
    names,
    production: env.production,
    prefix,
    database: prefix,
    schemas: { raw: 'RAW', analytics: 'ANALYTICS', governance: 'GOVERNANCE' },
    warehouses: { load: `${prefix}_LOAD_WH`, query: `${prefix}_QUERY_WH` },
    roles,
    levelsInUse,
    groups,
    serviceUsers,
    networkRules,
    peoplePolicy,
    skippedIpv6,
    sshOnly,
    unmappedKeySecrets,
    integration: {
      name: `${prefix}_LAKE`,
      roleArn: warehouseRoleArn(config, env),
      externalId: env.warehouse.externalId,
      snowflakeUserArn: env.warehouse.snowflakeUserArn,
      allowedLocations: storageAllowedLocations(config, env),
    },
    sso: { name: `${prefix}_SSO` },
    tenantAccess: uniqueAccess,
    classifications,
    tenants: config.tenants.map((t) => ({ code: t.code, name: t.name })),
  };

  checkIdentifiers(plan, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return plan;
}

/** Every generated name must be a plain identifier, and two config names must not collapse into one. */
function checkIdentifiers(plan: WarehousePlan, issues: ConfigIssue[]): void {
  const all: Array<[string, string]> = [
    ['database', plan.database],
    ...Object.entries(plan.warehouses),
    ...Object.entries(plan.roles),
    ...plan.groups.map((g): [string, string] => [`group ${g.group}`, g.role]),
    ...plan.serviceUsers.map((u): [string, string] => [`service user ${u.name}`, u.user]),
    ...plan.networkRules.map((r): [string, string] => [`network rule ${r.cidr}`, r.name]),
    [`integration`, plan.integration.name],
  ];
  for (const [what, name] of all) {
    if (!isGeneratedIdentifier(name)) {
      issues.push({ path: 'deployment.name', message: `produces the Snowflake name "${name}" for ${what}, which is not a plain identifier` });
    }
  }
  const roleOwners = new Map<string, string>();
  const roleNames: Array<[string, string]> = [
    ...Object.entries(plan.roles).map(([k, v]): [string, string] => [`the ${k} role`, v]),
    ...plan.groups.map((g): [string, string] => [`people group "${g.group}"`, g.role]),
    ...plan.serviceUsers.filter((u) => u.access === 'read').map((u): [string, string] => [`service user "${u.name}"`, u.role]),
  ];
  for (const [owner, role] of roleNames) {
    const other = roleOwners.get(role);
    if (other) issues.push({ path: 'people', message: `${owner} and ${other} would both use the Snowflake role ${role}; rename one` });
    else roleOwners.set(role, owner);
  }
}

/**
 * The warehouseAccess problems `edu-baseline warehouse` would refuse for any
 * environment (unknown tenant or group, expired grant, undeclared key
 * secret, ...), for synth and `validate` to report with the rest of the
 * config, so a reference the warehouse command refuses never passes synth.
 * Empty when the config has no warehouseAccess section.
 */
export function warehouseConfigIssues(config: BaselineConfig, options: { today?: string } = {}): ConfigIssue[] {
  if (config.warehouseAccess === undefined) return [];
  const found = new Map<string, ConfigIssue>();
  for (const env of config.environments) {
    try {
      planWarehouse(config, env.name, { access: config.warehouseAccess, today: options.today });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const issue of err.issues) {
        if (issue.path.startsWith(ACCESS_PATH)) found.set(`${issue.path}\n${issue.message}`, issue);
      }
    }
  }
  return [...found.values()];
}
