import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBaselineApp } from '../lib/app';
import { blockingFindings, findingsOfAssembly } from './support/findings';
import { exampleConfig, stableApp, TEST_TODAY } from './support/example-app';

const ROOT = join(__dirname, '..');

describe('the example app with the policy gate', () => {
  const app = stableApp();
  buildBaselineApp(exampleConfig(), { app, today: TEST_TODAY });
  const assembly = app.synth();
  const findings = findingsOfAssembly(assembly.directory);

  test('synthesizes every stack of dev and prod, and the identity stack (DEPLOY-3)', () => {
    const stacks = assembly.nestedAssemblies.flatMap((a) => a.nestedAssembly.stacks.map((s) => s.stackName)).sort();
    expect(stacks).toEqual(
      [
        'riverside-identity',
        ...['access', 'data', 'network', 'observability', 'orchestration', 'secrets'].flatMap((s) => [`riverside-dev-${s}`, `riverside-prod-${s}`]),
      ].sort(),
    );
  });

  test('the gate covers the identity stage (DEPLOY-3)', () => {
    expect(findings.some((f) => (f.constructPath ?? '').startsWith('identity/Identity/') && f.ruleSet === 'EduSecurityChecks')).toBe(true);
  });

  test('has zero unacknowledged error findings from all four rule sets', () => {
    expect(blockingFindings(findings).map((f) => `${f.ruleSet} ${f.ruleId} ${f.constructPath}`)).toEqual([]);
  });

  test('every acknowledged exception carries its reason into the validation report', () => {
    const acknowledged = findings.filter((f) => f.acknowledged);
    expect(new Set(acknowledged.map((f) => f.ruleSet))).toEqual(new Set(['EduSecurityChecks', 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower']));
    for (const f of acknowledged) expect(f.acknowledged?.reason.length).toBeGreaterThan(40);
  });
});

describe('bin/edu-baseline.ts (what `npx cdk synth` runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edu-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function synth(configText: string, file: string): { status: number | null; stderr: string; outdir: string } {
    const config = join(dir, file);
    writeFileSync(config, configText);
    const outdir = join(dir, `${file}.out`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/edu-baseline.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config, today: TEST_TODAY, gate: 'off' }) },
    });
    return { status: result.status, stderr: result.stderr, outdir };
  }

  test('a bad config exits non-zero naming the field and writes no template', () => {
    const { status, stderr, outdir } = synth('deployment:\n  name: x\n', 'bad.yaml');
    expect(status).toBe(1);
    expect(stderr).toMatch(/Invalid config .*bad\.yaml:\n[^]* {2}- identity: is required \(DEPLOY-3\)/);
    expect(existsSync(outdir) ? readdirSync(outdir).filter((f) => f.endsWith('.template.json')) : []).toEqual([]);
  });

  test('a missing config file exits non-zero with the fix', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/edu-baseline.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: join(dir, 'out'), CDK_CONTEXT_JSON: JSON.stringify({ config: join(dir, 'missing.yaml') }) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/missing\.yaml:\n {2}- \(file\): does not exist; pass an existing YAML or JSON file with -c config=/);
    const out = join(dir, 'out');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
