import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cdk, ROOT, USER_APP } from './support';

/**
 * The README's main command, `npx cdk synth`, through the real CDK CLI on the
 * bundled example: clean it exits 0 and says so; with one insecure construct
 * of the user's own in the dev Data stack it exits non-zero naming it.
 */
const TODAY = ['-c', 'today=2026-11-23'];

test('the README names `npx cdk synth` as the main command', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/npm ci && npx cdk synth +# main job/);
});

test('npx cdk synth on the example exits 0 with a passing gate summary', () => {
  const run = cdk(['synth', ...TODAY]);
  expect(run.output).toMatch(/^Policy gate PASSED: 0 unacknowledged error\(s\), \d+ warning\(s\), \d+ acknowledged/m);
  expect(run.status).toBe(0);
});

test('npx cdk synth on the example plus one insecure bucket exits non-zero naming it', () => {
  const run = cdk(['synth', '--app', USER_APP, '-c', 'insecure=yes', ...TODAY]);
  expect(run.status).not.toBe(0);
  expect(run.output).toMatch(/ERROR EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption\[BucketEncryption=absent\] \(DATA-1\)\n {2}at dev\/Data\/UserBucket/);
  expect(run.output).toMatch(/^Policy gate FAILED/m);
});
