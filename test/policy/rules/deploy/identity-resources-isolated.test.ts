import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { identityResourcesIsolatedRule as rule } from '../../../../lib/policy/rules/deploy/identity-resources-isolated';
import { templateOf, testStack, violations } from '../../../support/policy';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const set = { Type: 'AWS::SSO::PermissionSet', Properties: { InstanceArn: INSTANCE, Name: 'viewers' } };
const assignment = (targetId: unknown) => ({
  Type: 'AWS::SSO::Assignment',
  Properties: { InstanceArn: INSTANCE, PermissionSetArn: { 'Fn::GetAtt': ['Set', 'PermissionSetArn'] }, PrincipalId: 'g', PrincipalType: 'GROUP', TargetId: targetId, TargetType: 'AWS_ACCOUNT' },
});

describe('DEPLOY3-IdentityResourcesIsolated', () => {
  it('accepts a stack of Identity Center resources only (CDK metadata aside)', () => {
    const template = templateOf({ Set: set, Assign: assignment('111122223333'), CDKMetadata: { Type: 'AWS::CDK::Metadata' } });
    expect(violations(template, rule)).toEqual([]);
  });

  it('fails permission sets and assignments that share a stack with a workload resource (L1 in a CDK stack)', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const ps = new sso.CfnPermissionSet(stack, 'Set', { instanceArn: INSTANCE, name: 'viewers' });
    new sso.CfnAssignment(stack, 'Assign', {
      instanceArn: INSTANCE, permissionSetArn: ps.attrPermissionSetArn, principalId: 'g', principalType: 'GROUP', targetId: stack.account, targetType: 'AWS_ACCOUNT',
    });
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    expect(violations(stack, rule).sort()).toEqual([`Assign: stack-also-holds=1(${roleId}:AWS:IAM:Role)`, `Set: stack-also-holds=1(${roleId}:AWS:IAM:Role)`]);
  });

  it('fails an assignment that imports its target or permission set (hand-written template)', () => {
    const template = templateOf({ Set: set, Assign: assignment({ 'Fn::ImportValue': 'prod-account-id' }) });
    expect(violations(template, rule)).toEqual(['Assign: Fn:ImportValue']);
  });

  it('fails a workload stack that declares a permission set beside its bucket', () => {
    const template = templateOf({ Set: set, Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } });
    expect(violations(template, rule)).toEqual(['Set: stack-also-holds=1(Bucket:AWS:S3:Bucket)']);
  });
});
