import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CloudFormationValidatePlugin, IPolicyValidationContext, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { applyExceptions } from '../../lib/policy/exceptions';
import { testException } from '../support/exceptions';
import { findingsOfAssembly } from '../support/findings';
import { acknowledgeableRuleName, attachPolicyGate, GATE_TIMINGS_ENV, gateEnabled, PolicyGateOptions } from '../../lib/policy/gate';
import { COMPLIANT, EduRule } from '../../lib/policy/rule';

const outdirs: string[] = [];
// The CDK prints every validation report to stderr; the tests read the JSON report instead.
beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newApp(context: Record<string, unknown> = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-gate-'));
  outdirs.push(outdir);
  return new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true, ...context } });
}

interface PluginReportJson {
  pluginName: string;
  conclusion: string;
  violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string; cloudFormationResource?: { logicalId: string; templatePath: string } }[] }[];
  suppressedViolations?: { ruleName: string; reason: string; acknowledgedAt: string }[];
}

function report(app: App): PluginReportJson[] {
  return (JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReportJson[] }).pluginReports;
}

/** A stage with one stack, gated with the given options. */
function gatedStage(options: PolicyGateOptions, build: (stack: Stack) => void, context: Record<string, unknown> = {}): { app: App; stage: Stage } {
  const app = newApp(context);
  const stage = new Stage(app, 'Dev');
  build(new Stack(stage, 'Data'));
  attachPolicyGate(stage, options);
  return { app, stage };
}

/** A warning rule that fires on every SNS topic, to show warnings never fail. */
const alwaysWarn: EduRule = {
  id: 'LOG5-TestAlwaysWarns',
  control: 'LOG-5',
  severity: 'warning',
  resourceTypes: ['AWS::SNS::Topic'],
  info: 'Test rule: warns on every topic.',
  explanation: 'Proves that warnings are reported but do not fail synthesis.',
  check: () => ({ violations: ['TopicSeen'], unresolved: [] }),
};

const alwaysError: EduRule = { ...alwaysWarn, id: 'LOG3-TestAlwaysFails', control: 'LOG-3', severity: 'error', check: () => ({ violations: ['TopicSeen'], unresolved: [] }) };

describe('gateEnabled', () => {
  test('is on by default and off only with gate=off (or false)', () => {
    expect(gateEnabled(new App())).toBe(true);
    expect(gateEnabled(new App({ context: { gate: 'on' } }))).toBe(true);
    expect(gateEnabled(new App({ context: { gate: 'off' } }))).toBe(false);
    expect(gateEnabled(new App({ context: { gate: 'false' } }))).toBe(false);
  });
});

describe('acknowledgeableRuleName', () => {
  test('collapses runs of colons inside and outside the finding', () => {
    expect(acknowledgeableRuleName('AwsSolutions-IAM5[Action::s3:*]')).toBe('AwsSolutions-IAM5[Action:s3:*]');
    expect(acknowledgeableRuleName('AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]')).toBe('AwsSolutions-IAM5[Resource:arn:aws:s3:bucket/*]');
  });

  test('keeps balanced brackets and neutralises unbalanced ones', () => {
    expect(acknowledgeableRuleName('EduSecurity-IAM1-X[Statement[2].Action=*]')).toBe('EduSecurity-IAM1-X[Statement[2].Action=*]');
    expect(acknowledgeableRuleName('AwsSolutions-IAM5[Resource::arn:aws:s3:::b/x]*]')).toBe('AwsSolutions-IAM5[Resource:arn:aws:s3:b/x_*]');
  });

  test('leaves plain rule IDs alone', () => {
    expect(acknowledgeableRuleName('CT.S3.PR.1')).toBe('CT.S3.PR.1');
  });
});

