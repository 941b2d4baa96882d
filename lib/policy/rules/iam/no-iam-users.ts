import { EduRule, RuleOutcome } from '../../rule';
import { asArray } from '../../../cfn/values';

/**
 * IAM-2: no IAM users, login profiles, access keys or user-group membership;
 * also no policy attached to users (`Users` of AWS::IAM::Policy /
 * ManagedPolicy, AWS::IAM::UserPolicy), which would grant to a user created
 * outside the template. The finding sits on the resource that creates or
 * grants to the user.
 */
export const noIamUsersRule: EduRule = {
  id: 'IAM2-NoIamUsers',
  control: 'IAM-2',
  severity: 'error',
  resourceTypes: [
    'AWS::IAM::User',
    'AWS::IAM::AccessKey',
    'AWS::IAM::UserToGroupAddition',
    'AWS::IAM::UserPolicy',
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
  ],
  info:
    'The template creates an IAM user, login profile or access key, or grants a policy to IAM users. People sign in ' +
    'through IAM Identity Center: define an AWS::SSO::PermissionSet and an assignment to a group instead; workloads use roles.',
  explanation:
    'Long-lived IAM user passwords and access keys leak and outlive the people who hold them; access to student data ' +
    '(FERPA) must end when a relationship ends, which IAM Identity Center groups make auditable.',
  check(resource): RuleOutcome {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    switch (resource.Type) {
      case 'AWS::IAM::User':
        violations.push('IAMUser');
        if (props.LoginProfile !== undefined) violations.push('IAMUser.LoginProfile');
        break;
      case 'AWS::IAM::AccessKey':
        violations.push('AccessKey');
        break;
      case 'AWS::IAM::UserToGroupAddition':
        violations.push('UserToGroupAddition');
        break;
      case 'AWS::IAM::UserPolicy':
        violations.push('UserPolicy');
        break;
      default:
        if (asArray(props.Users).length > 0) violations.push('Users');
    }
    return { violations, unresolved: [] };
  },
};
