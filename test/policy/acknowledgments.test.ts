import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Acknowledgment, applyAcknowledgments, baselineAcknowledgments } from '../../lib/policy/acknowledgments';
import { exampleConfig } from '../support/example-app';
import { blockingFindings, findingsOfAssembly } from '../support/findings';
import { attachPolicyGate } from '../../lib/policy/gate';

const outdirs: string[] = [];
beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Dev stage with a Net stack holding a group of two network ACLs (AwsSolutions-VPC3 warnings) and a plain bucket (AwsSolutions-S1/S10 errors). */
function stage(name = 'Dev'): { app: App; stage: Stage } {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-ack-'));
  outdirs.push(outdir);
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const s = new Stage(app, name);
  const net = new Stack(s, 'Net');
  const acls = new Construct(net, 'Acls');
  new ec2.CfnNetworkAcl(acls, 'Acl', { vpcId: 'vpc-12345678' });
  new ec2.CfnNetworkAcl(acls, 'OtherAcl', { vpcId: 'vpc-12345678' });
  const data = new Stack(s, 'Data');
  new s3.Bucket(data, 'Exports', { enforceSSL: true });
  return { app, stage: s };
}

const REASON = 'Test: the export bucket receives access logs elsewhere.';

describe('applyAcknowledgments', () => {
  test('the baseline registry names a control and a reason for every entry, and scopes none to a whole stack', () => {
    const config = exampleConfig();
    for (const environment of config.environments) {
      const entries = baselineAcknowledgments(config, environment);
      expect(entries.length).toBeGreaterThan(10);
      for (const entry of entries) {
        expect(entry.control).toBeDefined();
        expect(entry.reason.length).toBeGreaterThan(40);
        expect(entry.scope.split('/').length).toBeGreaterThan(1);
      }
    }
    // Development-only exceptions never reach production.
    const prod = baselineAcknowledgments(config, config.environments[1]).map((e) => e.id);
    expect(prod).not.toContain('AwsSolutions::AwsSolutions-EC29');
    expect(prod.some((id) => id.includes('AdministratorAccess'))).toBe(false);
  });

  test('an acknowledged error appears as acknowledged with its reason and does not fail; others still fail', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    const applied = applyAcknowledgments(s, [{ id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Exports', reason: REASON, control: 'DATA-5' }]);
    expect(applied.map((a) => [a.id, a.constructPath])).toEqual([['AwsSolutions::AwsSolutions-S1', 'Dev/Data/Exports']]);
    expect(() => app.synth()).not.toThrow();
    const findings = findingsOfAssembly(app.outdir);
    expect(findings.find((f) => f.ruleId === 'AwsSolutions-S1')).toMatchObject({
      severity: 'error',
      resource: expect.stringMatching(/^Exports/),
      acknowledged: { reason: REASON, acknowledgedAt: 'Dev/Data/Exports' },
    });
    expect(blockingFindings(findings)).toEqual([]);
  });

  test('without the acknowledgment the same error fails synth', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
    const findings = findingsOfAssembly(app.outdir);
    expect(blockingFindings(findings).map((f) => f.ruleId)).toEqual(['AwsSolutions-S1']);
  });

  test('the acknowledgment is recorded in the validation report (not hidden like a bare ID)', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyAcknowledgments(s, [{ id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Exports/Resource', reason: REASON }]);
    app.synth();
    const text = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(text).toContain(`"reason": "${REASON}"`);
    expect(text).toContain('"acknowledgedId": "AwsSolutions::AwsSolutions-S1"');
  });

  test('a subtree ending in /* covers the resources below it', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyAcknowledgments(s, [{ id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Exports/*', reason: REASON }]);
    app.synth();
    expect(blockingFindings(findingsOfAssembly(app.outdir))).toEqual([]);
  });

  test('an entry limited to other stages is not applied', () => {
    const { stage: s } = stage('Dev');
    expect(applyAcknowledgments(s, [{ id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Nope', reason: REASON, stages: ['Prod'] }])).toEqual([]);
  });

  const refused: [string, Acknowledgment, RegExp][] = [
    ['a stale entry (no such construct)', { id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Removed/Resource', reason: REASON }, /no construct 'Data\/Removed\/Resource'.*stale/],
    ['a whole stack', { id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data', reason: REASON }, /whole stack/],
    ['a whole stack via /*', { id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/*', reason: REASON }, /whole stack/],
    ['the stage', { id: 'AwsSolutions::AwsSolutions-S1', scope: '/*', reason: REASON }, /construct path below the stage/],
    ['a bare ID', { id: 'AwsSolutions-S1', scope: 'Data/Exports', reason: REASON }, /namespaced/],
    ['an unknown rule set', { id: 'Foo::AwsSolutions-S1', scope: 'Data/Exports', reason: REASON }, /unknown rule set 'Foo'/],
    ['a non-resource path without /*', { id: 'AwsSolutions::AwsSolutions-VPC3', scope: 'Net/Acls', reason: REASON }, /not a single resource/],
    ['a wildcard in the middle', { id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/*/Resource', reason: REASON }, /wildcards/],
    ['an empty reason', { id: 'AwsSolutions::AwsSolutions-S1', scope: 'Data/Exports', reason: ' ' }, /reason/],
  ];
  test.each(refused)('throws for %s', (_name, entry, message) => {
    const { stage: s } = stage();
    expect(() => applyAcknowledgments(s, [entry])).toThrow(message);
  });
});
