import { Template } from 'aws-cdk-lib/assertions';
import { IdentityStage, permissionSetName } from '../../lib/stacks/identity-stack';
import { configFromText, exampleConfig, EXAMPLE_CONFIG, stableApp } from '../support/example-app';
import { readFileSync } from 'node:fs';

const config = exampleConfig();
const stage = new IdentityStage(stableApp(), 'identity', { config });
const template = Template.fromStack(stage.identity);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
const resources = Object.values(json.Resources);

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] };
const setsOf = (env: string) =>
  resources.filter((r) => r.Type === 'AWS::SSO::PermissionSet' && JSON.stringify(r.Properties.Tags).includes(`"Value":"${env}"`));
const actionsOf = (set: { Properties: Record<string, unknown> }): string[] =>
  ((set.Properties.InlinePolicy as { Statement: Statement[] } | undefined)?.Statement ?? []).flatMap((s) => [s.Action].flat());

test('snapshot is stable', () => {
  expect(json).toMatchSnapshot();
});

describe('DEPLOY-3 the identity stage', () => {
  test('deploys to the identity account and region of the config', () => {
    expect(stage.identity.account).toBe('333333333333');
    expect(stage.identity.region).toBe('us-east-1');
    expect(stage.identity.stackName).toBe('riverside-identity');
  });

  test('holds only AWS::SSO::* resources and no parameter, import or output', () => {
    expect(resources.every((r) => r.Type.startsWith('AWS::SSO::'))).toBe(true);
    const text = JSON.stringify(json);
    expect(text).not.toContain('Fn::ImportValue');
    expect(Object.keys((json as { Outputs?: object }).Outputs ?? {})).toEqual([]);
  });

  test('assigns each group to its environment account (TargetId = account ID)', () => {
    template.hasResourceProperties('AWS::SSO::Assignment', {
      InstanceArn: config.identity.instanceArn,
      PrincipalId: '906754e8a1-2b3c4d5e-1111-2222-3333-aaaabbbbcccc',
      PrincipalType: 'GROUP',
      TargetId: '222222222222',
      TargetType: 'AWS_ACCOUNT',
    });
    // analysts have no dev access: no assignment to the dev account for them
    const analystsInDev = resources.filter(
      (r) => r.Type === 'AWS::SSO::Assignment' && r.Properties.TargetId === '111111111111' && r.Properties.PrincipalId === '906754e8a1-2b3c4d5e-1111-2222-3333-aaaabbbbcccc',
    );
    expect(analystsInDev).toEqual([]);
    expect(resources.filter((r) => r.Type === 'AWS::SSO::Assignment')).toHaveLength(7);
  });

  test('names workload resources by ARNs built from the config', () => {
    const text = JSON.stringify(json);
    expect(text).toContain(':s3:::riverside-prod-lake-222222222222');
    expect(text).toContain('log-group:/riverside/prod/*');
    expect(text).toContain('alarm:riverside-prod-airflow-task-failures');
  });

  test('a config without identity is refused naming the field; the old key names its replacement', () => {
    const text = readFileSync(EXAMPLE_CONFIG, 'utf8');
    const withoutIdentity = text.replace(/^identity:\n( {2}.*\n)+/m, '');
    expect(() => configFromText(withoutIdentity)).toThrow(/identity: is required \(DEPLOY-3\)/);
    const old = text.replace(/^deployment:\n/m, 'deployment:\n  identityCenterInstanceArn: arn:aws:sso:::instance/ssoins-72230a7b1f3e9c5d\n');
    expect(() => configFromText(old)).toThrow(/deployment\.identityCenterInstanceArn: has moved \(DEPLOY-3\)/);
    const shared = text.replace('account: "333333333333"', 'account: "222222222222"');
    expect(() => configFromText(shared)).toThrow(/identity\.account: is also the account of environments\[1\] "prod"/);
  });
});

describe('IAM-4 production permission sets are the baseline\'s own policies', () => {
  const prod = setsOf('prod');

  test('no AWS-managed policy on people in production', () => {
    expect(prod).toHaveLength(4);
    for (const set of prod) expect(set.Properties.ManagedPolicies).toBeUndefined();
  });

  test('never object or list access, parameter values, decryption or unmasking', () => {
    for (const set of prod) {
      const actions = actionsOf(set);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => /^s3:(GetObject|ListBucket|\*)|^ssm:GetParameter|^kms:Decrypt|^logs:Unmask|^\*$/.test(a))).toEqual([]);
    }
  });

  test('view shows dashboards, alarms, metrics and stack status; read adds masked log events and configuration', () => {
    const byLevel = (level: string) => prod.find((s) => JSON.stringify(s.Properties.Tags).includes(`"Value":"${level}"`));
    const view = actionsOf(byLevel('view')!);
    expect(view).toEqual(expect.arrayContaining(['cloudwatch:GetDashboard', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'cloudformation:DescribeStacks']));
    expect(view.some((a) => a.startsWith('logs:'))).toBe(false);
    const read = actionsOf(byLevel('read')!);
    expect(read).toEqual(expect.arrayContaining([...view, 'logs:FilterLogEvents', 'logs:GetLogEvents', 's3:GetBucketPolicy', 'ec2:Describe*']));
  });

  test('developers write the lake in development only, per tenant prefix', () => {
    const devSet = setsOf('dev').find((s) => s.Properties.Name === 'riverside-dev-data-engineers');
    const text = JSON.stringify(devSet?.Properties.InlinePolicy);
    expect(text).toContain('s3:PutObject');
    expect(text).toContain('riverside-dev-lake-111111111111/tenant_code=riverside_isd/*');
    expect(text).toContain('alias/riverside-dev-data');
  });

  test('permission set names stay within 32 characters and unique', () => {
    expect(permissionSetName('short')).toBe('short');
    const a = permissionSetName('riverside-production-platform-admins');
    const b = permissionSetName('riverside-production-platform-adminz');
    expect(a.length).toBeLessThanOrEqual(32);
    expect(a).not.toBe(b);
  });
});
