import { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { scopedParameterReadRule as rule } from '../../../../lib/policy/rules/secret/scoped-parameter-read';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const policy = (statement: unknown): TemplateResource => ({
  Type: 'AWS::IAM::Policy',
  Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Statement: statement } },
});
const ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter';

describe('SECRET3-ScopedParameterRead', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'EdfiSecret', { parameterName: '/edu/dev/riverside/secret', encryptionKey: key }).grantRead(reader);
    reader.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParametersByPath'], resources: [`${ARN}/edu/dev/*`] }));
    const greedy = new iam.Role(stack, 'Greedy', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    greedy.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter*'], resources: ['*'] }));
    greedy.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: [`${ARN}/*`] }));
    greedy.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParametersByPath'], resources: [`${ARN}/edu/*`] }));
    greedy.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));
    const found = violations(stack, rule);
    const policyOf = (r: iam.Role): string => stack.getLogicalId(r.node.findChild('DefaultPolicy').node.defaultChild as CfnElement);

    it("accepts CDK's grantRead on one secret and a /<prefix>/<env>/ path", () => {
      expect(found.filter((f) => f.startsWith(policyOf(reader)))).toEqual([]);
    });
    it('fails *, parameter/*, a path above the environment and kms:Decrypt on *', () => {
      expect(found.sort()).toEqual(
        [
          `${policyOf(greedy)}: PolicyDocument.Statement[0].ssm:GetParameter-on-Resource=*`,
          `${policyOf(greedy)}: PolicyDocument.Statement[1].ssm:GetParameter-on-parameter/*(whole-account)`,
          `${policyOf(greedy)}: PolicyDocument.Statement[2].ssm:GetParameter-on-parameter/edu/*(not-env-scoped)`,
          `${policyOf(greedy)}: PolicyDocument.Statement[3].kms:Decrypt-on-Resource=*`,
        ].sort(),
      );
    });
  });

  describe('hand-written templates', () => {
    it('fails NotResource, NotAction that allows reads, and inline permission-set policies; resource ARNs of templates pass', () => {
      const template = templateOf({
        NotRes: policy({ Effect: 'Allow', Action: 'ssm:GetParameter', NotResource: `${ARN}/edu/prod/*` }),
        NotAct: policy([{ Effect: 'Allow', NotAction: ['iam:*', 'sts:*'], Resource: '*' }]),
        Ps: {
          Type: 'AWS::SSO::PermissionSet',
          Properties: { Name: 'x', InstanceArn: 'i', InlinePolicy: { Statement: { Effect: 'Allow', Action: ['ssm:*'], Resource: [`${ARN}*`] } } },
        },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v' } },
        Own: policy({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Param}' } }),
        Deny: policy({ Effect: 'Deny', Action: 'ssm:GetParameter', Resource: '*' }),
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'NotAct: PolicyDocument.Statement[0].kms:Decrypt-on-Resource=*',
          'NotAct: PolicyDocument.Statement[0].ssm:GetParameter-on-Resource=*',
          'NotRes: PolicyDocument.Statement[0].NotResource',
          'Ps: InlinePolicy.Statement[0].ssm:GetParameter-on-parameter*(whole-account)',
        ].sort(),
      );
    });

    it('resolves a path parameter default and warns on an environment it cannot read', () => {
      const template = templateOf(
        {
          Defaulted: policy({ Effect: 'Allow', Action: 'ssm:GetParametersByPath', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/edu/${Env}/*' } }),
          Unknown: policy({ Effect: 'Allow', Action: 'ssm:GetParametersByPath', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/edu/${Stage}/*' } }),
        },
        { Parameters: { Env: { Type: 'String', Default: 'prod' }, Stage: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Unknown: PolicyDocument.Statement[0].Resource=parameter/edu/${Stage}/*']);
    });
  });
});
