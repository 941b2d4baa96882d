import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { auditPaths, AuditResult, hasErrors } from '../../lib/audit/audit';
import { formatSarif } from '../../lib/audit/formats';
import { AuditInputError } from '../../lib/audit/template-file';
import { applyExceptions } from '../../lib/policy/exceptions';
import { testException } from '../support/exceptions';
import { EduRule } from '../../lib/policy/rule';
import { FIXTURES, sarifErrors, tempDir } from './support';

const work = tempDir();
const fixture = (name: string) => relative(process.cwd(), join(FIXTURES, name));
const REASON = 'Test: exports are logged by the vendor bucket.';

/** A cloud assembly with a nested Stage, synthesized without the gate, with one acknowledgment recorded. */
function cdkOut(): string {
  const outdir = join(work, 'cdk.out');
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const stage = new Stage(app, 'Dev');
  new s3.Bucket(new Stack(stage, 'Data'), 'Exports', { enforceSSL: true });
  applyExceptions(stage, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON)]);
  app.synth();
  return outdir;
}

let result: AuditResult;
let assembly: string;
beforeAll(() => {
  assembly = cdkOut();
  // One app, one synth for every input.
  result = auditPaths([fixture('clean.json'), fixture('violations.yaml'), fixture('cdk-style.json'), assembly]);
});

const templateOf = (suffix: string) => {
  const t = result.templates.find((x) => x.path.endsWith(suffix));
  if (!t) throw new Error(`no template ${suffix} in ${result.templates.map((x) => x.path).join(', ')}`);
  return t;
};
const summary = (suffix: string) => templateOf(suffix).findings.map((f) => `${f.ruleId}|${f.control}|${f.severity}|${f.resource}`);

describe('auditPaths', () => {
  test('reports every input template under its original path, cdk.out stacks included', () => {
    expect(result.templates.map((t) => t.path)).toEqual([
      'test/fixtures/templates/clean.json',
      'test/fixtures/templates/violations.yaml',
      'test/fixtures/templates/cdk-style.json',
      expect.stringMatching(/cdk\.out\/assembly-Dev\/DevDataF961E460\.template\.json$/),
    ]);
    expect(result.ruleSets).toEqual(['EduSecurityChecks', 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower']);
  });

  test('the clean template has no error finding', () => {
    expect(templateOf('clean.json').findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('the vendor template with violations yields error findings on the violating resources, with controls', () => {
    expect(summary('violations.yaml')).toEqual(expect.arrayContaining([
      'AwsSolutions-S10|DATA-2|error|ExportBucket',
      'CT.S3.PR.1|DATA-3|error|ExportBucket',
      'CT.S3.PR.10|DATA-1|error|ExportBucket',
      'AwsSolutions-EC23|NET-1|error|AdminSsh',
      'CT.EC2.PR.4|NET-1|error|AdminSsh',
      'NIST.800.53.R5-EC2RestrictedSSH|NET-1|error|AdminSsh',
      'AwsSolutions-IAM5[Action:*]|IAM-1|error|VendorRole',
      'CT.IAM.PR.1|IAM-1|error|VendorRole',
    ]));
    expect(hasErrors(result)).toBe(true);
  });

  test('resource (and parameter) lines point at the logical ID keys (YAML and JSON)', () => {
    expect([...templateOf('violations.yaml').resourceLines]).toEqual([
      ['VpcId', 4],
      ['ExportBucket', 7], ['AdminSsh', 11], ['VendorRole', 21], ['VendorProfile', 38], ['VendorArn', 42],
    ]);
    expect(templateOf('cdk-style.json').resourceLines.get('JobQueue')).toBe(23);
  });

  test('a CDK-shaped template (weak reference, asset parameters, custom resources) loads and keeps its logical IDs', () => {
    const resources = new Set(templateOf('cdk-style.json').findings.map((f) => f.resource));
    expect([...resources].every((r) => ['JobQueue', 'SeedData', 'LegacyHook', 'CDKMetadata'].includes(r))).toBe(true);
    expect(summary('cdk-style.json')).toContain('AwsSolutions-SQS4|null|error|JobQueue');
  });

  test('acknowledgments recorded in a cdk.out are honoured, with their reason', () => {
    const findings = templateOf('DevDataF961E460.template.json').findings;
    const s1 = findings.filter((f) => f.ruleId === 'AwsSolutions-S1');
    expect(s1).toHaveLength(1);
    expect(s1[0]).toMatchObject({ severity: 'error', resource: expect.stringMatching(/^Exports/), acknowledged: { reason: REASON } });
    // Other findings on the same resource still count.
    expect(findings.some((f) => f.ruleId === 'CT.S3.PR.10' && f.severity === 'error' && !f.acknowledged)).toBe(true);
  });

  test('the SARIF of a real audit is valid against the SARIF 2.1.0 schema and points at resource lines', () => {
    const log = JSON.parse(formatSarif(result)) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    const ec23 = log.runs[0].results.find((r) => r.ruleId === 'AwsSolutions-EC23');
    expect(ec23?.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/templates/violations.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 11 } });
  });
});

describe('rules see the original template values', () => {
  /** Reports what CfnInclude handed to the rules for values CfnInclude itself cannot parse. */
  const probe: EduRule = {
    id: 'SECRET2-TestProbe',
    control: 'SECRET-2',
    severity: 'warning',
    resourceTypes: ['AWS::SQS::Queue', 'AWS::CloudFormation::CustomResource'],
    info: 'Test probe.',
    explanation: 'Test probe.',
    check: (resource) => ({
      violations: Object.entries(resource.Properties ?? {})
        .filter(([, v]) => typeof v === 'object' && v !== null && 'Fn::GetStackOutput' in v)
        .map(([k, v]) => {
          const ref = (v as { 'Fn::GetStackOutput': { StackName: string; OutputName: string } })['Fn::GetStackOutput'];
          return `${k}=GetStackOutput:${ref.StackName}.${ref.OutputName}`;
        }),
      unresolved: [],
    }),
  };

  test('Fn::GetStackOutput reaches the rules verbatim', () => {
    const probed = auditPaths([fixture('cdk-style.json')], { gate: { ruleSets: ['EduSecurityChecks'], eduRules: [probe] } });
    expect(probed.templates[0].findings.map((f) => `${f.resource}: ${f.ruleId}`).sort()).toEqual([
      'JobQueue: EduSecurity-SECRET2-TestProbe[KmsMasterKeyId=GetStackOutput:Dev-Keys.QueueKeyArn]',
      'LegacyHook: EduSecurity-SECRET2-TestProbe[ServiceToken=GetStackOutput:Dev-Hooks.HookArn]',
    ]);
  });

  test('a stack with more than 500 resources is audited (no CDK resource limit)', () => {
    const resources = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`Topic${i}`, { Type: 'AWS::SNS::Topic' }]));
    const file = join(work, 'big.json');
    writeFileSync(file, JSON.stringify({ Resources: resources }));
    const big = auditPaths([file], { gate: { ruleSets: ['EduSecurityChecks'], eduRules: [{ ...probe, resourceTypes: ['AWS::SNS::Topic'], check: () => ({ violations: ['Seen'], unresolved: [] }) }] } });
    // Every resource reaches the rules (AWS's validator adds its own note about the 500-resource quota).
    expect(big.templates[0].findings.filter((f) => f.ruleSet === 'EduSecurityChecks')).toHaveLength(501);
  });
});

