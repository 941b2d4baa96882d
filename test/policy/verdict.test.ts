import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { synthGated } from '../../lib/gated-synth';
import { GatedRuleSet } from '../../lib/policy/gate';
import { formatVerdict, judgeAssembly } from '../../lib/policy/verdict';

/** Fail closed: the gate passes only when it can show that every rule set ran and found no open error. */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edu-verdict-'));
  dirs.push(dir);
  return dir;
}
const RAN = [{ name: 'EduSecurityChecks', templates: 1, resources: 3 }];

test('a missing validation report fails the gate', () => {
  const verdict = judgeAssembly(tempDir(), RAN);
  expect(verdict.passed).toBe(false);
  expect(verdict.problems).toEqual(['validation-report.json was not written, so no rule set can be shown to have run']);
});

test('an unreadable validation report fails the gate, naming the file', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'validation-report.json'), '{"pluginReports": [tru');
  const verdict = judgeAssembly(dir, RAN);
  expect(verdict.passed).toBe(false);
  expect(verdict.problems[0]).toMatch(/^validation-report\.json cannot be read/);
});

test('a rule set that evaluated no template fails the gate, naming it', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'validation-report.json'), JSON.stringify({ pluginReports: [] }));
  const verdict = judgeAssembly(dir, [...RAN, { name: 'ControlTower', templates: 0, resources: 0 }]);
  expect(verdict.passed).toBe(false);
  expect(verdict.problems).toEqual(['rule set ControlTower evaluated no template']);
  expect(formatVerdict(verdict)).toMatch(/ERROR gate: rule set ControlTower evaluated no template\nPolicy gate FAILED: 0 unacknowledged error\(s\), 0 warning\(s\), 0 acknowledged and 1 problem\(s\)\n$/);
});

test('a clean report with every rule set covered passes', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'validation-report.json'), JSON.stringify({ pluginReports: [{ pluginName: 'EduSecurityChecks', conclusion: 'success', violations: [] }] }));
  const verdict = judgeAssembly(dir, RAN);
  expect(verdict.passed).toBe(true);
  expect(formatVerdict(verdict)).toBe(
    'Policy gate:\n  EduSecurityChecks  1 template(s), 3 resource(s): 0 error(s), 0 warning(s), 0 acknowledged\n' +
      'Policy gate PASSED: 0 unacknowledged error(s), 0 warning(s), 0 acknowledged\n',
  );
});

test('a plugin outside the gate (aws-cdk-lib\'s built-in validation) is summarised by what it found, not as a rule set that evaluated nothing', () => {
  const dir = tempDir();
  const violation = { ruleName: 'W9010', description: 'hardcoded AMI', severity: 'warning', violatingConstructs: [{ constructPath: 'dev/Host', cloudFormationResource: { logicalId: 'Host', templatePath: 'dev.template.json' } }] };
  writeFileSync(
    join(dir, 'validation-report.json'),
    JSON.stringify({ pluginReports: [{ pluginName: 'EduSecurityChecks', conclusion: 'success', violations: [] }, { pluginName: 'CloudFormation Validate', conclusion: 'success', violations: [violation] }] }),
  );
  const summary = formatVerdict(judgeAssembly(dir, RAN)).split('\n').slice(1, 3);
  expect(summary).toEqual([
    '  EduSecurityChecks        1 template(s), 3 resource(s): 0 error(s), 0 warning(s), 0 acknowledged',
    '  CloudFormation Validate  not a gate rule set: 0 error(s), 1 warning(s), 0 acknowledged',
  ]);
});

test('a rule set that throws during synth fails the gate, naming the rule set and the error', () => {
  const app = new App({ outdir: tempDir(), builtinCloudFormationValidation: false, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  new sns.Topic(new Stack(new Stage(app, 'dev'), 'Alerts'), 'Topic');
  const broken = new GatedRuleSet(app, {
    name: 'Broken',
    run: () => {
      throw new Error('rule file cannot be parsed');
    },
  });
  Validations.of(app).addPlugins(broken);
  const out: string[] = [];
  const { exitCode, verdict } = synthGated(app, [broken], { log: (t) => out.push(t), quiet: false });
  expect(exitCode).toBe(1);
  expect(verdict?.errors.map((f) => f.ruleSet)).toEqual(['Broken']);
  expect(out.join('')).toMatch(/ERROR Broken::Broken-PluginFailure\n[^]*rule file cannot be parsed/);
});
