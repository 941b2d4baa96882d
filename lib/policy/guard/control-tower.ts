import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { GuardRequest, startGuardRuns } from './process';
import { violationsFromGuardOutput } from './results';

/** Root of the Control Tower rules bundled with @cdklabs/cdk-validator-cfnguard. */
export function controlTowerRulesRoot(): string {
  return join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower');
}

/** The cfn-guard binary bundled with @cdklabs/cdk-validator-cfnguard for this platform, as the validator picks it. */
export function cfnGuardBinary(): string {
  const platform = process.platform === 'darwin' ? 'macos' : 'ubuntu';
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  return join(controlTowerRulesRoot(), '..', '..', 'bin', platform, arch, 'cfn-guard');
}

/** Control Tower control ID → its severity (CRITICAL/HIGH/MEDIUM/LOW) from the bundled metadata. */
export function controlTowerSeverities(services: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const service of services) {
    const dir = join(controlTowerRulesRoot(), 'metadata', service);
    for (const file of readdirSync(dir)) {
      const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Id?: string; Severity?: string };
      if (meta.Id && meta.Severity) result.set(meta.Id, meta.Severity);
    }
  }
  return result;
}

/** A cfn-guard rule file and the resource types it names (empty: unknown, so it runs on every template). */
export interface GuardRuleFile {
  readonly path: string;
  readonly resourceTypes: ReadonlySet<string>;
  /** sha256 of the file: part of the key of cached results. */
  readonly digest: string;
}

const ruleFileCache = new Map<string, GuardRuleFile[]>();

/** The `.guard` files under the given folders (sorted), with the resource types each one names. */
export function guardRuleFiles(dirs: readonly string[]): GuardRuleFile[] {
  return dirs.flatMap((dir) => {
    let files = ruleFileCache.get(dir);
    if (!files) {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.guard'))
        .sort()
        .map((f) => {
          const text = readFileSync(join(dir, f), 'utf8');
          return { path: join(dir, f), resourceTypes: namedResourceTypes(text), digest: sha256(text) };
        });
      ruleFileCache.set(dir, files);
    }
    return files;
  });
}

