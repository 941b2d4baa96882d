import { CfnElement, SecretValue } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { noIamUsersRule as rule } from '../../../../lib/policy/rules/iam/no-iam-users';
import { templateOf, testStack, violations } from '../../../support/policy';

describe('IAM2-NoIamUsers', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const user = new iam.User(stack, 'Person', { password: SecretValue.unsafePlainText('not-a-real-password') });
    const key = new iam.AccessKey(stack, 'Key', { user });
    iam.User.fromUserName(stack, 'Existing', 'existing').addToGroup(new iam.Group(stack, 'Group'));
    const id = (c: iam.User | iam.AccessKey): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('fails users, login profiles, access keys and group membership, and accepts roles', () => {
    const found = violations(stack, rule);
    expect(found).toHaveLength(4);
    expect(found).toEqual(
      expect.arrayContaining([
        `${id(user)}: IAMUser`,
        `${id(user)}: IAMUser.LoginProfile`,
        `${id(key)}: AccessKey`,
        expect.stringMatching(/^existingGroup[0-9A-Za-z]*: UserToGroupAddition$/),
      ]),
    );
    });
  });

  it('fails L1/hand-written users and policies granted to users, not role or group policies', () => {
    const template = templateOf({
      User: { Type: 'AWS::IAM::User', Properties: {} },
      UserPolicy: { Type: 'AWS::IAM::UserPolicy', Properties: { UserName: 'u', PolicyName: 'p', PolicyDocument: {} } },
      ToUsers: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Users: ['someone'], PolicyDocument: {} } },
      ToRoles: { Type: 'AWS::IAM::Policy', Properties: { Roles: ['r'], PolicyName: 'p', PolicyDocument: {} } },
      ToGroups: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Groups: ['g'], PolicyDocument: {} } },
    });
    expect(violations(template, rule).sort()).toEqual(['ToUsers: Users', 'User: IAMUser', 'UserPolicy: UserPolicy']);
  });
});
