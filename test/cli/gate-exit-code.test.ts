import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdk, CliRun, ROOT, USER_APP } from './support';

/**
 * The gate decides the exit code of every command that runs the app. The
 * CDK CLI alone fails only on the stacks a command selects, and a bare
 * `cdk synth` of an app whose stacks all live in Stages selects none: these
 * tests drive the real CLI in child processes, one invocation form each, on a
 * small app (one Stage, one stack) with the user's own insecure bucket.
 */
const FINDING = /ERROR EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption\[BucketEncryption=absent\] \(DATA-1\)\n {2}at dev\/Data\/UserBucket \(UserBucket\) in assembly-dev\/\S+\.template\.json\n {2}source: test\/fixtures\/cli-app\/user-app\.ts:\d+\n {2}\[DATA-1\] The bucket is not encrypted/;
const SMALL = ['--app', USER_APP, '-c', 'fixture=small'];

/**
 * aws-cdk-lib's built-in CloudFormation validation (what `--no-validation`
 * turns off) is not what these tests are about, and building its engine is
 * about 2.5 s of each 4 s app run: the invocation forms run without it. The
 * clean run below and test/cli/readme-synth.test.ts keep it, as users run it.
 */
const NO_BUILTIN_VALIDATION = { CDK_VALIDATION: 'false' };

const runs = new Map<string, CliRun>();
/** One CLI run per invocation form, shared by the tests that read it. */
function insecureRun(args: readonly string[]): CliRun {
  const key = args.join(' ');
  if (!runs.has(key)) runs.set(key, cdk([...args, ...SMALL, '-c', 'insecure=yes'], NO_BUILTIN_VALIDATION));
  return runs.get(key) as CliRun;
}

describe.each([
  ['cdk synth', ['synth']],
  ['cdk synth -q', ['synth', '-q']],
  ['cdk synth --all', ['synth', '--all']],
  ["cdk synth '**'", ['synth', '**']],
  ["cdk synth 'dev/*'", ['synth', 'dev/*']],
  ["cdk deploy 'dev/*'", ['deploy', 'dev/*', '--require-approval', 'never']],
  ['cdk diff', ['diff']],
])('%s on an app with one unacknowledged error', (_name, args) => {
  const run = insecureRun(args);

  test('exits non-zero', () => {
    expect(run.status).not.toBe(0);
  });

  test('prints each error finding: rule, construct path, resource, template, source, message', () => {
    expect(run.output).toMatch(FINDING);
    expect(run.output).toMatch(/^Policy gate FAILED: \d+ unacknowledged error\(s\)/m);
  });
});

test('cdk synth -q keeps the verdict and the errors, and drops the per-rule-set table and warnings', () => {
  const run = insecureRun(['synth', '-q']);
  expect(run.output).toMatch(FINDING);
  expect(run.output).not.toMatch(/^Policy gate:$/m);
  expect(run.output).not.toMatch(/^warning /m);
});

test('a clean app passes: exit 0 and a summary per rule set', () => {
  const run = cdk(['synth', ...SMALL]);
  expect(run.status).toBe(0);
  for (const set of ['EduSecurityChecks', 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower']) {
    expect(run.output).toMatch(new RegExp(`^ {2}${set.replace(/\./g, '\\.')} +1 template\\(s\\), \\d+ resource\\(s\\): 0 error\\(s\\)`, 'm'));
  }
  expect(run.output).toMatch(/^Policy gate PASSED: 0 unacknowledged error\(s\)/m);
});

test('running the app without the CDK CLI gives the same verdict', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-direct-'));
  try {
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'test/fixtures/cli-app/user-app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...NO_BUILTIN_VALIDATION, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ fixture: 'small', insecure: 'yes' }) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(FINDING);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

describe('EXC-1: an exception of the config that has expired or matches no finding fails the synth, naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edu-exc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const EXAMPLE = readFileSync(join(ROOT, 'config', 'example.yaml'), 'utf8');
  /** The example config plus one exception of the user's. */
  function configWith(exception: string): string {
    const file = join(dir, `c${readdirSync(dir).length}.yaml`);
    writeFileSync(file, `${EXAMPLE}\nexceptions:\n${exception}`);
    return file;
  }
  const exception = (resource: string, expires: string): string =>
    [
      '  - rule: AwsSolutions::AwsSolutions-S1',
      `    resource: ${resource}`,
      '    reason: The lake bucket logs its requests elsewhere (test).',
      '    owner: Data platform team <data@riverside.example>',
      '    ticket: SEC-123',
      `    expires: "${expires}"`,
      '',
    ].join('\n');

  test.each([
    ['cdk synth', ['synth']],
    ['cdk synth --all', ['synth', '--all']],
  ])('%s: an expired exception exits non-zero naming the rule, the resource and the date, with no template', (_name, args) => {
    const run = cdk([...args, '-c', `config=${configWith(exception('dev/Data/Lake/Bucket', '2026-06-30'))}`, '-c', 'today=2026-11-29'], NO_BUILTIN_VALIDATION);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/exceptions\[0\]\.expires: exception AwsSolutions::AwsSolutions-S1 at dev\/Data\/Lake\/Bucket expired on 2026-06-30 \(today is 2026-11-29\)/);
    expect(readdirSync(run.outdir).filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('cdk synth -q: a stale exception (its rule finds nothing there) exits non-zero naming it', () => {
    const run = cdk(['synth', '-q', '-c', `config=${configWith(exception('dev/Data/Lake/Bucket', '2027-03-31'))}`, '-c', 'today=2026-11-29'], NO_BUILTIN_VALIDATION);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(
      /^ERROR gate: exception AwsSolutions::AwsSolutions-S1 at dev\/Data\/Lake\/Bucket \(exceptions\[0\] of \S+\.yaml; owner Data platform team <data@riverside\.example>; ticket SEC-123\) matches no finding \(stale\)/m,
    );
    expect(run.output).toMatch(/^Policy gate FAILED: 0 unacknowledged error\(s\), .* and 1 problem\(s\)/m);
  }, 180_000);
});
