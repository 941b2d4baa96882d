import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, PolicyViolation } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CONTROL_TOWER_SERVICES } from '../../../lib/policy/gate';
import { cfnGuardBinary, controlTowerRulesRoot } from '../../../lib/policy/guard/control-tower';
import { violationsFromGuardOutput } from '../../../lib/policy/guard/results';

const REDTEAM = join(__dirname, '../../fixtures/redteam');
const ruleDirs = (services: readonly string[]): string[] => services.map((s) => join(controlTowerRulesRoot(), 'cfn-guard', s));
// The services the vendor templates below use (cfn-guard's time grows with rule files x templates).
const RULE_DIRS = ruleDirs(CONTROL_TOWER_SERVICES.filter((s) => s !== 's3' && s !== 'cloudtrail'));

function guardReport(templates: readonly string[], rules: readonly string[] = RULE_DIRS): unknown {
  const run = spawnSync(
    cfnGuardBinary(),
    ['validate', ...rules.flatMap((d) => ['--rules', d]), ...templates.flatMap((t) => ['--data', t]), '--output-format', 'json', '--show-summary', 'none', '--structured'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  expect([0, 19]).toContain(run.status);
  return JSON.parse(run.stdout.toString('utf8')) as unknown;
}

/** Findings as order-free strings: rule, message, template, resource (the validator repeats locations; they are left out). */
function findings(violations: readonly PolicyViolation[]): string[] {
  const all = violations.flatMap((v) =>
    v.violatingResources.filter((r) => typeof r.resourceLogicalId === 'string').map((r) => JSON.stringify([v.ruleName, v.description, v.fix, r.templatePath, r.resourceLogicalId])),
  );
  return [...new Set(all)].sort();
}

describe('reading cfn-guard reports', () => {
  // Vendor templates whose report the bundled validator can read: both readers must find the same.
  const readable = [
    'ebs-volume-unencrypted.json',
    'efs-encrypted-string-default-key.json',
    'iam-user-with-access-key.json',
    'kms-key-policy-open-via-service.json',
    'launch-configuration-imds-v1.json',
    'log-group-short-retention-no-kms.json',
    'sns-topic-policy-wildcard-principal-arn.json',
    'subnet-map-public-ip-string.json',
  ].map((f) => join(REDTEAM, f));

  test('finds what the bundled validator finds, rule by rule and resource by resource', () => {
    const ours = findings(violationsFromGuardOutput(guardReport(readable)));
    const theirs = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: RULE_DIRS }).validate({
      templatePaths: readable,
      appConstruct: new App(),
    });
    expect(ours.length).toBeGreaterThanOrEqual(10);
    expect(ours).toEqual(findings(theirs.violations as PolicyViolation[]));
  });

  test('reads the report of a property that refers to a template parameter, where the bundled validator throws', () => {
    const template = join(REDTEAM, 'cloudtrail-single-region.yaml');
    const trailRules = ruleDirs(['cloudtrail']);
    const report = guardReport([template], trailRules);
    expect(() =>
      new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: trailRules }).validate({ templatePaths: [template], appConstruct: new App() }),
    ).toThrow(/failed processing cfn-guard results/);
    const violations = violationsFromGuardOutput(report);
    const encryption = violations.find((v) => v.description.startsWith('[CT.CLOUDTRAIL.PR.1]'));
    expect(encryption).toEqual(
      expect.objectContaining({
        ruleName: 'cloud_trail_encryption_enabled_check',
        fix: "Set the 'KMSKeyId' property to a valid KMS key.",
        violatingResources: [expect.objectContaining({ resourceLogicalId: 'AccountTrail', templatePath: template })],
      }),
    );
    // The inner helper's note ("Local Stack reference was invalid") is not mistaken for the control's message.
    expect(violations.every((v) => /^\[CT\.[A-Z]+\.PR\.\d+\]: /.test(v.description))).toBe(true);
  });
});

describe('shapes cfn-guard writes', () => {
  const clause = (path: string, error = `Check was not compliant as property [${path}[L:1,C:1]] was not present`) => ({
    Clause: { Unary: { context: 'x', messages: { custom_message: '', error_message: error }, check: { Resolved: { value: { path, value: 'v' }, comparison: ['Exists', false] } } } },
  });
  const rule = (name: string, custom: string | null, checks: unknown[]) => ({ Rule: { name, metadata: {}, messages: { custom_message: custom, error_message: null }, checks } });
  const ctMessage = '\n  [CT.X.PR.1]: Require a thing\n  [FIX]: Set the thing.\n';

  test('one violation per failing rule, on every resource its checks name, with the [ID] line as description and the [FIX] line as fix', () => {
    const report = [
      { name: 't.json', not_compliant: [rule('outer', null, [rule('check', ctMessage, [clause('/Resources/A/Properties/P'), clause('/Resources/B/Properties/P'), clause('/Resources/A/Properties/Q')])])] },
    ];
    expect(violationsFromGuardOutput(report)).toEqual([
      {
        ruleName: 'outer',
        description: '[CT.X.PR.1]: Require a thing',
        fix: 'Set the thing.',
        violatingResources: [
          { resourceLogicalId: 'A', templatePath: 't.json', locations: ['/Resources/A/Properties/P', '/Resources/A/Properties/Q'] },
          { resourceLogicalId: 'B', templatePath: 't.json', locations: ['/Resources/B/Properties/P'] },
        ],
      },
    ]);
  });

  test('a check naming no resource joins the resources of its siblings, and alone concerns the whole template', () => {
    const withSibling = [{ name: 't.json', not_compliant: [rule('r', ctMessage, [clause('', 'statement missing'), clause('/Resources/Key/Properties/KeyPolicy')])] }];
    expect(violationsFromGuardOutput(withSibling)[0].violatingResources.map((r) => r.resourceLogicalId)).toEqual(['Key']);
    const alone = [{ name: 't.json', not_compliant: [rule('r', ctMessage, [clause('', 'statement missing')])] }];
    expect(violationsFromGuardOutput(alone)[0].violatingResources).toEqual([{ resourceLogicalId: '', templatePath: 't.json', locations: [] }]);
  });

  test('the resource is also read from the error message when the check carries no path', () => {
    const check = { Block: { context: 'x', messages: { custom_message: '', error_message: 'Value traversed to [Path=/Resources/Trail/Properties/KMSKeyId[L:21,C:16] Value={}]' } } };
    const report = [{ name: 't.json', not_compliant: [rule('r', ctMessage, [check])] }];
    expect(violationsFromGuardOutput(report)[0].violatingResources[0].resourceLogicalId).toBe('Trail');
  });

  test('without a custom message, cfn-guard\'s error message describes the finding', () => {
    const report = [{ name: 't.json', not_compliant: [rule('plain', null, [clause('/Resources/A/Properties/P', 'property P missing')])] }];
    expect(violationsFromGuardOutput(report)[0]).toEqual(expect.objectContaining({ description: 'property P missing', fix: 'N/A' }));
  });

  test('empty and odd results yield nothing, not an exception', () => {
    expect(violationsFromGuardOutput([{ name: 't.json', status: 'PASS', not_compliant: {} }])).toEqual([]);
    expect(violationsFromGuardOutput([{ name: 't.json', not_compliant: [{ Clause: {} }, null, 3] }])).toEqual([]);
    expect(violationsFromGuardOutput({})).toEqual([]);
    expect(violationsFromGuardOutput([null, 'x', { not_compliant: [] }])).toEqual([]);
  });
});
