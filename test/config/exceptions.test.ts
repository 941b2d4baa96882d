import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { buildBaselineApp } from '../../lib/app';
import { ConfigError, parseConfig } from '../../lib/config';

/** EXC-1: the user's exceptions under `exceptions:` are records, refused by field when incomplete, malformed, past or too far ahead. */
const EXAMPLE = readFileSync(join(__dirname, '../../config/example.yaml'), 'utf8');
const TODAY = '2026-11-29';

const VALID = {
  rule: 'AwsSolutions::AwsSolutions-S1',
  resource: 'dev/Data/Exports/Resource',
  reason: 'The export bucket is logged by the agency\'s own collector.',
  owner: 'Data platform team <data@riverside.example>',
  ticket: 'SEC-123',
  expires: '2027-03-31',
};

function withExceptions(exceptions: unknown[]): string {
  const c = parseDocument(EXAMPLE).toJS() as Record<string, unknown>;
  c.exceptions = exceptions;
  return JSON.stringify(c);
}

function issuesOf(exceptions: unknown[], today = TODAY): Array<{ path: string; message: string }> {
  try {
    parseConfig(withExceptions(exceptions), 'c.json', { today });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(({ path, message }) => ({ path, message }));
  }
  return [];
}

test('a complete exception with an expiry within a year is accepted, and exceptions default to none', () => {
  expect(parseConfig(withExceptions([VALID]), 'c.json', { today: TODAY }).exceptions).toEqual([VALID]);
  expect(parseConfig(EXAMPLE, 'example.yaml', { today: TODAY }).exceptions).toEqual([]);
  // A subtree and the identity stage are allowed; the expiry may be exactly a year ahead or today.
  expect(issuesOf([{ ...VALID, resource: 'dev/Data/Lake/*', expires: '2027-11-29' }, { ...VALID, resource: 'identity/Identity/PermissionSet-dev-Engineers', expires: TODAY }])).toEqual([]);
});

test('a finding of aws-cdk-lib\'s built-in validation can be accepted under the ID the gate prints for it', () => {
  expect(issuesOf([{ ...VALID, rule: 'CloudFormation-Validate::W9010' }])).toEqual([]);
});

test.each(['rule', 'resource', 'reason', 'owner', 'ticket', 'expires'])('a missing %s is refused by name', (field) => {
  const entry: Record<string, string> = { ...VALID };
  delete entry[field];
  expect(issuesOf([entry])).toEqual([{ path: `exceptions[0].${field}`, message: expect.stringMatching(/is required/) }]);
});

test.each([
  ['a bare rule ID', 'AwsSolutions-S1', /'<RuleSet>::<RuleId>'/],
  ['an unknown rule set', 'Checkov::CKV_AWS_18', /unknown rule set 'Checkov'/],
  ['a rule of another rule set', 'AwsSolutions::NIST.800.53.R5-S3BucketLoggingEnabled', /not a rule ID of AwsSolutions: its IDs start with 'AwsSolutions-'/],
  ['a rule with spaces', 'AwsSolutions::AwsSolutions S1', /not a rule ID of AwsSolutions/],
  ['a rule of aws-cdk-lib\'s built-in validation that is not one of its IDs', 'CloudFormation-Validate::HardcodedAmi', /'HardcodedAmi' is not a rule ID of CloudFormation-Validate \(e\.g\. CloudFormation-Validate::W9010\)/],
])('%s is refused with the syntax and an example', (_name, rule, message) => {
  expect(issuesOf([{ ...VALID, rule }])).toEqual([{ path: 'exceptions[0].rule', message: expect.stringMatching(message) }]);
});

test.each([
  ['no stage', 'Data/Exports/Resource', /does not start with a stage \(dev, prod, identity\)/],
  ['a whole stack', 'dev/Data', /names a whole stack/],
  ['a whole stack as a subtree', 'dev/Data/*', /names a whole stack/],
  ['a wildcard in the middle', 'dev/Data/*/Resource', /wildcard only as a final/],
])('a resource with %s is refused', (_name, resource, message) => {
  expect(issuesOf([{ ...VALID, resource }])).toEqual([{ path: 'exceptions[0].resource', message: expect.stringMatching(message) }]);
});

test('an expired exception is refused naming the rule, the resource and the date; -c today moves the judgement', () => {
  expect(issuesOf([{ ...VALID, expires: '2026-11-28' }])).toEqual([
    {
      path: 'exceptions[0].expires',
      message: expect.stringMatching(/^exception AwsSolutions::AwsSolutions-S1 at dev\/Data\/Exports\/Resource expired on 2026-11-28 \(today is 2026-11-29\) \(EXC-1\); fix the finding/),
    },
  ]);
  expect(issuesOf([{ ...VALID, expires: '2026-11-28' }], '2026-11-28')).toEqual([]);
});

test('an expiry more than a year ahead is refused with the latest allowed day', () => {
  expect(issuesOf([{ ...VALID, expires: '2027-11-30' }])).toEqual([
    { path: 'exceptions[0].expires', message: expect.stringMatching(/2027-11-30 is more than a year ahead \(EXC-1\); accept the risk until 2027-11-29 at the latest/) },
  ]);
  expect(issuesOf([{ ...VALID, expires: 'next year' }])).toContainEqual({ path: 'exceptions[0].expires', message: expect.stringMatching(/must be a date written YYYY-MM-DD/) });
});

test('two records for the same rule and resource, and unknown fields, are refused', () => {
  expect(issuesOf([VALID, VALID])).toEqual([{ path: 'exceptions[1]', message: expect.stringMatching(/same rule at the same resource as exceptions\[0\]/) }]);
  expect(issuesOf([{ ...VALID, control: 'DATA-5' }]).map((i) => i.path)).toEqual(['exceptions[0].control']);
});

test('an exception whose resource names no construct is a config error on its resource, not a crash', () => {
  const config = parseConfig(withExceptions([{ ...VALID, resource: 'dev/Data/Removed/Resource' }]), 'c.json', { today: TODAY });
  let error: unknown;
  try {
    buildBaselineApp(config, { gate: false, today: TODAY });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).issues).toEqual([{ path: 'exceptions[0].resource', message: expect.stringMatching(/no construct 'Data\/Removed\/Resource' in stage 'dev'.*stale/) }]);
});
