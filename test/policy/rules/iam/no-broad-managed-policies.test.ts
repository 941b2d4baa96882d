import { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { noBroadManagedPoliciesRule as rule } from '../../../../lib/policy/rules/iam/no-broad-managed-policies';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const ec2Trust = new iam.ServicePrincipal('ec2.amazonaws.com');

describe('IAM1-NoBroadManagedPolicies', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const own = new iam.ManagedPolicy(stack, 'Own', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    new iam.Role(stack, 'Good', {
      assumedBy: ec2Trust,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'), own],
    });
    const admin = new iam.Role(stack, 'Admin', { assumedBy: ec2Trust, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
    const group = new iam.Group(stack, 'Group', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')] });
    new iam.CfnRole(stack, 'L1Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess', 'arn:aws:iam::aws:policy/job-function/SystemAdministrator'],
    });
    const found = violations(stack, rule);
    const id = (c: iam.Role | iam.Group): string => stack.getLogicalId(c.node.defaultChild as CfnElement);

    it('fails AWS-managed admin, power-user and full-access policies written with Fn::Join or literally', () => {
      expect(found.sort()).toEqual(
        [
          `${id(admin)}: ManagedPolicyArns[0]=AdministratorAccess`,
          `${id(group)}: ManagedPolicyArns[0]=PowerUserAccess`,
          'L1Role: ManagedPolicyArns[0]=AmazonS3FullAccess',
          'L1Role: ManagedPolicyArns[1]=job-function/SystemAdministrator',
        ].sort(),
      );
    });
  });

  describe('hand-written templates', () => {
    it('fails users and permission sets, allows power-user for people, warns on an unreadable ARN', () => {
      const template = templateOf(
        {
          User: { Type: 'AWS::IAM::User', Properties: { ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/IAMFullAccess' }] } },
          People: {
            Type: 'AWS::SSO::PermissionSet',
            Properties: { Name: 'dev-admin', InstanceArn: 'arn:aws:sso:::instance/x', ManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/PowerUserAccess'] },
          },
          Imported: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ 'Fn::ImportValue': 'shared-policy' }, { Ref: 'PolicyArn' }] } },
          Branch: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ 'Fn::If': ['C', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonEC2FullAccess'] }] } },
        },
        { Parameters: { PolicyArn: { Type: 'String' } } },
      );
      expect(violations(template, rule).sort()).toEqual(
        ['Branch: ManagedPolicyArns[0]=AmazonEC2FullAccess', 'People: ManagedPolicies[0]=AdministratorAccess', 'User: ManagedPolicyArns[0]=IAMFullAccess'].sort(),
      );
      expect(unresolvedWarnings(template, rule).sort()).toEqual(['Imported: ManagedPolicyArns[0]=${Fn:ImportValue}', 'Imported: ManagedPolicyArns[1]=${PolicyArn}'].sort());
    });
  });
});
