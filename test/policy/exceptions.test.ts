import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { applyExceptions, ExceptionRecord, exceptionsOfAssembly, judgeExceptions } from '../../lib/policy/exceptions';
import { baselineExceptions, identityExceptions } from '../../lib/stacks/exceptions';
import { testException } from '../support/exceptions';
import { exampleConfig } from '../support/example-app';
import { blockingFindings, findingsOfAssembly } from '../support/findings';
import { attachPolicyGate } from '../../lib/policy/gate';
import { formatVerdict, judgeAssembly } from '../../lib/policy/verdict';
import { acknowledgmentIdOf, Finding } from '../../lib/policy/vocabulary';

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

describe('applyExceptions', () => {
  test('the baseline registry gives every record a control, a reason, an owner, a ticket and a review date, and none covers a whole stack', () => {
    const config = exampleConfig();
    const all: ExceptionRecord[] = identityExceptions(config);
    for (const environment of config.environments) {
      const records = baselineExceptions(config, environment);
      expect(records.length).toBeGreaterThan(10);
      all.push(...records);
    }
    for (const record of all) {
      expect(record.reason.length).toBeGreaterThan(40);
      expect(record.owner).not.toBe('');
      expect(record.ticket).not.toBe('');
      expect(record.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(record.expires).toBeUndefined();
      expect(record.resource.split('/').length).toBeGreaterThan(1);
      expect(record.rule + record.resource + record.reason).not.toMatch(/\{[A-Za-z]+\}/);
    }
    // Development-only exceptions never reach production.
    const prod = baselineExceptions(config, config.environments[1]).map((e) => e.rule);
    expect(prod).not.toContain('AwsSolutions::AwsSolutions-EC29');
    expect(identityExceptions(config).filter((e) => e.rule.includes('AdministratorAccess')).every((e) => !e.resource.includes('-prod-'))).toBe(true);
  });

  test('an acknowledged error appears as acknowledged with its reason and does not fail; others still fail', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    const applied = applyExceptions(s, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON)]);
    expect(applied.map((a) => [a.rule, a.resource])).toEqual([['AwsSolutions::AwsSolutions-S1', 'Dev/Data/Exports']]);
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
    applyExceptions(s, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports/Resource', REASON)]);
    app.synth();
    const text = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(text).toContain(`"reason": "${REASON}"`);
    expect(text).toContain('"acknowledgedId": "AwsSolutions::AwsSolutions-S1"');
  });

  test('a subtree ending in /* covers the resources below it', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyExceptions(s, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports/*', REASON)]);
    app.synth();
    expect(blockingFindings(findingsOfAssembly(app.outdir))).toEqual([]);
  });

  test('each applied record is written into the cloud assembly with its owner, ticket, expiry and the date it was judged against', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyExceptions(s, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON, { expires: '2027-01-31' })], { today: '2026-11-29' });
    app.synth();
    expect(exceptionsOfAssembly(app.outdir)).toEqual([
      { rule: 'AwsSolutions::AwsSolutions-S1', resource: 'Dev/Data/Exports', reason: REASON, owner: 'Test owner', ticket: 'TEST-1', expires: '2027-01-31', declaredIn: 'test', asOf: '2026-11-29' },
    ]);
  });

  test('judging: a record that matches an acknowledged finding is not stale, one that matches none is, and a past expiry is expired', () => {
    const { app, stage: s } = stage();
    attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyExceptions(s, [
      testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON, { expires: '2026-11-28' }),
      testException('AwsSolutions::AwsSolutions-EC23', 'Data/Exports', REASON),
      testException('NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', 'Data/Exports', REASON),
    ], { today: '2026-11-29' });
    app.synth();
    const statuses = judgeExceptions(exceptionsOfAssembly(app.outdir), findingsOfAssembly(app.outdir), ['AwsSolutions']);
    expect(statuses.map((x) => [x.record.rule, x.matched > 0, x.stale, x.expired])).toEqual([
      ['AwsSolutions::AwsSolutions-S1', true, false, true],
      ['AwsSolutions::AwsSolutions-EC23', false, true, false],
      // A rule set that did not run cannot show a record stale.
      ['NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', false, false, false],
    ]);
  });

  test('the verdict fails on an expired record naming it and its date, and only reports a passed review date', () => {
    const { app, stage: s } = stage();
    const gate = attachPolicyGate(s, { ruleSets: ['AwsSolutions'] });
    applyExceptions(s, [
      testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON, { expires: '2026-11-28' }),
      testException('AwsSolutions::AwsSolutions-VPC3', 'Net/Acls/*', REASON, { expires: undefined, reviewBy: '2026-11-01' }),
    ], { today: '2026-11-29' });
    app.synth();
    const verdict = judgeAssembly(app.outdir, gate.map((g) => g.coverage));
    expect(verdict.passed).toBe(false);
    expect(verdict.problems).toEqual([
      'exception AwsSolutions::AwsSolutions-S1 at Dev/Data/Exports (test; owner Test owner; ticket TEST-1) expired on 2026-11-28 (today is 2026-11-29): fix the finding and remove the exception, or renew it with a new expiry and ticket',
    ]);
    expect(verdict.notices).toEqual([expect.stringMatching(/^exception AwsSolutions::AwsSolutions-VPC3 at Dev\/Net\/Acls .* was due for review on 2026-11-01/)]);
    const text = formatVerdict(verdict);
    expect(text).toMatch(/^ERROR gate: exception AwsSolutions::AwsSolutions-S1 at Dev\/Data\/Exports .* expired on 2026-11-28/m);
    expect(text).toMatch(/^warning exception AwsSolutions::AwsSolutions-VPC3 .* was due for review/m);
  });

  const refused: [string, ExceptionRecord, RegExp][] = [
    ['a stale entry (no such construct)', testException('AwsSolutions::AwsSolutions-S1', 'Data/Removed/Resource', REASON), /no construct 'Data\/Removed\/Resource'.*stale/],
    ['a whole stack', testException('AwsSolutions::AwsSolutions-S1', 'Data', REASON), /whole stack/],
    ['a whole stack via /*', testException('AwsSolutions::AwsSolutions-S1', 'Data/*', REASON), /whole stack/],
    ['the stage', testException('AwsSolutions::AwsSolutions-S1', '/*', REASON), /construct path below the stage/],
    ['a bare ID', testException('AwsSolutions-S1', 'Data/Exports', REASON), /<RuleSet>::<RuleId>/],
    ['an unknown rule set', testException('Foo::AwsSolutions-S1', 'Data/Exports', REASON), /unknown rule set 'Foo'/],
    ['a non-resource path without /*', testException('AwsSolutions::AwsSolutions-VPC3', 'Net/Acls', REASON), /not a single resource/],
    ['a wildcard in the middle', testException('AwsSolutions::AwsSolutions-S1', 'Data/*/Resource', REASON), /wildcards/],
    ['an empty reason', testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', ' '), /reason/],
  ];
  test.each(refused)('throws for %s', (_name, entry, message) => {
    const { stage: s } = stage();
    expect(() => applyExceptions(s, [entry])).toThrow(message);
  });
});

describe('records for aws-cdk-lib\'s built-in validation (a plugin outside the gate)', () => {
  const record = (rule: string) => ({ ...testException(rule, 'Orchestration/Host', REASON), resource: 'dev/Orchestration/Host', asOf: '2026-11-30', declaredIn: 'test' });
  const finding = (acknowledgedId: string): Finding => ({
    ruleSet: 'CloudFormation Validate',
    ruleId: 'W9010',
    control: null,
    resource: 'Host',
    severity: 'warning',
    message: 'ImageId: Hardcoded AMI ID',
    acknowledged: { reason: REASON, acknowledgedAt: 'dev/Orchestration/Host', id: acknowledgedId },
  });

  test('a record matches the finding under aws-cdk-lib\'s namespace for the plugin (spaces as hyphens)', () => {
    const [status] = judgeExceptions([record('CloudFormation-Validate::W9010')], [finding('CloudFormation-Validate::W9010')], ['CloudFormation Validate']);
    expect(status).toMatchObject({ matched: 1, stale: false });
  });

  test('it is stale only where the built-in validation ran (not with --no-validation)', () => {
    expect(judgeExceptions([record('CloudFormation-Validate::W9010')], [], ['EduSecurityChecks', 'CloudFormation Validate'])[0].stale).toBe(true);
    expect(judgeExceptions([record('CloudFormation-Validate::W9010')], [], ['EduSecurityChecks'])[0].stale).toBe(false);
  });

  test('the gate prints the ID that accepts it', () => {
    expect(acknowledgmentIdOf('CloudFormation Validate', 'W9010')).toBe('CloudFormation-Validate::W9010');
    expect(acknowledgmentIdOf('AwsSolutions', 'AwsSolutions-S1')).toBe('AwsSolutions::AwsSolutions-S1');
  });
});