/** Resource type literals (`"AWS::S3::Bucket"`) outside comments. */
function namedResourceTypes(guard: string): Set<string> {
  const code = guard.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
  return new Set([...code.matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+)["']/g)].map((m) => m[1]));
}

/**
 * The rule files worth running over these templates: those naming a resource
 * type that at least one template holds, and those naming none.
 *
 * cfn-guard's time grows with rule files x template size (measured: 0.7 s
 * to parse the seven service folders, then 0.1-0.8 s per template), so a
 * rule that cannot apply is worth leaving out. Every bundled Control Tower rule names the resource types it
 * reports on and SKIPs a template without them (scenario 1 of each rule), and
 * SKIPs are not reported, so a rule none of whose types occur can only SKIP.
 */
export function applicableGuardRules(templateTypes: ReadonlySet<string>, rules: readonly GuardRuleFile[]): GuardRuleFile[] {
  return rules.filter((r) => r.resourceTypes.size === 0 || [...r.resourceTypes].some((t) => templateTypes.has(t)));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The validator package ships both the cfn-guard binary and the rules: its version names the evaluator. */
export const VALIDATOR_VERSION = (
  JSON.parse(readFileSync(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'), 'utf8')) as { version: string }
).version;

/**
 * cfn-guard's findings (`not_compliant`) per template, on disk and keyed by
 * what decides them: the template's bytes, the bytes of the rule files run on
 * it, and the validator release (binary and rules). A template that has not
 * changed since the last gated synth is not evaluated again; any change to
 * it, to a rule or to the release is a new key. Entries are written
 * atomically (temp file, then rename), so parallel synths can share a cache.
 * A hit refreshes the entry's time; the first write of a process removes
 * entries (and leftover temp files) unused for {@link GuardResultCache.MAX_AGE_DAYS} days,
 * so the folder holds what recent synths used, not every template ever seen.
 */
export class GuardResultCache {
  /** Entries unused for this long are removed. */
  public static readonly MAX_AGE_DAYS = 30;

  /**
   * The default cache: `$EDU_BASELINE_CACHE_DIR`, else
   * `node_modules/.cache/edu-security-baseline/control-tower` of the working
   * directory (`npm ci` removes it, so a clean CI checkout starts empty);
   * none if there is no node_modules there.
   */
  public static default(): GuardResultCache | undefined {
    const configured = process.env.EDU_BASELINE_CACHE_DIR;
    if (configured) return new GuardResultCache(join(resolve(configured), 'control-tower'));
    const modules = join(process.cwd(), 'node_modules');
    return existsSync(modules) ? new GuardResultCache(join(modules, '.cache', 'edu-security-baseline', 'control-tower')) : undefined;
  }

  private pruned = false;

  constructor(public readonly dir: string) {}

  public get(key: string): unknown {
    try {
      const file = this.file(key);
      const value = (JSON.parse(readFileSync(file, 'utf8')) as { notCompliant?: unknown }).notCompliant;
      if (value !== undefined) {
        const now = new Date();
        utimesSync(file, now, now);
      }
      return value;
    } catch {
      // Missing or unreadable: evaluate again.
      return undefined;
    }
  }

  public set(key: string, notCompliant: unknown): void {
    try {
      const file = this.file(key);
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, JSON.stringify({ notCompliant }));
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written only costs time.
    }
    if (!this.pruned) {
      this.pruned = true;
      this.prune();
    }
  }

  /** Removes entries and temp files not used for MAX_AGE_DAYS. */
  public prune(now: number = Date.now()): void {
    const oldest = now - GuardResultCache.MAX_AGE_DAYS * 24 * 60 * 60 * 1000;
    try {
      for (const sub of readdirSync(this.dir)) {
        for (const name of readdirSync(join(this.dir, sub))) {
          const file = join(this.dir, sub, name);
          if (statSync(file).mtimeMs < oldest) rmSync(file, { force: true });
        }
      }
    } catch {
      // Another process pruning at the same time, or no cache yet: nothing to do.
    }
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

/**
 * What one Control Tower evaluation needs: cfn-guard runs for the templates
 * without cached findings, grouped by the rule files that apply to each, and
 * the cached findings of the others.
 */
interface PlannedRun {
  readonly requests: GuardRequest[];
  /** Template path → cache key, for storing what cfn-guard finds. */
  readonly keys: ReadonlyMap<string, string>;
  /** Findings of unchanged templates, as cfn-guard reported them. */
  readonly cached: ReadonlyArray<{ readonly name: string; readonly not_compliant: unknown }>;
}

/**
 * Plans the Control Tower evaluation of some templates. Each template is
 * checked with the rule files that apply to IT (see
 * {@link applicableGuardRules}): cfn-guard's time grows with rules x
 * templates, and a template of IAM roles need not be run through the S3 and
 * EC2 rules. Templates with the same applicable rules share one cfn-guard
 * run, so each rule file is parsed once per group. (Splitting one group over
 * parallel processes was measured slower on two cores.)
 */
function planRun(templatePaths: readonly string[], rules: readonly GuardRuleFile[], cache: GuardResultCache | undefined): PlannedRun {
  const groups = new Map<string, { rules: string[]; templates: string[] }>();
  const keys = new Map<string, string>();
  const cached: Array<{ name: string; not_compliant: unknown }> = [];
  for (const path of templatePaths) {
    const text = readFileSync(path, 'utf8');
    const template = JSON.parse(text) as { Resources?: Record<string, { Type?: unknown }> };
    const types = new Set(Object.values(template.Resources ?? {}).map((r) => String(r.Type)));
    const applicable = applicableGuardRules(types, rules);
    if (applicable.length === 0) continue;
    const key = sha256([VALIDATOR_VERSION, ...applicable.map((r) => r.digest), text].join('\0'));
    const hit = cache?.get(key);
    if (hit !== undefined) {
      cached.push({ name: path, not_compliant: hit });
      continue;
    }
    keys.set(path, key);
    const ruleSet = applicable.map((r) => r.path);
    const group = groups.get(ruleSet.join('\0')) ?? { rules: ruleSet, templates: [] };
    group.templates.push(path);
    groups.set(ruleSet.join('\0'), group);
  }
  const guard = cfnGuardBinary();
  const requests = [...groups.values()].map((g) => ({ guard, rules: g.rules, templates: g.templates }));
  return { requests, keys, cached };
}

/** A Control Tower evaluation under way: {@link ControlTowerRun.report} waits for it. */
export interface ControlTowerRun {
  /** Every failing rule on the resources it names; a cfn-guard failure throws (the gate fails closed). */
  report(): PolicyValidationPluginReport;
}

/**
 * Starts evaluating the applicable Control Tower rules over the templates
 * (reusing the cached findings of unchanged templates): the cfn-guard
 * processes run on a worker thread while the caller goes on, and
 * `report()` waits for them. The gate starts it when its first rule set
 * begins, so cfn-guard runs beside the cdk-nag packs and aws-cdk-lib's
 * built-in validation (docs/performance.md).
 */
export function startControlTower(
  templatePaths: readonly string[],
  rules: readonly GuardRuleFile[],
  cache?: GuardResultCache,
): ControlTowerRun {
  const planned = planRun(templatePaths, rules, cache);
  const pending = startGuardRuns(planned.requests);
  let report: PolicyValidationPluginReport | undefined;
  return { report: () => (report ??= collect(templatePaths, planned, pending.reports(), cache)) };
}

/** {@link startControlTower}, waited for. */
export function runControlTower(
  templatePaths: readonly string[],
  rules: readonly GuardRuleFile[],
  cache?: GuardResultCache,
): PolicyValidationPluginReport {
  return startControlTower(templatePaths, rules, cache).report();
}

/** The report of a finished evaluation: cfn-guard's fresh results (now cached) and the cached ones, in template order. */
function collect(templatePaths: readonly string[], planned: PlannedRun, reports: readonly unknown[], cache: GuardResultCache | undefined): PolicyValidationPluginReport {
  const fresh = reports.flatMap((report) => (Array.isArray(report) ? (report as unknown[]) : []));
  for (const result of fresh) {
    const key = typeof result === 'object' && result !== null ? planned.keys.get(String((result as { name?: unknown }).name)) : undefined;
    if (key) cache?.set(key, (result as { not_compliant?: unknown }).not_compliant ?? []);
  }
  // In the order of the templates, so a report reads the same whether its findings were cached or not.
  const position = new Map(templatePaths.map((p, i) => [p, i]));
  const nameOf = (result: unknown): string => String((result as { name?: unknown } | null)?.name);
  const results = [...planned.cached, ...fresh].sort((a, b) => (position.get(nameOf(a)) ?? Infinity) - (position.get(nameOf(b)) ?? Infinity));
  const violations = violationsFromGuardOutput(results);
  return { success: violations.length === 0, violations };
}
