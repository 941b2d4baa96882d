import { isoToday } from '../../constructs/conventions';
import { customIdentifierRegexProblems } from '../../constructs/sanitized-log-group';
import { cidrsOverlap, MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST, parseCidr, ParsedCidr, prefixListsFor } from '../../constructs/conventions';
import { allowListFor, physicalNames, prefixListCapacityFor } from './derived';
import { NAME_LIMITS, nameProblems } from './name-limits';
import { vpcCidrProblem } from './network';
import { arnPartition, partitionOf } from './regions';
import { ruleIdProblem } from '../policy/rule-sets';
import { ConfigIssue } from './errors';
import { ADMIN_NETWORK_KINDS, ALLOW_LIST_KINDS, BaselineConfig, EnvironmentConfig, WRITE_ACCESS_LEVELS } from './schema';

/** Name of the stage (and `cdk deploy 'identity/*'` pattern) that holds the Identity Center resources (DEPLOY-3). */
export const IDENTITY_STAGE_NAME = 'identity';

/** Options for the checks that depend on the world outside the file. */
export interface ValidateOptions {
  /** The date allow-list expiry is judged against (YYYY-MM-DD); default today (UTC). */
  readonly today?: string;
  /**
   * Further whole-config checks run with the cross-field ones, e.g. the
   * warehouse's (lib/warehouse/plan.ts `warehouseConfigIssues`), passed in by
   * the synth entry and `validate` so lib/config imports nothing above it.
   */
  readonly checks?: ReadonlyArray<(config: BaselineConfig, options: { today?: string }) => ConfigIssue[]>;
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
 * Entries of one kind that share addresses (each kind is one set of prefix
 * lists: an overlap admits an address twice, with two owners and two expiry
 * dates). A sweep over the entries sorted by first address, so a large list
 * costs n log n, not n².
 */
function overlapsWithinKind(config: BaselineConfig, parsed: ReadonlyArray<ParsedCidr | undefined>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const groups = new Map<string, number[]>();
  parsed.forEach((p, i) => {
    if (!p) return;
    const key = `${config.allowList[i].kind}/${p.version}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  for (const indexes of groups.values()) {
    // Wider first at equal start, then file order: the earlier or wider entry is the one named.
    const sorted = [...indexes].sort((a, b) => {
      const x = parsed[a]!;
      const y = parsed[b]!;
      return x.network < y.network ? -1 : x.network > y.network ? 1 : x.prefixLength - y.prefixLength || a - b;
    });
    let holder: number | undefined;
    for (const i of sorted) {
      const mine = parsed[i]!;
      if (holder !== undefined && cidrsOverlap(parsed[holder]!, mine)) {
        const [first, second] = holder < i ? [holder, i] : [i, holder];
        const a = config.allowList[first];
        const b = config.allowList[second];
        issues.push({
          path: `allowList[${second}].cidr`,
          message:
            parsed[first]!.cidr === parsed[second]!.cidr
              ? `${b.cidr} is already listed as allowList[${first}] with kind ${b.kind}; merge the two entries`
              : `${b.cidr} overlaps allowList[${first}] (${a.cidr}) of the same kind ${b.kind}; merge them or make them disjoint, so each address has one owner and one expiry`,
        });
        continue;
      }
      holder = i;
    }
  }
  return issues.sort((x, y) => x.path.localeCompare(y.path, 'en', { numeric: true }));
}

/**
 * Cross-field rules: references between sections, uniqueness, expiry and the
 * production access ceiling. Returns every issue rather than the first, so a
 * user fixes a file in one pass.
 */
export function validateConfig(config: BaselineConfig, options: ValidateOptions = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const today = options.today ?? isoToday();
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
    const vpc = parseCidr(env.vpcCidr);
    const vpcProblem = 'error' in vpc ? undefined : vpcCidrProblem(vpc, env.vpcCidr, env.availabilityZones?.length ?? 2, env.egressFirewall !== undefined);
    if (vpcProblem) issues.push({ path: `environments[${i}].vpcCidr`, message: vpcProblem });
    // An IAM principal of one partition cannot be trusted by a role in another (GovCloud and China are separate partitions).
    const partition = partitionOf(env.region);
    const userPartition = env.warehouse ? arnPartition(env.warehouse.snowflakeUserArn) : undefined;
    if (partition && userPartition && userPartition !== partition) {
      issues.push({
        path: `environments[${i}].warehouse.snowflakeUserArn`,
        message: `is in partition ${userPartition}, but region ${env.region} is in partition ${partition}; a role there can only trust an arn:${partition}: principal`,
      });
    }
    (env.availabilityZones ?? []).forEach((zone, j) => {
      if (!zone.startsWith(env.region)) {
        issues.push({ path: `environments[${i}].availabilityZones[${j}]`, message: `"${zone}" is not in the environment's region ${env.region}; use zones such as ${env.region}a` });
      }
    });
    for (const d of duplicates(env.egressFirewall?.allowedDomains ?? [], (domain) => domain)) {
      issues.push({
        path: `environments[${i}].egressFirewall.allowedDomains[${d.index}]`,
        message: `duplicates allowedDomains[${d.first}] "${d.value}"; list each domain once`,
      });
    }
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
  });
  issues.push(...overlapsWithinKind(config, parsed));

  // DEPLOY-3: the identity stage is named `identity`, next to one stage per environment.
  config.environments.forEach((env, i) => {
    if (env.name === IDENTITY_STAGE_NAME) {
      issues.push({ path: `environments[${i}].name`, message: `"${IDENTITY_STAGE_NAME}" is reserved for the stage that holds the Identity Center resources (DEPLOY-3); rename the environment` });
    }
    if (env.account === config.identity.account) {
      issues.push({
        path: 'identity.account',
        message:
          `is also the account of environments[${i}] "${env.name}" (DEPLOY-3, ENV-1): whoever administers that workload account would administer ` +
          "every environment's people; use the organization's management account or a delegated administrator that runs no workload",
      });
    }
  });

  issues.push(...quotaIssues(config));

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

  issues.push(...nameIssues(config));
  issues.push(...exceptionIssues(config, today));

  if (config.deployment.studentIdPattern !== undefined) {
    for (const problem of customIdentifierRegexProblems(config.deployment.studentIdPattern)) {
      issues.push({
        path: 'deployment.studentIdPattern',
        message: `${problem} (LOG-2: CloudWatch Logs custom data identifiers, docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL-custom-data-identifiers.html); write the format with character classes and counts only, e.g. S[0-9]{8}`,
      });
    }
  }

  for (const check of options.checks ?? []) issues.push(...check(config, { today: options.today }));
  return issues;
}

