import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_TOWER_SERVICES } from '../../../lib/policy/gate';
import { cfnGuardBinary, controlTowerRulesRoot, GuardResultCache, guardRuleFiles, runControlTower, startControlTower } from '../../../lib/policy/guard/control-tower';
import { GuardRunError, runGuard, startGuardRuns } from '../../../lib/policy/guard/process';

const REDTEAM = join(__dirname, '../../fixtures/redteam');
const RULES = guardRuleFiles(CONTROL_TOWER_SERVICES.map((s) => join(controlTowerRulesRoot(), 'cfn-guard', s)));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edu-ct-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function copyFixture(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, readFileSync(join(REDTEAM, name)));
  return path;
}

const cacheEntries = (cacheDir: string): string[] => readdirSync(cacheDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));

test('each template is checked with the rules for its own resource types, in one run per group, and all findings come back', () => {
  const volume = copyFixture('ebs-volume-unencrypted.json');
  const user = copyFixture('iam-user-with-access-key.json');
  const logs = copyFixture('log-group-short-retention-no-kms.json');
  const report = runControlTower([volume, user, logs], RULES);
  const on = (path: string) => report.violations.filter((v) => v.violatingResources.some((r) => r.templatePath === path)).map((v) => v.description.slice(0, 20));
  expect(on(volume)).toEqual(expect.arrayContaining([expect.stringMatching(/^\[CT\.EC2\.PR\.7\]/)]));
  expect(on(user)).toEqual(expect.arrayContaining([expect.stringMatching(/^\[CT\.IAM\.PR\.4\]/)]));
  expect(on(logs)).toEqual(expect.arrayContaining([expect.stringMatching(/^\[CT\.CLOUDWATCH\.PR\.2\]/), expect.stringMatching(/^\[CT\.CLOUDWATCH\.PR\.3\]/)]));
  expect(report.success).toBe(false);
});

test('a template without a resource type any rule names is not evaluated and yields nothing', () => {
  const path = join(dir, 'queue.json');
  writeFileSync(path, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } }));
  expect(runControlTower([path], RULES)).toEqual({ success: true, violations: [] });
});

describe('cache of findings', () => {
  test('an unchanged template is answered from the cache; a changed one is evaluated again', () => {
    const cache = new GuardResultCache(join(dir, 'cache'));
    const logs = copyFixture('log-group-short-retention-no-kms.json');
    const first = runControlTower([logs], RULES, cache);
    const entries = cacheEntries(cache.dir);
    expect(entries).toHaveLength(1);
    expect(runControlTower([logs], RULES, cache)).toEqual(first);

    // Proof that the second answer came from the cache: a planted entry is what gets reported.
    const entry = join(cache.dir, entries[0]);
    const planted = {
      notCompliant: [
        { Rule: { name: 'planted', messages: { custom_message: '[CT.PLANTED.PR.1]: planted\n[FIX]: none' }, checks: [{ Clause: { path: '/Resources/ApiAccessLogs/Properties' } }] } },
      ],
    };
    writeFileSync(entry, JSON.stringify(planted));
    expect(runControlTower([logs], RULES, cache).violations.map((v) => v.ruleName)).toEqual(['planted']);

    // Any change to the template is a new key: cfn-guard runs and finds the real violations.
    const template = JSON.parse(readFileSync(logs, 'utf8')) as { Description?: string };
    template.Description = 'changed';
    writeFileSync(logs, JSON.stringify(template));
    const again = runControlTower([logs], RULES, cache);
    expect(again.violations.map((v) => v.ruleName)).toEqual(first.violations.map((v) => v.ruleName));
    expect(cacheEntries(cache.dir)).toHaveLength(2);
  });

  test('a report reads the same, in the same order, whichever of its templates were cached', () => {
    const cache = new GuardResultCache(join(dir, 'cache'));
    const [volume, user, logs] = ['ebs-volume-unencrypted.json', 'iam-user-with-access-key.json', 'log-group-short-retention-no-kms.json'].map(copyFixture);
    const cold = runControlTower([volume, user, logs], RULES);
    runControlTower([logs], RULES, cache);
    expect(runControlTower([volume, user, logs], RULES, cache)).toEqual(cold);
  });

  test('a corrupt entry is a miss, not a pass', () => {
    const cache = new GuardResultCache(join(dir, 'cache'));
    const logs = copyFixture('log-group-short-retention-no-kms.json');
    const first = runControlTower([logs], RULES, cache);
    writeFileSync(join(cache.dir, cacheEntries(cache.dir)[0]), '{ not json');
    expect(runControlTower([logs], RULES, cache)).toEqual(first);
    expect(first.violations.length).toBeGreaterThan(0);
  });
});

