import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from '../../lib/app';
import { synthGated } from '../../lib/gated-synth';
import { exceptionsOfAssembly } from '../../lib/policy/exceptions';
import { EvidenceReport } from '../../lib/report/model';
import { REPORT_FILES } from '../../lib/report/write';
import { tempDir } from '../report/support';
import { configFromText, EXAMPLE_CONFIG, TEST_TODAY } from '../support/example-app';

/**
 * EXC-1 end to end: the example config plus the README's exception example (a
 * finding the example really has: Control Tower's CT.KMS.PR.3 warning on the
 * dev data key), synthesized with the gate as `npx cdk synth` runs it. The
 * README block is read from README.md, so the example there stays one that works.
 */
function readmeExceptions(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```yaml\n(exceptions:\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```yaml exceptions: block');
  return block[1];
}

describe('a config exception that matches a finding', () => {
  const outdir = join(tempDir('edu-config-exc-'), 'cdk.out');
  const logs: string[] = [];
  let exitCode: number;

  beforeAll(() => {
    const text = `${readFileSync(EXAMPLE_CONFIG, 'utf8')}\n${readmeExceptions()}`;
    const app = new App({ outdir, builtinCloudFormationValidation: false, analyticsReporting: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const built = buildBaselineApp(configFromText(text), { app, today: TEST_TODAY, configFile: 'my.yaml' });
    ({ exitCode } = synthGated(app, built.gate, { log: (t) => logs.push(t), generatedAt: '2026-11-23T00:00:00Z' }));
  }, 300_000);

  test('is applied, covers its finding, and the gate passes', () => {
    expect(exitCode).toBe(0);
    expect(logs.join('')).not.toMatch(/stale|expired/);
    expect(exceptionsOfAssembly(outdir).filter((r) => r.declaredIn === 'exceptions[0] of my.yaml')).toEqual([
      expect.objectContaining({ rule: 'ControlTower::CT.KMS.PR.3', resource: 'dev/Data/DataKey/Resource', owner: 'Data platform team <data@riverside.example>', ticket: 'SEC-123', expires: '2027-03-31', asOf: TEST_TODAY }),
    ]);
  });

  test('the evidence shows the finding as accepted with its reason, owner, ticket and expiry, and lists the record under EXC-1', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'evidence', REPORT_FILES.data), 'utf8')) as EvidenceReport;
    const dev = report.environments.find((e) => e.name === 'dev')!;
    const all = [...dev.controls.flatMap((c) => c.acknowledgments), ...dev.unmappedFindings];
    expect(all.filter((f) => f.ruleId === 'CT.KMS.PR.3' && f.acknowledgment)).toEqual([
      expect.objectContaining({
        constructPath: 'dev/Data/DataKey/Resource',
        acknowledgment: expect.objectContaining({ owner: 'Data platform team <data@riverside.example>', ticket: 'SEC-123', expires: '2027-03-31', declaredIn: 'exceptions[0] of my.yaml' }),
      }),
    ]);
    const exc1 = dev.controls.find((c) => c.id === 'EXC-1')!;
    expect(exc1.status).toBe('met');
    expect(exc1.resources.find((r) => r.constructPath === 'dev/Data/DataKey/Resource')?.properties).toEqual(expect.arrayContaining([
      { name: 'expires', value: '2027-03-31' },
      { name: 'findings covered', value: '1' },
    ]));
    const html = readFileSync(join(outdir, 'evidence', REPORT_FILES.html), 'utf8');
    const reason = /reason: (.+)/.exec(readmeExceptions())![1];
    expect(html).toContain(reason);
    expect(html).toContain('expires 2027-03-31');
  });
});