/** The day one year after `today` (YYYY-MM-DD), the furthest an exception may run. */
function oneYearAfter(today: string): string {
  return `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
}

/**
 * EXC-1: each exception names a rule the gate can print, a construct path below
 * an environment's (or the identity) stage and not a whole stack, and an
 * expiry from today to at most a year ahead; no two name the same rule and resource.
 */
function exceptionIssues(config: BaselineConfig, today: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stages = [...config.environments.map((e) => e.name), IDENTITY_STAGE_NAME];
  const latest = oneYearAfter(today);
  config.exceptions.forEach((entry, i) => {
    const path = `exceptions[${i}]`;
    const ruleProblem = ruleIdProblem(entry.rule);
    if (ruleProblem) issues.push({ path: `${path}.rule`, message: `${ruleProblem}; copy the ID the gate prints after ERROR` });
    const segments = entry.resource.split('/');
    const subtree = entry.resource.endsWith('/*');
    const below = subtree ? segments.slice(1, -1) : segments.slice(1);
    if (!stages.includes(segments[0])) {
      issues.push({
        path: `${path}.resource`,
        message: `"${entry.resource}" does not start with a stage (${stages.join(', ')}); copy the construct path the gate prints after "at", e.g. ${stages[0]}/Data/Lake/Bucket/Resource`,
      });
    } else if (below.some((s) => s === '' || s.includes('*'))) {
      issues.push({ path: `${path}.resource`, message: `"${entry.resource}" may hold a wildcard only as a final '/*' (a subtree); name the resource, e.g. ${segments[0]}/Data/Lake/Bucket/Resource` });
    } else if (below.length < 2) {
      issues.push({ path: `${path}.resource`, message: `"${entry.resource}" names a whole stack or stage; an exception covers one resource or a subtree below a stack, e.g. ${segments[0]}/Data/Lake/Bucket/Resource` });
    }
    if (entry.expires < today) {
      issues.push({ path: `${path}.expires`, message: `exception ${entry.rule} at ${entry.resource} expired on ${entry.expires} (today is ${today}) (EXC-1); fix the finding and remove the exception, or renew it with a new expiry and ticket` });
    } else if (entry.expires > latest) {
      issues.push({ path: `${path}.expires`, message: `${entry.expires} is more than a year ahead (EXC-1); accept the risk until ${latest} at the latest and review it then` });
    }
  });
  for (const d of duplicates(config.exceptions, (e) => `${e.rule} ${e.resource}`)) {
    issues.push({ path: `exceptions[${d.index}]`, message: `accepts the same rule at the same resource as exceptions[${d.first}]; keep one record` });
  }
  return issues;
}

/**
 * DEPLOY-4, per environment: every prefix list keeps headroom (entries below
 * its MaxEntries, so adding an entry never resizes the list in the same
 * update: ModifyManagedPrefixList "cannot modify the entries of a prefix list
 * and modify the size of a prefix list at the same time", EC2 API Reference),
 * and the orchestration security group's SSH rules fit the rule quota. A rule
 * that references a prefix list counts as the list's MaxEntries rules
 * (Amazon VPC User Guide, "Amazon VPC quotas": "if you create a prefix list
 * with 20 maximum entries and you reference that prefix list in a security
 * group rule, this counts as 20 security group rules"). The network stack
 * admits SSH from one list per administrator kind and IP version, so that
 * group's inbound weight is the sum of those lists' capacities; both IP
 * versions are counted together, the cautious reading of the quota.
 */
function quotaIssues(config: BaselineConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const quota = config.deployment.securityGroupRuleQuota;
  const capacityPath = (kind: string): string =>
    typeof config.deployment.prefixListCapacity === 'number' || config.deployment.prefixListCapacity[kind as keyof typeof config.deployment.prefixListCapacity] === undefined
      ? 'deployment.prefixListCapacity'
      : `deployment.prefixListCapacity.${kind}`;
  for (const env of config.environments) {
    const entries = allowListFor(config, env);
    const familyOf = (cidr: string): 4 | 6 | undefined => {
      const parsed = parseCidr(cidr);
      return 'error' in parsed ? undefined : parsed.version;
    };
    let sshWeight = 0;
    const sshLists: string[] = [];
    for (const kind of ALLOW_LIST_KINDS) {
      const capacity = prefixListCapacityFor(config, kind);
      for (const family of [4, 6] as const) {
        const count = entries.filter((e) => e.kind === kind && familyOf(e.cidr) === family).length;
        if (count === 0) continue;
        // A list carries at most 100 entries in a template; more of one kind become further lists (AllowList).
        const lists = prefixListsFor(count);
        const fullest = Math.min(count, MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST);
        if (fullest >= capacity) {
          issues.push({
            path: capacityPath(kind),
            message:
              `is ${capacity}, but environment "${env.name}" has ${count} ${kind} IPv${family} entries; a prefix list needs room for one more ` +
              `entry than it holds (DEPLOY-4: AWS cannot change a list's entries and its MaxEntries in one update). Raise the capacity for ${kind} ` +
              `above ${fullest} and deploy that change on its own before adding entries, or remove entries`,
          });
        }
        if (ADMIN_NETWORK_KINDS.includes(kind)) {
          sshWeight += capacity * lists;
          sshLists.push(lists === 1 ? `${kind} IPv${family} (${capacity})` : `${lists} ${kind} IPv${family} lists (${lists} x ${capacity})`);
        }
      }
    }
    if (sshWeight > quota) {
      issues.push({
        path: 'deployment.securityGroupRuleQuota',
        message:
          `is ${quota}, but the SSH rules of environment "${env.name}" weigh ${sshWeight} inbound rules: each rule that references a prefix ` +
          `list counts its MaxEntries against the "Inbound or outbound rules per security group" quota (${sshLists.join(' + ')}) (DEPLOY-4). ` +
          'Lower deployment.prefixListCapacity for vpn and admin, trim or merge those entries, or raise the quota with Service Quotas in ' +
          'every environment\'s account and region and then set deployment.securityGroupRuleQuota',
      });
    }
  }
  return issues;
}

