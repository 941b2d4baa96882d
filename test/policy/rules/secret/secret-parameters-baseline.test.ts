import * as iam from 'aws-cdk-lib/aws-iam';
import { SecretParameters } from '../../../../constructs/secret-parameters';
import { envRules } from '../../../../lib/policy/rules/env';
import { iamRules } from '../../../../lib/policy/rules/iam';
import { secretRules } from '../../../../lib/policy/rules/secret';
import { testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe("the baseline's SecretParameters contract", () => {
  const stack = testStack();
  const secrets = new SecretParameters(stack, 'Secrets', {
    parameterRoot: '/edu/prod',
    keyAlias: 'riverside-prod-secrets',
    parameters: [
      { name: '/edu/prod/warehouse/password', purpose: 'Snowflake service account', maxAgeDays: 90 },
      { name: '/edu/prod/riverside_isd/key', purpose: 'Ed-Fi API key', maxAgeDays: 180, tenantCode: 'riverside_isd' },
      { name: '/edu/prod/riverside_isd/secret', purpose: 'Ed-Fi API secret', maxAgeDays: 180, tenantCode: 'riverside_isd' },
    ],
  });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  secrets.grantRead(reader, 'riverside_isd');
  const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  secrets.grantWrite(operator);
  const errorRules = [...secretRules, ...iamRules, ...envRules].filter((r) => r.severity === 'error');

  it('passes every SECRET and IAM error rule, with nothing left undecided', () => {
    expect(violations(stack, ...errorRules)).toEqual([]);
    expect(unresolvedWarnings(stack, ...errorRules)).toEqual([]);
  });
});
