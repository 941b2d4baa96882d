import { isResourceLessAction } from '../../../../lib/cfn/resource-less-actions';
import { resourcelessWildcardRule as rule } from '../../../../lib/policy/rules/iam/resourceless-wildcard';
import { templateOf, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const role = (statement: unknown): TemplateResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statement } }],
  },
});

describe('IAM1-ResourcelessWildcard', () => {
  it('reports resource-less actions on * as a warning to acknowledge, statement object or list', () => {
    const template = templateOf({
      Agent: role({ Effect: 'Allow', Action: ['cloudwatch:PutMetricData', 'ec2:Describe*', 'logs:DescribeLogGroups'], Resource: '*' }),
      Caller: role([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: ['*'] }]),
      Scoped: role({ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*' }),
      Mixed: role({ Effect: 'Allow', Action: ['ec2:DescribeInstances', 's3:GetObject'], Resource: '*' }),
      NotAction: role({ Effect: 'Allow', NotAction: 'ec2:Describe*', Resource: '*' }),
    });
    expect(violations(template, rule).sort()).toEqual(
      ['Agent: Policies[0].PolicyDocument.Statement[0].Resource=*', 'Caller: Policies[0].PolicyDocument.Statement[0].Resource=*'].sort(),
    );
  });

  it('covers a wildcarded action only under a listed prefix pattern', () => {
    expect(isResourceLessAction('ec2:DescribeInstances')).toBe(true);
    expect(isResourceLessAction('ec2:Describe*')).toBe(true);
    expect(isResourceLessAction('ec2:DescribeVpc*')).toBe(true);
    expect(isResourceLessAction('ec2:*')).toBe(false);
    expect(isResourceLessAction('ec2:CreateNetworkInterface')).toBe(false);
    expect(isResourceLessAction('kms:ListAliases')).toBe(true);
    expect(isResourceLessAction('kms:List*')).toBe(false);
    expect(isResourceLessAction('xray:Put*')).toBe(false);
    expect(isResourceLessAction('iam:PassRole')).toBe(false);
  });
});
