import { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { trustPolicyDefaultRule as rule, trustPolicyRule } from '../../../../lib/policy/rules/iam/trust-policy';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const role = (statement: unknown): TemplateResource => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statement } },
});
const assume = { Effect: 'Allow', Action: 'sts:AssumeRole' };

describe('IAM3-TrustPolicy', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const service = new iam.Role(stack, 'Service', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const warehouse = new iam.Role(stack, 'Warehouse', {
      assumedBy: new iam.ArnPrincipal('arn:aws:iam::210987654321:user/snowflake'),
      externalIds: ['edu_SFCRole=1_abc'],
    });
    const noExternalId = new iam.Role(stack, 'NoExternalId', { assumedBy: new iam.AccountPrincipal('210987654321') });
    const anyone = new iam.Role(stack, 'Anyone', {
      assumedBy: new iam.AnyPrincipal().withConditions({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }),
    });
    const oidc = new iam.Role(stack, 'Oidc', {
      assumedBy: new iam.FederatedPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      }, 'sts:AssumeRoleWithWebIdentity'),
    });
    const bareFederated = new iam.Role(stack, 'BareFederated', {
      assumedBy: new iam.FederatedPrincipal('arn:aws:iam::123456789012:saml-provider/idp', {}, 'sts:AssumeRoleWithSAML'),
    });
    // Own account written literally by a CDK stack with a concrete env.
    const own = new iam.Role(stack, 'OwnRoot', { assumedBy: new iam.AccountRootPrincipal() });
    const id = (r: iam.Role): string => stack.getLogicalId(r.node.defaultChild as CfnElement);

    it('accepts service principals, an external account with sts:ExternalId and conditioned federation', () => {
      const found = violations(stack, trustPolicyRule(['123456789012']));
      for (const ok of [service, warehouse, oidc, own]) expect(found.filter((f) => f.startsWith(id(ok)))).toEqual([]);
    });
    it('fails * (even with aws:PrincipalOrgID), a foreign account without ExternalId and bare federation', () => {
      expect(violations(stack, trustPolicyRule(['123456789012'])).sort()).toEqual(
        [
          `${id(anyone)}: AssumeRolePolicyDocument.Statement[0].Principal.AWS=*`,
          `${id(noExternalId)}: AssumeRolePolicyDocument.Statement[0].Principal.AWS=account-210987654321-without-sts:ExternalId`,
          `${id(bareFederated)}: AssumeRolePolicyDocument.Statement[0].Principal.Federated-without-Condition`,
        ].sort(),
      );
    });
    it('treats a literal account it cannot tell as its own as external', () => {
      expect(violations(stack, trustPolicyRule())).toContain(
        `${id(own)}: AssumeRolePolicyDocument.Statement[0].Principal.AWS=account-123456789012-without-sts:ExternalId`,
      );
    });
  });

  describe('hand-written templates', () => {
    it('reads Principal as "*", string or list, Statement as object or list', () => {
      const template = templateOf({
        Star: role({ ...assume, Principal: '*' }),
        List: role([{ ...assume, Principal: { AWS: ['arn:aws:iam::210987654321:root', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }] } }]),
        External: role({
          ...assume,
          Principal: { AWS: '210987654321' },
          Condition: { StringEquals: { 'sts:ExternalId': 'abc' } },
        }),
        WrongOperator: role({ ...assume, Principal: { AWS: '210987654321' }, Condition: { StringLike: { 'sts:ExternalId': '*' } } }),
        Wildcard: role({ ...assume, Principal: { AWS: 'arn:aws:iam::*:root' } }),
        Canonical: role({ ...assume, Principal: { CanonicalUser: 'abc' } }),
        NotPrincipal: role({ ...assume, NotPrincipal: { Service: 'ec2.amazonaws.com' } }),
        Services: role({ ...assume, Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } }),
        Deny: role([{ ...assume, Principal: { Service: 'ec2.amazonaws.com' } }, { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: '*' }]),
        SameTemplate: role({ ...assume, Principal: { AWS: { 'Fn::GetAtt': ['Services', 'Arn'] } } }),
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Canonical: AssumeRolePolicyDocument.Statement[0].Principal.CanonicalUser',
          'List: AssumeRolePolicyDocument.Statement[0].Principal.AWS=account-210987654321-without-sts:ExternalId',
          'NotPrincipal: AssumeRolePolicyDocument.Statement[0].NotPrincipal',
          'Star: AssumeRolePolicyDocument.Statement[0].Principal=*',
          'Wildcard: AssumeRolePolicyDocument.Statement[0].Principal.AWS=arn:aws:iam:*:root',
          'WrongOperator: AssumeRolePolicyDocument.Statement[0].Principal.AWS=account-210987654321-without-sts:ExternalId',
        ].sort(),
      );
    });

    it('judges both Fn::If branches and warns on a principal it cannot read', () => {
      const template = templateOf(
        {
          Branch: role({ ...assume, Principal: { AWS: { 'Fn::If': ['C', { Ref: 'AWS::AccountId' }, '*'] } } }),
          Param: role({ ...assume, Principal: { AWS: { Ref: 'TrustedArn' } } }),
          Imported: role({ ...assume, Principal: { AWS: { 'Fn::ImportValue': 'other-role' } } }),
        },
        { Parameters: { TrustedArn: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual(['Branch: AssumeRolePolicyDocument.Statement[0].Principal.AWS=*']);
      expect(unresolvedWarnings(template, rule).sort()).toEqual(
        ['Imported: AssumeRolePolicyDocument.Statement[0].Principal.AWS=${Fn:ImportValue}', 'Param: AssumeRolePolicyDocument.Statement[0].Principal.AWS=${TrustedArn}'].sort(),
      );
    });
  });

  describe('service principals are bound to a source (confused deputy)', () => {
    it('L2: flow-log and trail roles need aws:SourceAccount or aws:SourceArn; EC2 and Lambda roles are exempt', () => {
      const stack = testStack();
      const bare = new iam.Role(stack, 'BareFlowLogs', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
      new iam.Role(stack, 'BoundFlowLogs', {
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*' },
        }),
      });
      new iam.Role(stack, 'BoundTrail', {
        assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t' } }),
      });
      new iam.Role(stack, 'Host', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      new iam.Role(stack, 'Function', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const id = stack.getLogicalId(bare.node.defaultChild as CfnElement);
      expect(violations(stack, rule)).toEqual([
        `${id}: AssumeRolePolicyDocument.Statement[0].Principal.Service=vpc-flow-logs.amazonaws.com-without-aws:SourceAccount-or-aws:SourceArn`,
      ]);
    });

    it('JSON: open values, negated operators and IfExists do not bind; Fn::Sub values and aws:SourceOrgID do', () => {
      const service = { Service: 'cloudtrail.amazonaws.com' };
      const template = templateOf({
        Open: role({ ...assume, Principal: service, Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/*' } } }),
        Negated: role({ ...assume, Principal: service, Condition: { StringNotEquals: { 'aws:SourceAccount': '123456789012' } } }),
        IfExists: role({ ...assume, Principal: service, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' } } }),
        Sub: role({ ...assume, Principal: service, Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/t' } } } }),
        Join: role({ ...assume, Principal: { Service: ['config.amazonaws.com'] }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
        Org: role({ ...assume, Principal: service, Condition: { StringEquals: { 'aws:SourceOrgID': 'o-abcdef1234' } } }),
      });
      expect(violations(template, rule)).toEqual(
        ['Open', 'Negated', 'IfExists'].map((r) => `${r}: AssumeRolePolicyDocument.Statement[0].Principal.Service=cloudtrail.amazonaws.com-without-aws:SourceAccount-or-aws:SourceArn`),
      );
    });
  });
});