/**
 * DEPLOY-4: every physical name the stacks derive (physicalNames) within AWS's
 * length and character limits, reported on the config field that makes it up.
 * A too-long name is blamed on its first source field with the length that
 * field may have (the other parts held as they are).
 */
function nameIssues(config: BaselineConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const environmentsOf = (env: EnvironmentConfig): string => `environment "${env.name}"`;
  for (const env of config.environments) {
    for (const physical of physicalNames(config, env)) {
      const limit = NAME_LIMITS[physical.kind];
      for (const problem of nameProblems(physical.kind, physical.name)) {
        const source = physical.sources[0];
        let message: string;
        if (problem.kind === 'length' && physical.name.length > limit.max) {
          const room = limit.max - (physical.name.length - source.value.length);
          const fix =
            room >= 1
              ? `use a value of at most ${room} characters`
              : `shorten ${physical.sources.slice(1).map((s) => s.path).join(' or ')} as well`;
          message = `"${source.value}" makes ${physical.describes} name "${physical.name}" (${environmentsOf(env)}) ${physical.name.length} characters long; AWS allows ${limit.max} (${limit.source}); ${fix}`;
        } else {
          message = `"${source.value}" makes ${physical.describes} name "${physical.name}" (${environmentsOf(env)}) invalid: the ${limit.label} ${problem.message} (${limit.source})`;
        }
        out.push({ path: source.path, message: `DEPLOY-4: ${message}` });
      }
    }
  }
  return out;
}