describe('bad input', () => {
  const badCases: [string, () => string, RegExp][] = [
    ['a missing file', () => fixture('bad/does-not-exist.json'), /does-not-exist\.json: no such file or directory/],
    ['malformed JSON', () => fixture('bad/malformed.json'), /malformed\.json: not valid JSON/],
    ['malformed YAML', () => fixture('bad/malformed.yaml'), /malformed\.yaml: not valid YAML \(line \d+\)/],
    ['a JSON array', () => fixture('bad/array.json'), /array\.json: not a CloudFormation template: the document is an array/],
    ['a template without Resources', () => fixture('bad/no-resources.yaml'), /no-resources\.yaml: not a CloudFormation template: no Resources section/],
    ['an unknown YAML intrinsic tag', () => fixture('bad/unknown-tag.yaml'), /unknown-tag\.yaml: unknown intrinsic function tag !Bogus \(line 5\)/],
    ['an unknown JSON intrinsic', () => fixture('bad/unknown-intrinsic.json'), /unknown-intrinsic\.json: cannot be loaded as a CloudFormation template: Unsupported CloudFormation function 'Fn::Bogus'/],
    ['a directory without manifest.json', () => { const d = join(work, 'empty-dir'); mkdirSync(d, { recursive: true }); return d; }, /empty-dir: a directory without manifest\.json/],
  ];
  test.each(badCases)('%s is named with the file and the problem, and the readable template is still audited', (_name, path, message) => {
    const audited = auditPaths([fixture('clean.json'), path()], { gate: { ruleSets: ['EduSecurityChecks'] } });
    expect(audited.unreadable?.map((e) => e.message)).toEqual([expect.stringMatching(message)]);
    expect(audited.unreadable?.[0]).toBeInstanceOf(AuditInputError);
    expect(audited.templates.map((t) => t.path)).toEqual(['test/fixtures/templates/clean.json']);
  });

  test('with nothing readable the audit is refused, naming the input', () => {
    expect(() => auditPaths([fixture('bad/malformed.json')], { gate: { ruleSets: ['EduSecurityChecks'] } })).toThrow(/malformed\.json: not valid JSON/);
  });
});
