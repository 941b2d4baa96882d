import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { auditPaths } from '../../lib/audit/audit';
import { formatSarif } from '../../lib/audit/formats';
import { buildBaselineApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import { synthGated } from '../../lib/gated-synth';
import { applyExceptions } from '../../lib/policy/exceptions';
import { testException } from '../support/exceptions';
import { assemblyIndex } from '../../lib/assembly/resources';
import { Finding } from '../../lib/policy/vocabulary';
import { attachPolicyGate } from '../../lib/policy/gate';
import { GateVerdict } from '../../lib/policy/verdict';
import { REPO, tempDir } from './support';

/**
 * One answer everywhere: the gate at synth, `audit cdk.out` and `audit <one
 * template inside cdk.out>` report the same findings for the same assembly,
 * and findings of a synthesized template point at the construct's source.
 */
const work = tempDir();
const REASON = 'Test: exports are logged by the vendor bucket.';
const outdir = join(work, 'cdk.out');
let verdict: GateVerdict | undefined;
let exitCode: number;

beforeAll(() => {
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stage = new Stage(app, 'Dev', { env: { account: '111111111111', region: 'us-east-1' } });
  new s3.Bucket(new Stack(stage, 'Data'), 'Exports', { enforceSSL: true });
  applyExceptions(stage, [testException('AwsSolutions::AwsSolutions-S1', 'Data/Exports', REASON)]);
  ({ verdict, exitCode } = synthGated(app, attachPolicyGate(app), { projectDir: REPO, log: () => undefined }));
});

const key = (f: Finding): string => `${f.ruleSet}|${f.ruleId}|${f.resource}|${f.severity}|${f.acknowledged ? 'ack' : 'open'}`;
const gateFindings = (): string[] => (verdict ? [...verdict.errors, ...verdict.warnings, ...verdict.acknowledged].map(key).sort() : []);

test('the gate fails the insecure bucket and records the acknowledgment', () => {
  expect(exitCode).toBe(1);
  expect(verdict?.acknowledged.map((f) => f.ruleId)).toEqual(['AwsSolutions-S1']);
});

test('audit of the cdk.out and audit of one template inside it report what the gate reported', () => {
  const whole = auditPaths([outdir]).templates.flatMap((t) => t.findings).map(key).sort();
  const template = relative(process.cwd(), join(outdir, 'assembly-Dev', 'DevDataF961E460.template.json'));
  const single = auditPaths([template]).templates.flatMap((t) => t.findings).map(key).sort();
  expect(single).toEqual(whole);
  expect(whole).toEqual(gateFindings());
});

test('findings of a synthesized template name the construct and the source line that created it; SARIF points there', () => {
  const result = auditPaths([outdir]);
  const finding = result.templates[0].findings.find((f) => f.ruleId === 'CT.S3.PR.10');
  expect(finding).toMatchObject({ constructPath: 'Dev/Data/Exports/Resource', source: expect.stringMatching(/^test\/audit\/assembly-origins\.test\.ts:\d+$/) });
  const log = JSON.parse(formatSarif(result, {})) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const uris = new Set(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
  expect([...uris]).toEqual(['test/audit/assembly-origins.test.ts']);
});

test('a resource built from a config field points at the config line, not at the stack code', () => {
  const config = loadConfig(relative(process.cwd(), join(REPO, 'config', 'example.yaml')), { today: '2026-11-29' });
  const app = new App({ outdir: join(work, 'example.out'), builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  buildBaselineApp(config, { app, gate: false });
  app.synth();
  const vpnLine = readFileSync(join(REPO, 'config', 'example.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('kind: vpn'));
  const index = assemblyIndex(join(work, 'example.out'));
  // The entry starts on the line of its `- cidr:` key, the line before its kind.
  expect(index.get('dev/Network/AllowList/vpn-ipv4-1')?.source ?? index.get('dev/Network/AllowList/vpn-ipv4-1/Resource')?.source).toBe(`config/example.yaml:${vpnLine}`);
});