test('a cfn-guard failure throws instead of passing the templates', () => {
  const logs = copyFixture('log-group-short-retention-no-kms.json');
  const broken = join(dir, 'broken.guard');
  writeFileSync(broken, 'rule broken when {{{ this is not guard');
  expect(() => runControlTower([logs], [{ path: broken, resourceTypes: new Set(), digest: 'broken' }])).toThrow(GuardRunError);
});

test('the cache forgets entries unused for MAX_AGE_DAYS, keeps the ones a synth used', () => {
  const cache = new GuardResultCache(join(dir, 'cache'));
  const logs = copyFixture('log-group-short-retention-no-kms.json');
  const volume = copyFixture('ebs-volume-unencrypted.json');
  runControlTower([logs, volume], RULES, cache);
  const [a, b] = cacheEntries(cache.dir).map((f) => join(cache.dir, f));
  const old = new Date(Date.now() - (GuardResultCache.MAX_AGE_DAYS + 1) * 24 * 60 * 60 * 1000);
  utimesSync(a, old, old);
  utimesSync(b, old, old);
  // A hit refreshes the entry it reads.
  runControlTower([logs], RULES, cache);
  cache.prune();
  const left = cacheEntries(cache.dir).map((f) => join(cache.dir, f));
  expect(left).toHaveLength(1);
  expect(JSON.stringify(JSON.parse(readFileSync(left[0], 'utf8')))).toContain('ApiAccessLogs');
});

describe('cfn-guard on a worker thread (started early, waited for in the rule set\'s turn)', () => {
  test('the background runs report what a run on the calling thread reports, each request in order', () => {
    const volume = copyFixture('ebs-volume-unencrypted.json');
    const user = copyFixture('iam-user-with-access-key.json');
    const requests = [volume, user].map((t) => ({ guard: cfnGuardBinary(), rules: RULES.map((r) => r.path), templates: [t] }));
    const pending = startGuardRuns(requests);
    expect(pending.reports()).toEqual(requests.map(runGuard));
  });

  test('a binary that cannot run and a rule file cfn-guard cannot parse fail the wait, as on the calling thread', () => {
    const logs = copyFixture('log-group-short-retention-no-kms.json');
    const missing = startGuardRuns([{ guard: join(dir, 'no-such-cfn-guard'), rules: [RULES[0].path], templates: [logs] }]);
    expect(() => missing.reports()).toThrow(/^cfn-guard could not run: /);
    const broken = join(dir, 'broken.guard');
    writeFileSync(broken, 'rule broken when {{{ this is not guard');
    const unparsable = startGuardRuns([{ guard: cfnGuardBinary(), rules: [broken], templates: [logs] }]);
    expect(() => unparsable.reports()).toThrow(GuardRunError);
  });

  test('a run started before the templates are read again reports the same as one run in its turn; templates reported in the order given', () => {
    const volume = copyFixture('ebs-volume-unencrypted.json');
    const logs = copyFixture('log-group-short-retention-no-kms.json');
    const early = startControlTower([logs, volume], RULES);
    expect(early.report()).toEqual(runControlTower([logs, volume], RULES));
    // Asking twice waits once.
    expect(early.report()).toBe(early.report());
  });
});
