import { Tags } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { isReadOnlyAction, productionReadOnlyRule as rule } from '../../../../lib/policy/rules/iam/production-read-only';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1';
const ps = (props: Record<string, unknown>): TemplateResource => ({
  Type: 'AWS::SSO::PermissionSet',
  Properties: { InstanceArn: INSTANCE, ...props },
});
const prodTag = [{ Key: 'production', Value: 'true' }];

describe('IAM4-ProductionReadOnly', () => {
  describe('L1 constructs tagged by the stack', () => {
    const stack = testStack();
    Tags.of(stack).add('production', 'true');
    new sso.CfnPermissionSet(stack, 'Baseline', {
      instanceArn: INSTANCE,
      name: 'reader',
      inlinePolicy: {
        Statement: [
          { Effect: 'Allow', Action: ['cloudwatch:GetDashboard', 'logs:FilterLogEvents', 's3:GetBucketPolicy', 'ec2:Describe*', 'ssm:DescribeParameters'], Resource: '*' },
        ],
      },
    });
    new sso.CfnPermissionSet(stack, 'Viewer', {
      instanceArn: INSTANCE,
      name: 'viewer',
      managedPolicies: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      inlinePolicy: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:List*', 'kms:Decrypt'], Resource: '*' }] },
    });
    new sso.CfnPermissionSet(stack, 'Developer', {
      instanceArn: INSTANCE,
      name: 'developer',
      managedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      inlinePolicy: { Statement: { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::lake/*' } },
    });
    it('accepts the baseline\'s own read policy; fails every AWS-managed policy, data reads and writes in production', () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          'Developer: InlinePolicy.Statement[0].Action=s3:PutObject',
          'Developer: ManagedPolicies[0]=PowerUserAccess',
          'Viewer: InlinePolicy.Statement[0].Action=kms:Decrypt(data-read)',
          'Viewer: InlinePolicy.Statement[0].Action=s3:GetObject(data-read)',
          'Viewer: InlinePolicy.Statement[0].Action=s3:List*(data-read)',
          'Viewer: ManagedPolicies[0]=job-function/ViewOnlyAccess',
        ].sort(),
      );
    });
  });

  describe('IAM-4 sharpened: the baseline\'s own policies only', () => {
    it('fails ReadOnlyAccess, SecurityAudit and *FullAccess, literal or Fn::Join with the partition', () => {
      const template = templateOf({
        ReadOnly: ps({ Name: 'ro', Tags: prodTag, ManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }),
        Audit: ps({ Name: 'audit', Tags: prodTag, ManagedPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/SecurityAudit']] }] }),
        Full: ps({ Name: 'full', Tags: prodTag, ManagedPolicies: ['arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess'] }),
      });
      expect(violations(template, rule).sort()).toEqual(['Audit: ManagedPolicies[0]=SecurityAudit', 'Full: ManagedPolicies[0]=AmazonS3FullAccess', 'ReadOnly: ManagedPolicies[0]=ReadOnlyAccess']);
    });

    it('fails wildcards that reach objects, listings, parameter values, decryption or unmasking (JSON string or object)', () => {
      const statement = { Effect: 'Allow', Action: ['s3:Get*', 'ssm:GetParameter*', 'logs:Unmask', 'secretsmanager:GetSecretValue', 's3:GetBucketPolicy', 's3:ListAllMyBuckets'], Resource: '*' };
      const template = templateOf({
        AsString: ps({ Name: 'a', Tags: prodTag, InlinePolicy: JSON.stringify({ Statement: [statement] }) }),
        AsObject: ps({ Name: 'b', Tags: prodTag, InlinePolicy: { Statement: [statement, { Effect: 'Allow', Action: 'cloudwatch:Get*', NotResource: 'arn:aws:logs:*:*:log-group:x' }] } }),
      });
      // logs:Unmask is no read verb at all, so it fails as a non-read action.
      const expected = (id: string) => [
        ...['s3:Get*', 'ssm:GetParameter*', 'secretsmanager:GetSecretValue'].map((a) => `${id}: InlinePolicy.Statement[0].Action=${a}(data-read)`),
        `${id}: InlinePolicy.Statement[0].Action=logs:Unmask`,
      ];
      expect(violations(template, rule).sort()).toEqual([...expected('AsString'), ...expected('AsObject'), 'AsObject: InlinePolicy.Statement[1].NotResource'].sort());
    });

    it('view permission sets read no log events; read ones may', () => {
      const policy = { Statement: [{ Effect: 'Allow', Action: ['logs:FilterLogEvents', 'cloudwatch:GetDashboard'], Resource: 'arn:aws:logs:us-east-1:1:log-group:/x/*' }] };
      const template = templateOf({
        View: ps({ Name: 'v', Tags: [...prodTag, { Key: 'access_level', Value: 'view' }], InlinePolicy: policy }),
        Read: ps({ Name: 'r', Tags: [...prodTag, { Key: 'access_level', Value: 'read' }], InlinePolicy: policy }),
      });
      expect(violations(template, rule)).toEqual(['View: InlinePolicy.Statement[0].Action=logs:FilterLogEvents(data-read)']);
    });

    it('leaves development permission sets to IAM1-NoBroadManagedPolicies', () => {
      const template = templateOf({ Dev: ps({ Name: 'dev-ro', Tags: [{ Key: 'production', Value: 'false' }], ManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }) });
      expect(violations(template, rule)).toEqual([]);
    });
  });

  describe('hand-written templates', () => {
    it('fails write actions, wildcards and NotAction, written as object, JSON string or list', () => {
      const template = templateOf({
        Writes: ps({
          Name: 'ops',
          Tags: prodTag,
          InlinePolicy: JSON.stringify({
            Statement: [
              { Effect: 'Allow', Action: ['s3:Delete*', 'dynamodb:UpdateItem', 'ssm:SendCommand', 's3:*Object', 'logs:Get*'], Resource: '*' },
              { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
              { Effect: 'Deny', Action: '*', Resource: '*' },
            ],
          }),
        }),
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Writes: InlinePolicy.Statement[0].Action=dynamodb:UpdateItem',
          'Writes: InlinePolicy.Statement[0].Action=s3:*Object',
          'Writes: InlinePolicy.Statement[0].Action=s3:Delete*',
          'Writes: InlinePolicy.Statement[0].Action=ssm:SendCommand',
          'Writes: InlinePolicy.Statement[1].NotAction',
        ].sort(),
      );
    });

    it('uses the production tag first, then environment, then the name', () => {
      const admin = { ManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
      const template = templateOf({
        TaggedFalse: ps({ Name: 'ProdLookalike', Tags: [{ Key: 'production', Value: 'false' }], ...admin }),
        Environment: ps({ Name: 'ops', Tags: [{ Key: 'environment', Value: 'prod' }], ...admin }),
        Named: ps({ Name: 'EduProdEngineers', ...admin }),
        Dev: ps({ Name: 'edu-dev-engineers', Tags: [{ Key: 'environment', Value: 'dev' }], ...admin }),
        Product: ps({ Name: 'product-team', ...admin }),
      });
      expect(violations(template, rule).sort()).toEqual(['Environment: ManagedPolicies[0]=AdministratorAccess', 'Named: ManagedPolicies[0]=AdministratorAccess']);
    });

    it('warns when the production tag or a customer-managed policy cannot be read', () => {
      const template = templateOf(
        {
          Unknown: ps({ Name: 'x', Tags: [{ Key: 'production', Value: { Ref: 'IsProd' } }] }),
          Customer: ps({ Name: 'x', Tags: prodTag, CustomerManagedPolicyReferences: [{ Name: 'edu-readers' }] }),
        },
        { Parameters: { IsProd: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule).sort()).toEqual(['Customer: CustomerManagedPolicyReferences[0]=edu-readers', 'Unknown: Tags.production']);
    });
  });

  it('classifies action patterns by their literal verb', () => {
    expect(['s3:GetObject', 's3:Get*', 'ec2:Describe*', 'logs:FilterLogEvents', 'kms:Decrypt', 'dynamodb:BatchGetItem'].every(isReadOnlyAction)).toBe(true);
    expect(['s3:G*', 's3:*', '*', 'kms:Encrypt', 'iam:CreateUser', 'ssm:PutParameter', 'cloudformation:UpdateStack'].some(isReadOnlyAction)).toBe(false);
  });
});