describe('attachPolicyGate', () => {
  test('registers the four rule sets and fails synth on an unacknowledged error from each', () => {
    const bucketRule: EduRule = { ...alwaysError, id: 'DATA1-TestBucketSeen', control: 'DATA-1', resourceTypes: ['AWS::S3::Bucket'] };
    const { app } = gatedStage({ eduRules: [bucketRule] }, (stack) => {
      new s3.CfnBucket(stack, 'Plain');
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    const plugins = report(app);
    expect(plugins.map((p) => `${p.pluginName}:${p.conclusion}`).sort()).toEqual([
      'AwsSolutions:failure', 'ControlTower:failure', 'EduSecurityChecks:failure', 'NIST.800.53.R5:failure',
    ]);
    const names = plugins.flatMap((p) => p.violations.map((v) => `${p.pluginName}:${v.ruleName}:${v.severity}`));
    expect(names).toEqual(expect.arrayContaining([
      'EduSecurityChecks:EduSecurity-DATA1-TestBucketSeen[TopicSeen]:error',
      'AwsSolutions:AwsSolutions-S10:error',
      'NIST.800.53.R5:NIST.800.53.R5-S3BucketSSLRequestsOnly:error',
      'ControlTower:CT.S3.PR.1:error',
      // Advice outside the control catalog is a warning.
      'ControlTower:CT.S3.PR.4:warning',
    ]));
  });

  test('EduSecurityChecks is registered and its error fails synth', () => {
    const { app } = gatedStage({ ruleSets: ['EduSecurityChecks'], eduRules: [alwaysError] }, (stack) => {
      new sns.CfnTopic(stack, 'Topic');
    });
    expect(() => app.synth()).toThrow();
    expect(report(app)[0].violations.map((v) => v.ruleName)).toEqual(['EduSecurity-LOG3-TestAlwaysFails[TopicSeen]']);
  });

  test('warnings are reported but do not fail synth (EduSecurityChecks)', () => {
    const { app } = gatedStage({ ruleSets: ['EduSecurityChecks'], eduRules: [alwaysWarn] }, (stack) => {
      new sns.CfnTopic(stack, 'Topic');
    });
    expect(() => app.synth()).not.toThrow();
    const [edu] = report(app);
    expect(edu.conclusion).toBe('success');
    expect(edu.violations[0]).toMatchObject({ ruleName: 'EduSecurity-LOG5-TestAlwaysWarns[TopicSeen]', severity: 'warning' });
  });

  test('warnings of a cdk-nag pack do not fail synth (cdk-nag itself would report failure)', () => {
    const { app } = gatedStage({ ruleSets: ['AwsSolutions'] }, (stack) => {
      new ec2.CfnNetworkAcl(stack, 'Acl', { vpcId: 'vpc-12345678' });
    });
    expect(() => app.synth()).not.toThrow();
    const [aws] = report(app);
    expect(aws.conclusion).toBe('success');
    expect(aws.violations.map((v) => `${v.ruleName}:${v.severity}`)).toEqual(['AwsSolutions-VPC3:warning']);
  });

  test('violating resources carry their logical ID and template file', () => {
    const { app } = gatedStage({ ruleSets: ['AwsSolutions'] }, (stack) => {
      new ec2.CfnNetworkAcl(stack, 'Acl', { vpcId: 'vpc-12345678' });
    });
    app.synth();
    const resource = report(app)[0].violations[0].violatingConstructs[0];
    expect(resource.constructPath).toBe('Dev/Data/Acl');
    expect(resource.cloudFormationResource).toEqual({ logicalId: 'Acl', templatePath: 'assembly-Dev/DevDataF961E460.template.json', propertyPaths: ['Properties'] });
  });

  test('a finding with `::` is acknowledged through the registry in either spelling, with its reason recorded', () => {
    const { app, stage } = gatedStage({ ruleSets: ['AwsSolutions'] }, (stack) => {
      const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    });
    applyExceptions(stage, [
      testException('AwsSolutions::AwsSolutions-IAM5[Action::s3:*]', 'Data/Worker/DefaultPolicy/Resource', 'Test: the worker manages every bucket of its sandbox.'),
      testException('AwsSolutions::AwsSolutions-IAM5[Resource:*]', 'Data/Worker/DefaultPolicy/Resource', 'Test: bucket names are generated at deploy time.'),
    ]);
    expect(() => app.synth()).not.toThrow();
    const [aws] = report(app);
    expect(aws.violations).toEqual([]);
    expect(aws.suppressedViolations?.map((s) => [s.ruleName, s.reason, s.acknowledgedAt])).toEqual([
      ['AwsSolutions-IAM5[Action:s3:*]', 'Test: the worker manages every bucket of its sandbox.', 'Dev/Data/Worker/DefaultPolicy/Resource'],
      ['AwsSolutions-IAM5[Resource:*]', 'Test: bucket names are generated at deploy time.', 'Dev/Data/Worker/DefaultPolicy/Resource'],
    ]);
  });

  test('a finding with unbalanced brackets does not break synth when acknowledgments exist', () => {
    // Without the rewrite aws-cdk-lib throws InvalidValidationId for the whole app.
    const { app, stage } = gatedStage({ ruleSets: ['AwsSolutions'] }, (stack) => {
      const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/x]*'] }));
    });
    applyExceptions(stage, [testException('AwsSolutions::AwsSolutions-IAM5[Resource:arn:aws:s3:b/x_*]', 'Data/Worker/DefaultPolicy/Resource', 'Test: literal bracket in an object key prefix.')]);
    expect(() => app.synth()).not.toThrow();
    expect(report(app)[0].suppressedViolations?.map((s) => s.ruleName)).toEqual(['AwsSolutions-IAM5[Resource:arn:aws:s3:b/x_*]']);
  });

  test('a gate per stage reports each finding once, for its own stage', () => {
    const app = newApp();
    for (const name of ['Dev', 'Prod']) {
      const stage = new Stage(app, name);
      new ec2.CfnNetworkAcl(new Stack(stage, 'Net'), 'Acl', { vpcId: 'vpc-12345678' });
      attachPolicyGate(stage, { ruleSets: ['AwsSolutions'] });
    }
    app.synth();
    const paths = report(app).flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).sort();
    expect(paths).toEqual(['Dev/Net/Acl', 'Prod/Net/Acl']);
  });

  test('attaching twice to the same scope is refused', () => {
    const app = newApp();
    attachPolicyGate(app, { ruleSets: ['AwsSolutions'] });
    expect(() => attachPolicyGate(app, { ruleSets: ['AwsSolutions'] })).toThrow(/already attached/);
  });

  test('findings name controls: our rules by the control their ID starts with (also -Unresolved), cdk-nag and Control Tower by the table', () => {
    const unresolvedRule: EduRule = { ...alwaysWarn, id: 'LOG1-TestUnresolved', control: 'LOG-1', check: () => ({ ...COMPLIANT, unresolved: ['KmsKeyId=Ref'] }) };
    const { app } = gatedStage({ ruleSets: ['EduSecurityChecks', 'AwsSolutions', 'ControlTower'], eduRules: [unresolvedRule] }, (stack) => {
      new sns.CfnTopic(stack, 'Topic');
      new s3.CfnBucket(stack, 'Plain');
    });
    expect(() => app.synth()).toThrow();
    const findings = findingsOfAssembly(app.outdir);
    const byRule = (id: string) => findings.find((f) => f.ruleId === id);
    expect(byRule('EduSecurity-LOG1-TestUnresolved-Unresolved[KmsKeyId=Ref]')).toMatchObject({ control: 'LOG-1', severity: 'warning', resource: 'Topic', ruleSet: 'EduSecurityChecks' });
    expect(byRule('AwsSolutions-S10')).toMatchObject({ control: 'DATA-2', severity: 'error', resource: 'Plain', templatePath: 'assembly-Dev/DevDataF961E460.template.json' });
    expect(byRule('CT.S3.PR.10')).toMatchObject({ control: 'DATA-1', severity: 'error', resource: 'Plain', ruleSet: 'ControlTower' });
    expect(byRule('CT.S3.PR.4')).toMatchObject({ control: null, severity: 'warning' });
  });

  test('synth does not fail when the gate finds nothing blocking (warnings only)', () => {
    const app = newApp();
    new sns.CfnTopic(new Stack(app, 'Solo'), 'Topic');
    attachPolicyGate(app, { ruleSets: ['EduSecurityChecks'], eduRules: [alwaysWarn] });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('cache of Control Tower findings', () => {
  const saved = process.env.EDU_BASELINE_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.EDU_BASELINE_CACHE_DIR;
    else process.env.EDU_BASELINE_CACHE_DIR = saved;
  });
  const bucket = (stack: Stack) => new s3.CfnBucket(stack, 'Bucket');
  const controlTowerOnly: PolicyGateOptions = { ruleSets: ['ControlTower'], controlTowerServices: ['s3'] };
  // The bare bucket fails Control Tower; the report, not the exception, is what is compared.
  const reportOnly = { '@aws-cdk/core:failSynthOnValidationErrors': false };
  const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')) : []);

  test('is used by default, not with -c gate-cache=off, and an explicit folder or false wins over both', () => {
    const root = mkdtempSync(join(tmpdir(), 'edu-gate-cache-'));
    outdirs.push(root);
    process.env.EDU_BASELINE_CACHE_DIR = join(root, 'default');
    const findingsOf = (app: App) => report(app).find((r) => r.pluginName === 'ControlTower')?.violations.map((v) => v.ruleName).sort();

    const off = gatedStage(controlTowerOnly, bucket, { ...reportOnly, 'gate-cache': 'off' }).app;
    off.synth();
    expect(entries(join(root, 'default'))).toEqual([]);

    const on = gatedStage(controlTowerOnly, bucket, reportOnly).app;
    on.synth();
    expect(entries(join(root, 'default'))).toHaveLength(1);
    expect(findingsOf(on)).toEqual(findingsOf(off));
    expect(findingsOf(on)).toContain('CT.S3.PR.1');

    const explicit = gatedStage({ ...controlTowerOnly, controlTowerCache: join(root, 'explicit') }, bucket, { ...reportOnly, 'gate-cache': 'off' }).app;
    explicit.synth();
    expect(entries(join(root, 'explicit'))).toHaveLength(1);

    const none = gatedStage({ ...controlTowerOnly, controlTowerCache: false }, bucket, reportOnly).app;
    none.synth();
    expect(findingsOf(none)).toEqual(findingsOf(off));
    expect(entries(join(root, 'default'))).toHaveLength(1);
  });
});

describe('Control Tower starts when the gate\'s first rule set begins', () => {
  const CT_ONLY: PolicyGateOptions = { ruleSets: ['EduSecurityChecks', 'ControlTower'], controlTowerCache: false };
  const template = (dir: string, name: string, encrypted: boolean): string => {
    const path = join(dir, name);
    const props = encrypted ? { Size: 8, AvailabilityZone: 'us-east-1a', Encrypted: true } : { Size: 8, AvailabilityZone: 'us-east-1a' };
    writeFileSync(path, JSON.stringify({ Resources: { Volume: { Type: 'AWS::EC2::Volume', Properties: props } } }));
    return path;
  };
  const app = newApp();
  /** What aws-cdk-lib passes a plugin for these templates. */
  const context = (templatePaths: string[]): IPolicyValidationContext => ({
    templatePaths,
    stackTemplates: templatePaths.map((templatePath) => ({ stackConstructPath: 'Dev/Data', templatePath, accountId: undefined, region: undefined })),
    appConstruct: app,
  });
  const ctRules = (report: { violations: { ruleName: string }[] }): string[] => report.violations.map((v) => v.ruleName).filter((r) => r.startsWith('CT.'));

  test('in a synth, its run is started before EduSecurityChecks runs and its findings are those of a run in its own turn', () => {
    const timings = join(mkdtempSync(join(tmpdir(), 'edu-timings-')), 'gate.jsonl');
    const previous = process.env[GATE_TIMINGS_ENV];
    process.env[GATE_TIMINGS_ENV] = timings;
    try {
      const { app } = gatedStage(CT_ONLY, (stack) => new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'us-east-1a', size: 8 }));
      expect(() => app.synth()).toThrow(/CT\.EC2\.PR\.7/);
      const order = readFileSync(timings, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { ruleSet: string }).ruleSet);
      expect(order).toEqual(['ControlTower (started early)', 'EduSecurityChecks', 'ControlTower']);
      expect(report(app).find((r) => r.pluginName === 'ControlTower')?.violations.map((v) => v.ruleName)).toContain('CT.EC2.PR.7');
    } finally {
      if (previous === undefined) delete process.env[GATE_TIMINGS_ENV];
      else process.env[GATE_TIMINGS_ENV] = previous;
    }
  });

  test('a run started for other templates, or for the same files before they changed, is not used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edu-early-'));
    outdirs.push(dir);
    const ct = attachPolicyGate(app, CT_ONLY)[1];
    const open = template(dir, 'open.json', false);
    const closed = template(dir, 'closed.json', true);
    // Started for another template: the rule set evaluates its own.
    ct.prepare(context([open]));
    expect(ctRules(ct.validate(context([closed])))).toEqual([]);
    // Started for the same path, whose bytes then changed: evaluated again.
    ct.prepare(context([closed]));
    template(dir, 'closed.json', false);
    expect(ctRules(ct.validate(context([closed])))).toContain('CT.EC2.PR.7');
  });
});

