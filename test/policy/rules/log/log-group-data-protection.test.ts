import * as logs from 'aws-cdk-lib/aws-logs';
import { logGroupDataProtection as rule, REQUIRED_IDENTIFIERS } from '../../../../lib/policy/rules/log/log-group-data-protection';
import { templateOf, testStack, violations } from '../../../support/policy';

const arn = (name: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dataprotection::aws:data-identifier/${name}`]] });
const policy = (audit: string[], mask: string[]): Record<string, unknown> => ({
  Name: 'p', Version: '2021-06-01',
  Statement: [
    { Sid: 'audit', DataIdentifier: audit.map(arn), Operation: { Audit: { FindingsDestination: {} } } },
    { Sid: 'redact', DataIdentifier: mask.map((n) => `arn:aws:dataprotection::aws:data-identifier/${n}`), Operation: { Deidentify: { MaskConfig: {} } } },
  ],
});
const ALL = [...REQUIRED_IDENTIFIERS];

describe('LOG2-LogGroupDataProtection', () => {
  const stack = testStack();
  new logs.LogGroup(stack, 'Good', {
    dataProtectionPolicy: new logs.DataProtectionPolicy({
      identifiers: [logs.DataIdentifier.EMAILADDRESS, logs.DataIdentifier.NAME, logs.DataIdentifier.ADDRESS, logs.DataIdentifier.SSN_US, new logs.DataIdentifier('DateOfBirth'), logs.DataIdentifier.AWSSECRETKEY],
    }),
  });
  new logs.LogGroup(stack, 'EmailOnly', { dataProtectionPolicy: new logs.DataProtectionPolicy({ identifiers: [logs.DataIdentifier.EMAILADDRESS] }) });
  new logs.LogGroup(stack, 'None');

  it('accepts the CDK policy with all six identifiers; fails a partial one and none (L2)', () => {
    const missing = ALL.filter((i) => i !== 'EmailAddress');
    expect(violations(stack, rule)).toEqual([
      ...missing.map((i) => expect.stringMatching(new RegExp(`^EmailOnly[0-9A-F]+: Audit.DataIdentifier.${i}=absent$`))),
      ...missing.map((i) => expect.stringMatching(new RegExp(`^EmailOnly[0-9A-F]+: Deidentify.DataIdentifier.${i}=absent$`))),
      expect.stringMatching(/^None[0-9A-F]+: DataProtectionPolicy=absent$/),
    ]);
  });

  it('requires masking as well as auditing, and an Audit statement (JSON, object and string forms)', () => {
    const template = templateOf({
      Good: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: JSON.stringify(policy(ALL, ALL)) } },
      AuditOnly: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: { Statement: [policy(ALL, ALL).Statement as unknown[]][0].slice(0, 1) } } },
      NoDob: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(ALL, ALL.filter((i) => i !== 'DateOfBirth')) } },
      NoAudit: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: { Statement: (policy(ALL, ALL).Statement as unknown[]).slice(1) } } },
    });
    expect(violations(template, rule)).toEqual(['AuditOnly: DeidentifyStatement=absent', 'NoDob: Deidentify.DataIdentifier.DateOfBirth=absent', 'NoAudit: AuditStatement=absent']);
  });

  it('accepts an account-wide data-protection policy in the same template', () => {
    const template = templateOf({
      Account: { Type: 'AWS::Logs::AccountPolicy', Properties: { PolicyName: 'dp', PolicyType: 'DATA_PROTECTION_POLICY', PolicyDocument: JSON.stringify(policy(ALL, ALL)) } },
      Group: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    });
    expect(violations(template, rule)).toEqual([]);
  });
});
