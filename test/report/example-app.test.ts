import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from '../../lib/app';
import { CONTROLS } from '../../lib/policy/controls';
import { EvidenceReport } from '../../lib/report/model';
import { synthWithEvidence } from '../../lib/report/synth';
import { REPORT_FILES } from '../../lib/report/write';
import { exampleConfig, TEST_TODAY } from '../support/example-app';
import { assessmentResultsErrors } from './oscal-assessment-results';
import { oscalErrors, tempDir } from './support';

/** One synthesis of the example config with the gate, as `npx cdk synth` runs it, then the report from its cdk.out. */
describe('evidence of the example app', () => {
  let outdir: string;
  let report: EvidenceReport;
  const logs: string[] = [];

  beforeAll(() => {
    outdir = join(tempDir('edu-report-app-'), 'cdk.out');
    const app = new App({ outdir, builtinCloudFormationValidation: false, analyticsReporting: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    buildBaselineApp(exampleConfig(), { app, today: TEST_TODAY });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      synthWithEvidence(app, { generatedAt: '2026-11-23T00:00:00Z', log: (l) => logs.push(l) });
    } catch {
      // The gate may still fail synthesis while rules and stacks are being finished; the report is written either way.
    } finally {
      quiet.mockRestore();
    }
    report = JSON.parse(readFileSync(join(outdir, 'evidence', REPORT_FILES.data), 'utf8')) as EvidenceReport;
  }, 300_000);

  test('every synth writes the three evidence files into cdk.out/evidence', () => {
    for (const name of [REPORT_FILES.html, REPORT_FILES.markdown, REPORT_FILES.oscal, REPORT_FILES.assessmentResults]) expect(existsSync(join(outdir, 'evidence', name))).toBe(true);
    expect(logs).toContain(`Evidence report written to ${join(outdir, 'evidence')}`);
  });

  test('both stages and the identity stage (DEPLOY-3) are environments with every control and a gate that ran', () => {
    expect(report.gate.ran).toBe(true);
    expect(report.environments.map((e) => e.name)).toEqual(['dev', 'identity', 'prod']);
    for (const env of report.environments) {
      expect(env.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
      const expected = env.name === 'identity' ? ['identity/Identity'] : [`${env.name}/Data`, `${env.name}/Network`];
      expect(env.stacks.map((s) => s.displayName)).toEqual(expect.arrayContaining(expected));
    }
    const identity = report.environments.find((e) => e.name === 'identity')!;
    const deploy3 = identity.controls.find((c) => c.id === 'DEPLOY-3')!;
    expect(deploy3.resources.length).toBeGreaterThan(0);
    expect(deploy3.resources[0].properties).toEqual(expect.arrayContaining([{ name: 'Other resources in the stack', value: 'none' }]));
  });

  test('the Airflow host proves DEPLOY-5 with its pinned image and boot signal', () => {
    const deploy5 = report.environments.find((e) => e.name === 'prod')!.controls.find((c) => c.id === 'DEPLOY-5')!;
    const host = deploy5.resources.find((r) => r.constructPath === 'prod/Orchestration/AirflowHost/Instance/Resource');
    expect(host?.properties).toEqual([
      { name: 'ImageId', value: 'ami-0a1b2c3d4e5f60718' },
      { name: 'CreationPolicy.ResourceSignal', value: '{"Timeout":"PT15M"}' },
      { name: 'User data sends cfn-signal', value: 'yes' },
    ]);
  });

  test('the lake bucket proves DATA-1 with SSE-KMS and its key', () => {
    const data1 = report.environments.find((e) => e.name === 'prod')!.controls.find((c) => c.id === 'DATA-1')!;
    const lake = data1.resources.find((r) => r.constructPath === 'prod/Data/Lake/Bucket/Resource');
    expect(lake?.properties).toEqual(expect.arrayContaining([
      { name: 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm', value: 'aws:kms' },
      expect.objectContaining({ name: 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID', value: expect.stringMatching(/^GetAtt\(DataKey[0-9A-F]+\.Arn\)$/) }),
    ]));
  });

  test('no control is met without an implementing resource and a rule that ran', () => {
    for (const env of report.environments) {
      for (const c of env.controls.filter((x) => x.status === 'met' || x.status === 'met with exceptions')) {
        expect([c.id, c.resources.length > 0, c.rules.some((r) => r.ran)]).toEqual([c.id, true, true]);
      }
    }
  });

  test('EXC-1 is met in every environment, and every acknowledged finding carries its record: reason, owner, ticket and review date', () => {
    for (const env of report.environments) {
      expect([env.name, env.controls.find((c) => c.id === 'EXC-1')?.status]).toEqual([env.name, 'met']);
      const acknowledged = [...env.controls.flatMap((c) => c.acknowledgments), ...env.unmappedFindings.filter((f) => f.acknowledgment)];
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const f of acknowledged) {
        expect(f.acknowledgment).toEqual(expect.objectContaining({
          reason: expect.stringMatching(/.{10}/),
          owner: 'edu-security-baseline maintainers',
          ticket: expect.any(String),
          reviewBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          declaredIn: 'lib/stacks/baseline-exceptions.json',
        }));
      }
    }
  });

  test('the component definition is valid OSCAL with one component per environment and the gate, at a reasonable size', () => {
    const text = readFileSync(join(outdir, 'evidence', REPORT_FILES.oscal), 'utf8');
    const doc = JSON.parse(text) as { 'component-definition': { components: unknown[] } };
    expect(oscalErrors(doc)).toEqual([]);
    expect(doc['component-definition'].components).toHaveLength(report.environments.length + 1);
    // One component per stack with every statement repeated made it ~1 MB with ~3,400 props.
    expect(text.length).toBeLessThan(700_000);
    expect(text.match(/"name": /g)!.length).toBeLessThan(2_500);
  });

  test('the assessment results of the synth are valid OSCAL 1.1.2 with a finding per applicable control', () => {
    const doc = JSON.parse(readFileSync(join(outdir, 'evidence', REPORT_FILES.assessmentResults), 'utf8')) as { 'assessment-results': { results: { findings: unknown[]; risks?: unknown[] }[] } };
    expect(assessmentResultsErrors(doc)).toEqual([]);
    const applicable = report.environments.reduce((n, e) => n + e.controls.filter((c) => c.status !== 'not applicable').length, 0);
    expect(doc['assessment-results'].results[0].findings).toHaveLength(applicable);
    const accepted = report.environments.reduce((n, e) => n + e.controls.reduce((m, c) => m + c.acknowledgments.length, 0), 0);
    expect(doc['assessment-results'].results[0].risks?.length ?? 0).toBeGreaterThanOrEqual(accepted > 0 ? 1 : 0);
  });
});
