import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CustomerManagedKey } from '../../../../constructs/customer-managed-key';
import { keyRotationAndPolicyRule as rule } from '../../../../lib/policy/rules/kms/key-rotation-and-policy';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const ROOT = { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' };
const key = (statements: unknown, props: Record<string, unknown> = { EnableKeyRotation: true }): CfnTemplate =>
  templateOf({ Key: { Type: 'AWS::KMS::Key', Properties: { ...props, KeyPolicy: { Version: '2012-10-17', Statement: statements } } } });

describe('KMS1-KeyRotationAndPolicy', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    new CustomerManagedKey(stack, 'Good', { alias: 'lake', description: 'lake' });
    const shared = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
    shared.grantDecrypt(new iam.AccountPrincipal('999999999999'));
    new kms.Key(stack, 'NoRotation');
    new kms.Key(stack, 'Slow', { enableKeyRotation: true, rotationPeriod: Duration.days(730) });
    new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });

    it('accepts CustomerManagedKey and asymmetric/HMAC keys without rotation; fails other accounts, no rotation, slow rotation', () => {
      expect(violations(stack, rule)).toEqual([
        expect.stringMatching(/^Shared[0-9A-F]+: KeyPolicy.Statement\[1\].Principal.AWS=account-999999999999$/),
        expect.stringMatching(/^NoRotation[0-9A-F]+: EnableKeyRotation=absent$/),
        expect.stringMatching(/^Slow[0-9A-F]+: RotationPeriodInDays=730$/),
      ]);
      expect(unresolvedWarnings(stack, rule)).toEqual([]);
    });
  });

  describe('hand-written templates', () => {
    it('accepts ${AWS::AccountId} roots, service principals and * pinned by kms:CallerAccount', () => {
      const template = key([
        ROOT,
        { Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*'], Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' }, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
      ]);
      expect(violations(template, rule)).toEqual([]);
    });

    it('fails * without condition, * with only kms:ViaService, NotPrincipal, string "false" rotation and foreign accounts', () => {
      const template = key(
        [
          ROOT,
          { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
          { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:role/x']] } }, Action: 'kms:Decrypt', Resource: '*' },
        ],
        { EnableKeyRotation: 'false' },
      );
      const withOwn = { ...template, Resources: { ...template.Resources, Other: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] }, EnableKeyRotation: true } } } };
      expect(violations(withOwn, rule)).toEqual([
        'Key: EnableKeyRotation=false',
        'Key: KeyPolicy.Statement[1].Principal=*',
        'Key: KeyPolicy.Statement[2].Principal=*',
        'Key: KeyPolicy.Statement[3].NotPrincipal',
        'Key: KeyPolicy.Statement[4].Principal.AWS=account-999999999999',
      ]);
    });

    it('warns when literal accounts cannot be compared with the deployment account', () => {
      const template = key([
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' },
      ]);
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual([
        'Key: KeyPolicy.Statement[0].Principal.AWS=arn:aws:iam:111111111111:root',
        'Key: KeyPolicy.Statement[1].Principal.AWS=arn:aws:iam:222222222222:root',
      ]);
      const resource = template.Resources?.Key;
      if (!resource) throw new Error('fixture');
      const outcome = rule.check(resource, { logicalId: 'Key', template, account: '111111111111' } as Parameters<typeof rule.check>[1]);
      expect(outcome).toEqual({ violations: ['KeyPolicy.Statement[1].Principal.AWS=account-222222222222'], unresolved: [] });
    });
  });
});

describe('KMS1-KeyRotationAndPolicy: the own account written with Fn::Sub (red team)', () => {
  it('reads arn:${AWS::Partition}:iam::${AWS::AccountId}:root as the own account, without an unresolved warning', () => {
    const template = templateOf({
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] },
        },
      },
    });
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule)).toEqual([]);
  });

  it('still fails Principal * whose only condition is kms:ViaService', () => {
    const template = templateOf({
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          EnableKeyRotation: 'true',
          KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:*', Resource: '*', Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } } }] },
        },
      },
    });
    expect(violations(template, rule)).toEqual(['Key: KeyPolicy.Statement[0].Principal=*']);
  });
});