describe('aws-cdk-lib\'s built-in validation runs between the cdk-nag packs and Control Tower, once, where aws-cdk-lib would run it', () => {
  const registered = (scope: App | Stage): string[] => scope._validationPlugins.map((p) => p.name);
  const NAMES = ['EduSecurityChecks', 'AwsSolutions', 'NIST.800.53.R5', 'CloudFormation Validate', 'ControlTower'];

  test('on an App with built-in validation on, it is registered before Control Tower', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')) });
    outdirs.push(app.outdir);
    attachPolicyGate(app);
    expect(registered(app)).toEqual(NAMES);
    // aws-cdk-lib's own process-wide instance, so its engine is built once however many Apps are synthesized.
    const other = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')) });
    outdirs.push(other.outdir);
    attachPolicyGate(other);
    const builtin = (a: App) => a._validationPlugins.find((p) => p instanceof CloudFormationValidatePlugin);
    expect(builtin(other)).toBe(builtin(app));
  });

  test('not with builtinCloudFormationValidation: false, --no-validation (CDK_VALIDATION=false), one already registered, or on a Stage', () => {
    expect(registered((() => { const a = newApp(); attachPolicyGate(a); return a; })())).not.toContain('CloudFormation Validate');
    const previous = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'false';
    try {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')) });
      outdirs.push(app.outdir);
      attachPolicyGate(app);
      expect(registered(app)).not.toContain('CloudFormation Validate');
    } finally {
      if (previous === undefined) delete process.env.CDK_VALIDATION;
      else process.env.CDK_VALIDATION = previous;
    }
    const own = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')) });
    outdirs.push(own.outdir);
    Validations.of(own).addPlugins(new CloudFormationValidatePlugin({ includeDefaultRules: false }));
    attachPolicyGate(own);
    expect(registered(own).filter((n) => n === 'CloudFormation Validate')).toHaveLength(1);
    const staged = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')) });
    outdirs.push(staged.outdir);
    const stage = new Stage(staged, 'Dev');
    attachPolicyGate(stage);
    expect(registered(stage)).toEqual(NAMES.filter((n) => n !== 'CloudFormation Validate'));
  });

  test('its report is the one aws-cdk-lib gives without the gate: same findings, warnings, reported once', () => {
    const synthesized = (gate: boolean): PluginReportJson[] => {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edu-cfv-')), context: { '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:disable-creation-stack-traces': true } });
      outdirs.push(app.outdir);
      const stack = new Stack(new Stage(app, 'Dev'), 'Data');
      // A property CloudFormation's schema does not know: the built-in validation reports it.
      new s3.CfnBucket(stack, 'Bucket').addPropertyOverride('NotAProperty', true);
      if (gate) attachPolicyGate(app, { ruleSets: ['EduSecurityChecks', 'ControlTower'], controlTowerCache: false });
      app.synth();
      return report(app);
    };
    const builtin = (reports: PluginReportJson[]) => reports.filter((r) => r.pluginName === 'CloudFormation Validate');
    const gated = synthesized(true);
    const plain = synthesized(false);
    expect(gated.map((r) => r.pluginName)).toEqual(['EduSecurityChecks', 'CloudFormation Validate', 'ControlTower']);
    expect(builtin(gated)).toHaveLength(1);
    expect(builtin(gated)[0].violations.length).toBeGreaterThan(0);
    expect(builtin(gated)[0].violations.every((v) => v.severity === 'warning')).toBe(true);
    expect(builtin(gated)).toEqual(builtin(plain));
  }, 60_000);
});
