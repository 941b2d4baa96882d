import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { logGroupCmkRetentionRule as rule } from '../../../../lib/policy/rules/log/log-group-cmk-retention';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('LOG1-LogGroupCmkRetention', () => {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  new logs.LogGroup(stack, 'Good', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });
  new logs.LogGroup(stack, 'Forever', { encryptionKey: key, retention: logs.RetentionDays.INFINITE });
  new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_MONTH });
  new logs.CfnLogGroup(stack, 'L1', { kmsKeyId: key.keyArn });

  it('accepts a CMK with a year; fails infinite, too short, unencrypted, absent retention (L2 and L1)', () => {
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Forever[0-9A-F]+: RetentionInDays=absent$/),
      expect.stringMatching(/^Short[0-9A-F]+: KmsKeyId=absent$/),
      expect.stringMatching(/^Short[0-9A-F]+: RetentionInDays=30$/),
      'L1: RetentionInDays=absent',
    ]);
  });

  it('reads JSON: string retention, key ARN strings; warns on parameters without default', () => {
    const template = templateOf(
      {
        Str: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', RetentionInDays: '400' } },
        Low: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', RetentionInDays: '90' } },
        Param: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { Ref: 'Key' }, RetentionInDays: { Ref: 'Days' } } },
      },
      { Parameters: { Key: { Type: 'String' }, Days: { Type: 'Number' } } },
    );
    expect(violations(template, rule)).toEqual(['Low: RetentionInDays=90']);
    expect(unresolvedWarnings(template, rule)).toEqual(['Param: KmsKeyId=Key', 'Param: RetentionInDays=unresolved']);
  });
});

describe('LOG1-LogGroupCmkRetention: retention chosen with Fn::If (red team)', () => {
  const group = (retention: unknown): ReturnType<typeof templateOf> =>
    templateOf({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', RetentionInDays: retention } } });

  it('fails when one branch keeps less than a year or never expires', () => {
    expect(violations(group({ 'Fn::If': ['IsProd', 731, 30] }), rule)).toEqual(['Logs: RetentionInDays=30']);
    expect(violations(group({ 'Fn::If': ['IsProd', 731, { Ref: 'AWS::NoValue' }] }), rule)).toEqual(['Logs: RetentionInDays=absent']);
    expect(unresolvedWarnings(group({ 'Fn::If': ['IsProd', 731, 30] }), rule)).toEqual([]);
  });

  it('passes when every branch keeps a year or more', () => {
    expect(violations(group({ 'Fn::If': ['IsProd', 731, '365'] }), rule)).toEqual([]);
  });
});
