import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, loadConfig, parseConfig, physicalNames } from '../../lib/config';
import { NAME_LIMITS, nameProblems } from '../../lib/config/name-limits';

const EXAMPLE = readFileSync(join(__dirname, '../../config/example.yaml'), 'utf8');
const TODAY = '2026-11-23';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures edit arbitrary fields

function mutate(edit: (c: Mutable) => void): unknown {
  const c = parseDocument(EXAMPLE).toJS() as Mutable;
  edit(c);
  return c;
}

function issuesOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    parseConfig(JSON.stringify(raw), 'test.json', { today: TODAY });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    // Path and message are what these tests judge; the file location is tested in robustness.test.ts.
    return (err as ConfigError).issues.map(({ path, message }) => ({ path, message }));
  }
  return [];
}

describe('DEPLOY-4 names derived from the config', () => {
  test('every name of the example is within its limits', () => {
    const config = loadConfig(join(__dirname, '../../config/example.yaml'), { today: TODAY });
    for (const env of config.environments) {
      for (const physical of physicalNames(config, env)) expect([physical.name, nameProblems(physical.kind, physical.name)]).toEqual([physical.name, []]);
    }
  });

  test('a 32-character deployment name (legal by pattern) is refused with the bucket limit, the field and the length to use', () => {
    const name = 'riverside-unified-school-distric'; // 32 characters
    expect(name).toHaveLength(32);
    const issues = issuesOf(mutate((c) => (c.deployment.name = name)));
    const bucket = issues.find((i) => i.message.includes("the lake's access-log bucket name"));
    expect(bucket).toEqual({
      path: 'deployment.name',
      message: expect.stringMatching(
        /^DEPLOY-4: "riverside-unified-school-distric" makes the lake's access-log bucket name "riverside-unified-school-distric-dev-lake-access-logs-111111111111" \(environment "dev"\) 66 characters long; AWS allows 63 \(Amazon S3 User Guide, "General purpose bucket naming rules".*\); use a value of at most 29 characters$/,
      ),
    });
    // Every issue names a field of the file.
    for (const issue of issues) expect(issue.path).toMatch(/^(deployment\.name|environments\[\d\]\.name)$/);
  });

  test('each environment gets its own suggestion, and the smallest is enough', () => {
    const issues = issuesOf(mutate((c) => (c.deployment.name = 'riverside-unified-school-distr'))); // 30 characters
    expect(issues.map((i) => /at most (\d+) characters/.exec(i.message)?.[1])).toEqual(['29', '28']);
    expect(issuesOf(mutate((c) => (c.deployment.name = 'riverside-unified-school-dis')))).toEqual([]); // 28
  });

  test('an SSM prefix beginning with aws is refused (Parameter Store reserves it)', () => {
    const issues = issuesOf(mutate((c) => (c.deployment.ssmPrefix = 'awsedu')));
    expect(issues).toContainEqual({ path: expect.stringMatching(/^(secrets\[\d+\]\.name|tenants\[\d+\]\.code)$/), message: expect.stringContaining('must not begin with aws or ssm') });
  });

  test.each([
    ['s3-bucket', 'a'.repeat(63), []],
    ['s3-bucket', 'a'.repeat(64), ['is 64 characters long; AWS allows 63']],
    ['s3-bucket', 'My_Bucket', ['contains "M", "_", "B"; allowed: lowercase letters, digits, . and -', 'must begin and end with a lowercase letter or digit']],
    ['s3-bucket', '-bucket', ['must begin and end with a lowercase letter or digit']],
    ['s3-bucket', 'a..b', ['must not contain two adjacent periods']],
    ['s3-bucket', '192.168.5.4', ['must not be formatted as an IP address']],
    ['s3-bucket', 'data-s3alias', ['must not end with the reserved suffix -s3alias']],
    ['iam-role', 'r'.repeat(64), []],
    ['iam-role', 'r'.repeat(65), ['is 65 characters long; AWS allows 64']],
    ['stack', 's'.repeat(129), ['is 129 characters long; AWS allows 128']],
    ['stack', '1abc', ['must start with a letter']],
    ['kms-alias', 'alias/aws/s3', ['must not begin with alias/aws/ (reserved for AWS managed keys)']],
    ['kms-alias', `alias/${'k'.repeat(251)}`, ['is 257 characters long; AWS allows 256']],
    ['log-group', '/a/b c', ['contains " "; allowed: letters, digits, _ - / . #']],
    ['prefix-list', 'com.amazonaws.mine', ['must not start with com.amazonaws']],
    ['sns-topic', 'alerts.fifo', []],
    ['ssm-parameter', `/${Array.from({ length: 16 }, () => 'a').join('/')}`, ['has 16 levels; Parameter Store allows 15']],
    ['cloudtrail-trail', 'my-_trail', ['must not have adjacent periods, underscores or dashes']],
  ] as const)('%s %j', (kind, name, expected) => {
    expect(nameProblems(kind, name).map((p) => p.message)).toEqual(expected);
  });

  test('every limit names its AWS source', () => {
    for (const limit of Object.values(NAME_LIMITS)) expect(limit.source).toMatch(/docs\.aws\.amazon\.com\//);
  });
});

describe('LOG-2 student-identifier pattern in the config', () => {
  test('the example pattern is accepted', () => {
    expect(issuesOf(mutate(() => undefined))).toEqual([]);
  });

  test.each([
    ['(S)[0-9]{8}', /contains "\(", "\)", which CloudWatch Logs does not accept/],
    ['S[0-9]{8', /does not compile/],
    ['[0-9]*', /matches the empty string/],
  ])('%s is refused on deployment.studentIdPattern', (pattern, message) => {
    const issues = issuesOf(mutate((c) => (c.deployment.studentIdPattern = pattern)));
    expect(issues).toEqual([{ path: 'deployment.studentIdPattern', message: expect.stringMatching(message) }]);
  });
});
