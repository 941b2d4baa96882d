import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { efsCmkEncryptionRule as rule } from '../../../../lib/policy/rules/temp/efs-cmk-encryption';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const fs = (props: Record<string, unknown>): TemplateResource => ({ Type: 'AWS::EFS::FileSystem', Properties: props });

describe('TEMP1-EfsCmkEncryption', () => {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new efs.FileSystem(stack, 'Good', { vpc, kmsKey: new kms.Key(stack, 'Key'), encrypted: true });
  new efs.FileSystem(stack, 'AwsKey', { vpc, encrypted: true });
  new efs.CfnFileSystem(stack, 'L1Plain', {});

  it('accepts an L2 file system with a template key; fails the AWS-managed default and an unencrypted L1', () => {
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^AwsKey[0-9A-F]+: KmsKeyId=absent$/),
      'L1Plain: Encrypted=absent',
      'L1Plain: KmsKeyId=absent',
    ]);
  });

  it('reads JSON templates: string booleans, alias/aws/elasticfilesystem by name and ARN, key ARN strings', () => {
    const template = templateOf({
      Good: fs({ Encrypted: 'true', KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abcd' }),
      Off: fs({ Encrypted: false, KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abcd' }),
      Alias: fs({ Encrypted: true, KmsKeyId: 'alias/aws/elasticfilesystem' }),
      AliasArn: fs({ Encrypted: true, KmsKeyId: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/elasticfilesystem' } }),
    });
    expect(violations(template, rule)).toEqual([
      'Off: Encrypted=false',
      'Alias: KmsKeyId=alias/aws/elasticfilesystem',
      'AliasArn: KmsKeyId=arn:${AWS:Partition}:kms:${AWS:Region}:${AWS:AccountId}:alias/aws/elasticfilesystem',
    ]);
  });

  it('warns on an imported key and a conditional Encrypted flag', () => {
    const template = templateOf({ Imp: fs({ Encrypted: { 'Fn::ImportValue': 'enc' }, KmsKeyId: { 'Fn::ImportValue': 'key' } }) });
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule)).toEqual(['Imp: Encrypted=unresolved', 'Imp: KmsKeyId=Fn:ImportValue_key']);
  });
});
