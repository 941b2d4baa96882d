import { parseCidr, ParsedCidr } from './cidr';
import { ConfigIssue } from './errors';
import { BaselineConfig, WRITE_ACCESS_LEVELS } from './schema';

/** Options for the checks that depend on the world outside the file. */
export interface ValidateOptions {
  /** The date allow-list expiry is judged against (YYYY-MM-DD); default today (UTC). */
  readonly today?: string;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): Array<{ index: number; first: number; value: string }> {
  const seen = new Map<string, number>();
  const found: Array<{ index: number; first: number; value: string }> = [];
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else found.push({ index, first, value });
  });
  return found;
}

/**
 * Cross-field rules: references between sections, uniqueness, expiry and the
 * production access ceiling. Returns every issue rather than the first, so a
 * user fixes a file in one pass.
 */
export function validateConfig(config: BaselineConfig, options: ValidateOptions = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const envNames = new Set(config.environments.map((e) => e.name));
  const tenantCodes = new Set(config.tenants.map((t) => t.code));
  const production = new Set(config.environments.filter((e) => e.production).map((e) => e.name));

  for (const d of duplicates(config.environments, (e) => e.name)) {
    issues.push({ path: `environments[${d.index}].name`, message: `duplicates environments[${d.first}].name "${d.value}"; each environment needs its own name` });
  }
  for (const d of duplicates(config.environments, (e) => `${e.account}/${e.region}`)) {
    issues.push({
      path: `environments[${d.index}].account`,
      message: `shares account and region with environments[${d.first}] (ENV-1); give each environment its own account or at least its own region`,
    });
  }
  config.environments.forEach((env, i) => {
    (env.availabilityZones ?? []).forEach((zone, j) => {
      if (!zone.startsWith(env.region)) {
        issues.push({ path: `environments[${i}].availabilityZones[${j}]`, message: `"${zone}" is not in the environment's region ${env.region}; use zones such as ${env.region}a` });
      }
    });
    const breakGlassAccount = env.breakGlassRoleArn?.split(':')[4];
    if (breakGlassAccount !== undefined && breakGlassAccount !== env.account) {
      issues.push({
        path: `environments[${i}].breakGlassRoleArn`,
        message: `names account ${breakGlassAccount}, not the environment's account ${env.account} (DATA-4, ENV-1); use a role of ${env.account}, e.g. arn:aws:iam::${env.account}:role/break-glass`,
      });
    }
  });
  for (const d of duplicates(config.tenants, (t) => t.code)) {
    issues.push({ path: `tenants[${d.index}].code`, message: `duplicates tenants[${d.first}].code "${d.value}"; tenant codes must be unique (TENANT-1)` });
  }
  for (const d of duplicates(config.people, (p) => p.name)) {
    issues.push({ path: `people[${d.index}].name`, message: `duplicates people[${d.first}].name "${d.value}"; give each group a distinct name` });
  }
  for (const d of duplicates(config.secrets, (s) => s.name)) {
    issues.push({ path: `secrets[${d.index}].name`, message: `duplicates secrets[${d.first}].name "${d.value}"; each secret needs its own parameter name` });
  }
  config.secrets.forEach((secret, i) => {
    const first = secret.name.split('/')[0];
    if (tenantCodes.has(first)) {
      issues.push({
        path: `secrets[${i}].name`,
        message: `starts with the tenant code "${first}", which is reserved for that tenant's Ed-Fi credentials; choose another first path segment`,
      });
    }
  });

  const parsed: Array<ParsedCidr | undefined> = config.allowList.map((entry) => {
    const p = parseCidr(entry.cidr);
    return 'error' in p ? undefined : p;
  });
  config.allowList.forEach((entry, i) => {
    const path = `allowList[${i}]`;
    if (entry.kind === 'contractor' && !entry.expires) {
      issues.push({ path: `${path}.expires`, message: 'is required for contractor entries (NET-2); set the last day of the contract, e.g. 2027-06-30' });
    }
    if (entry.expires && entry.expires < today) {
      issues.push({
        path: `${path}.expires`,
        message: `${entry.expires} has passed (today is ${today}) (NET-2); remove the entry, or extend it if the relationship has been renewed`,
      });
    }
    if (entry.tenant !== undefined && !tenantCodes.has(entry.tenant)) {
      issues.push({ path: `${path}.tenant`, message: `"${entry.tenant}" is not a tenant; use one of: ${[...tenantCodes].join(', ')}` });
    }
    (entry.environments ?? []).forEach((env, j) => {
      if (!envNames.has(env)) {
        issues.push({ path: `${path}.environments[${j}]`, message: `"${env}" is not an environment; use one of: ${[...envNames].join(', ')}` });
      }
    });
    const mine = parsed[i];
    if (!mine) return;
    for (let j = 0; j < i; j++) {
      const other = parsed[j];
      if (other && other.cidr === mine.cidr && config.allowList[j].kind === entry.kind) {
        issues.push({ path: `${path}.cidr`, message: `${entry.cidr} is already listed as allowList[${j}] with kind ${entry.kind}; merge the two entries` });
      }
    }
  });

  config.people.forEach((group, i) => {
    for (const [env, level] of Object.entries(group.access)) {
      const path = `people[${i}].access.${env}`;
      if (!envNames.has(env)) {
        issues.push({ path, message: `"${env}" is not an environment; use one of: ${[...envNames].join(', ')}` });
      } else if (production.has(env) && WRITE_ACCESS_LEVELS.includes(level)) {
        issues.push({
          path,
          message: `"${level}" is not allowed in production environment "${env}" (IAM-4: people never write to production data); use read or view, and let changes reach production through the deploy pipeline`,
        });
      }
    }
  });

  return issues;
}
