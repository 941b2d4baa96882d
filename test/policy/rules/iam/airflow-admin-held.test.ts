import * as sso from 'aws-cdk-lib/aws-sso';
import { airflowAdminHeldRule as rule } from '../../../../lib/policy/rules/iam/airflow-admin-held';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, violations } from '../../../support/policy';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1';
const assignment = (set: string, type: string, principal: string): TemplateResource => ({
  Type: 'AWS::SSO::Assignment',
  Properties: { InstanceArn: INSTANCE, PermissionSetArn: { 'Fn::GetAtt': [set, 'PermissionSetArn'] }, PrincipalType: type, PrincipalId: principal, TargetType: 'AWS_ACCOUNT', TargetId: '123456789012' },
});

describe('IAM5-AirflowAdminHeld', () => {
  describe('L1 constructs', () => {
    const stack = testStack();
    const admin = new sso.CfnPermissionSet(stack, 'Admin', { instanceArn: INSTANCE, name: 'AirflowAdmin' });
    const viewer = new sso.CfnPermissionSet(stack, 'Viewer', { instanceArn: INSTANCE, name: 'AirflowViewer' });
    const assign = (id: string, set: sso.CfnPermissionSet, type: string, principal: string): sso.CfnAssignment =>
      new sso.CfnAssignment(stack, id, { instanceArn: INSTANCE, permissionSetArn: set.attrPermissionSetArn, principalType: type, principalId: principal, targetType: 'AWS_ACCOUNT', targetId: '123456789012' });
    assign('AdminGroup', admin, 'GROUP', 'g-admins');
    assign('Viewers', viewer, 'GROUP', 'g-staff');
    assign('ViewerUser', viewer, 'USER', 'u-1');
    it('accepts the admin set on one group and view-only sets on anyone', () => {
      expect(violations(stack, rule)).toEqual([]);
    });
  });

  it('warns when the admin set goes to a user or to several principals', () => {
    const template = templateOf({
      Admin: { Type: 'AWS::SSO::PermissionSet', Properties: { InstanceArn: INSTANCE, Name: 'ops', Tags: [{ Key: 'role', Value: 'airflow-admin' }] } },
      ToGroup: assignment('Admin', 'GROUP', 'g-admins'),
      ToUser: assignment('Admin', 'USER', 'u-alice'),
    });
    expect(violations(template, rule).sort()).toEqual(
      ['ToGroup: airflow-admin-assigned-to-2-principals', 'ToUser: PrincipalType=USER', 'ToUser: airflow-admin-assigned-to-2-principals'].sort(),
    );
  });
});
