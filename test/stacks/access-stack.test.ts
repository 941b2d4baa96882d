import { Match } from 'aws-cdk-lib/assertions';
import { buildStages, templateOf } from '../support/example-app';

const stages = buildStages();
const prod = templateOf(stages.prod.access);
const dev = templateOf(stages.dev.access);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function policyStatementsOf(template: typeof prod, roleLogicalIdPrefix: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

test('snapshot is stable', () => {
  expect(prod.toJSON()).toMatchSnapshot();
});

test('IAM-2 no IAM users, access keys or login profiles', () => {
  for (const t of [prod, dev]) {
    t.resourceCountIs('AWS::IAM::User', 0);
    t.resourceCountIs('AWS::IAM::AccessKey', 0);
  }
});

describe('IAM-3 warehouse integration role', () => {
  test('trusts only the configured Snowflake user with the external ID', () => {
    prod.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'riverside-prod-warehouse-integration',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::999999999999:user/sf-prod-s3-access' },
            Condition: { StringEquals: { 'sts:ExternalId': 'RIVERSIDE_PROD_SFCRole=3_f6e5d4c3b2a1' } },
          },
        ],
      },
    });
  });

  test('DATA-4 reads the lake only: no write action, objects under tenant prefixes only', () => {
    const statements = policyStatementsOf(prod, 'WarehouseIntegrationRole');
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.some((a) => /Put|Delete|Write|\*$/.test(a) && !/^kms:GenerateDataKey/.test(a))).toBe(false);
    const objectResources = JSON.stringify(statements.filter((s) => [s.Action].flat().includes('s3:GetObject*') || [s.Action].flat().includes('s3:GetObject')));
    expect(objectResources).toContain('/tenant_code=riverside_isd/*');
    expect(objectResources).toContain('/tenant_code=lakeside_charter/*');
  });
});

test('the orchestration role is assumable by EC2 only and reads secrets below its environment root', () => {
  prod.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'riverside-prod-orchestration',
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
  });
  const text = JSON.stringify(policyStatementsOf(prod, 'OrchestrationRole'));
  expect(text).toContain(':parameter/edu/prod/*');
  expect(text).not.toContain(':parameter/edu/dev');
  expect(text).not.toMatch(/"Resource":"\*"/);
});

test('DEPLOY-3 no Identity Center resource in a workload account stack', () => {
  for (const t of [prod, dev]) {
    expect(Object.values(t.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('AWS::SSO::'))).toEqual([]);
  }
});

test('LOG-5 the monitoring role is for SSO sessions of this account and reads no data', () => {
  prod.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'riverside-prod-monitoring',
    AssumeRolePolicyDocument: {
      Statement: [Match.objectLike({ Condition: { ArnLike: { 'aws:PrincipalArn': Match.anyValue() } } })],
    },
  });
  const text = JSON.stringify(policyStatementsOf(prod, 'MonitoringRole'));
  expect(text).not.toMatch(/s3:|ssm:|kms:|logs:GetLogEvents/);
});
