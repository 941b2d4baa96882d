import { CfnElement } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { secretsAreSecureStringRule as rule } from '../../../../lib/policy/rules/secret/secrets-are-secure-string';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const param = (props: Record<string, unknown>): TemplateResource => ({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x', ...props } });

describe('SECRET1-SecretsAreSecureString', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    new ssm.StringParameter(stack, 'Bucket', { parameterName: '/edu/dev/config/bucket-name', stringValue: 'lake' });
    const secret = new ssm.StringParameter(stack, 'Secret', { parameterName: '/edu/dev/riverside/secret', stringValue: 'placeholder' });
    const key = new ssm.StringParameter(stack, 'EdfiKey', { parameterName: '/edu/dev/riverside/key', stringValue: 'placeholder' });
    const tokens = new ssm.StringListParameter(stack, 'Tokens', { parameterName: '/edu/dev/api-tokens', stringListValue: ['a'] });
    new ssm.CfnParameter(stack, 'L1', { type: 'String', name: '/edu/dev/riverside/client-id', value: 'x', description: 'Ed-Fi API key for Riverside' });
    const id = (c: ssm.StringParameter | ssm.StringListParameter): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('fails String and StringList parameters whose name or description names a secret', () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          `${id(secret)}: Type=String:Name-segment=secret`,
          `${id(key)}: Type=String:Name-segment=key`,
          `${id(tokens)}: Type=StringList:Name-segment=api-tokens`,
          'L1: Type=String:Description-mentions=api_key',
        ].sort(),
      );
    });
  });

  it('reads Fn::Join names and warns when the type cannot be read', () => {
    const template = templateOf(
      {
        Joined: param({ Name: { 'Fn::Join': ['/', ['', 'edu', { Ref: 'Env' }, 'db_password']] } }),
        KmsKeyArn: param({ Name: '/edu/dev/kms-key-arn', Description: 'ARN of the lake key' }),
        Typed: param({ Type: { Ref: 'ParamType' }, Name: '/edu/dev/x/secret' }),
      },
      { Parameters: { Env: { Type: 'String' }, ParamType: { Type: 'String' } } },
    );
    expect(violations(template, rule)).toEqual(['Joined: Type=String:Name-segment=db_password']);
    expect(unresolvedWarnings(template, rule)).toEqual(['Typed: Type']);
  });
});

describe('SECRET1-SecretsAreSecureString: camelCase and settings about secrets (red team)', () => {
  const param = (name: unknown, description?: string): TemplateResource => ({
    Type: 'AWS::SSM::Parameter',
    Properties: { Name: name, Type: 'String', Value: 'x', ...(description ? { Description: description } : {}) },
  });

  it('flags camelCase and abbreviated secret segments', () => {
    const template = templateOf(
      {
        Master: param({ 'Fn::Sub': '/${App}/prod/rds/MasterUserPassword' }),
        Pass: param('/sis/prod/db_pass'),
        Pwd: param('/sis/prod/smtpPwd'),
      },
      { Parameters: { App: { Type: 'String', Default: 'sis-sync' } } },
    );
    expect(violations(template, rule)).toEqual([
      'Master: Type=String:Name-segment=MasterUserPassword',
      'Pass: Type=String:Name-segment=db_pass',
      'Pwd: Type=String:Name-segment=smtpPwd',
    ]);
  });

  it('accepts a setting about a secret, even when its description names the secret', () => {
    const template = templateOf({
      Ttl: param('/district/prod/auth/token-ttl-seconds', 'Lifetime of issued API tokens'),
      MinLength: param('/district/prod/auth/passwordMinLength'),
      Arn: param('/district/prod/warehouse/api-key-arn'),
      Bypass: param('/district/prod/proxy/bypass-list'),
    });
    expect(violations(template, rule)).toEqual([]);
  });
});
