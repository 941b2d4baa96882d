import { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { foreignAccountReferenceDefaultRule as rule, foreignAccountReferenceRule } from '../../../../lib/policy/rules/env/foreign-account-reference';
import { templateOf, testStack, violations } from '../../../support/policy';

const PROD = '210987654321';

describe('ENV1-ForeignAccountReference', () => {
  describe('L2 constructs in a stack with a concrete account', () => {
    const stack = testStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantRead(new iam.AccountPrincipal(PROD));
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::edu-prod-lake/*`] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${PROD}:role/edu-prod-reader`] }));
    const own = foreignAccountReferenceRule(['123456789012']);
    const found = violations(stack, own);
    const bucketPolicy = stack.getLogicalId(bucket.policy!.node.defaultChild as CfnElement);
    const rolePolicy = stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as CfnElement);

    it('infers the own account from the key policy when not told', () => {
      expect(violations(stack, rule).sort()).toEqual(found.sort());
    });
    it("warns on the other environment's account as principal and as resource, not on the stack's own account", () => {
      expect(found.sort()).toEqual(
        [`${bucketPolicy}: PolicyDocument.Statement[0].Principal:account=${PROD}`, `${rolePolicy}: PolicyDocument.Statement[1].Resource:account=${PROD}`].sort(),
      );
    });
  });

  it('reads hand-written principals as bare IDs and ARNs, Fn::Join ARNs, trust policies, and ignores Deny and ${AWS::AccountId}', () => {
    const template = templateOf({
      Trust: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: [PROD, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }] }, Action: 'sts:AssumeRole' }] } },
      },
      Topic: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: ['t'],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } }, Action: 'sns:Publish', Resource: '*' },
              { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: `arn:aws:sns:us-east-1:${PROD}:x` },
            ],
          },
        },
      },
    });
    expect(violations(template, rule).sort()).toEqual(
      [`Topic: PolicyDocument.Statement[0].Principal:account=111122223333`, `Trust: AssumeRolePolicyDocument.Statement[0].Principal:account=${PROD}`].sort(),
    );
  });
  it('reads a permission set\'s policy as the accounts it is assigned to (DEPLOY-3), and still warns on any other account', () => {
    const set = (resource: string) => ({
      Type: 'AWS::SSO::PermissionSet',
      Properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', Name: 'x', InlinePolicy: { Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetDashboard', Resource: resource }] } },
    });
    const assign = (setId: string, account: string) => ({
      Type: 'AWS::SSO::Assignment',
      Properties: { InstanceArn: 'i', PermissionSetArn: { 'Fn::GetAtt': [setId, 'PermissionSetArn'] }, PrincipalId: 'g', PrincipalType: 'GROUP', TargetId: account, TargetType: 'AWS_ACCOUNT' },
    });
    const template = templateOf({
      DevSet: set('arn:aws:cloudwatch::123456789012:dashboard/edu-dev-platform'),
      DevAssign: assign('DevSet', '123456789012'),
      Bridge: set(`arn:aws:cloudwatch::${PROD}:dashboard/edu-prod-platform`),
      BridgeAssign: assign('Bridge', '123456789012'),
    });
    expect(violations(template, foreignAccountReferenceRule(['333333333333']))).toEqual([`Bridge: InlinePolicy.Statement[0].Resource:account=${PROD}`]);
  });
});
