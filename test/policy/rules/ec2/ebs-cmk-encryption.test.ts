import { CfnElement, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ebsCmkEncryptionRule as rule } from '../../../../lib/policy/rules/ec2/ebs-cmk-encryption';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('EC22-EbsCmkEncryption', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const kmsKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    const cmk = [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, kmsKey }) }];
    new ec2.Instance(stack, 'Good', { ...common, blockDevices: cmk });
    const awsKey = new ec2.Instance(stack, 'AwsKey', { ...common, blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }] });
    const none = new ec2.Instance(stack, 'NoMappings', { ...common });
    new ec2.LaunchTemplate(stack, 'GoodLt', { blockDevices: cmk });
    const plainLt = new ec2.LaunchTemplate(stack, 'PlainLt', { blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8) }] });
    new ec2.Volume(stack, 'GoodVolume', { availabilityZone: 'us-east-1a', size: Size.gibibytes(8), encrypted: true, encryptionKey: kmsKey });
    new ec2.CfnVolume(stack, 'L1Volume', { availabilityZone: 'us-east-1a', size: 8, encrypted: true, kmsKeyId: 'alias/aws/ebs' });
    const id = (c: ec2.Instance | ec2.LaunchTemplate): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('accepts CMK-encrypted devices and volumes; fails the AWS-managed key, unencrypted and undeclared root volumes', () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          `${id(awsKey)}: BlockDeviceMappings[0].Ebs.KmsKeyId=absent`,
          `${id(none)}: BlockDeviceMappings-absent(root-volume-not-cmk)`,
          `${id(plainLt)}: BlockDeviceMappings[0].Ebs.Encrypted-not-true`,
          `${id(plainLt)}: BlockDeviceMappings[0].Ebs.KmsKeyId=absent`,
          'L1Volume: KmsKeyId=alias/aws/ebs',
        ].sort(),
      );
    });
  });

  it('merges instance and launch template, skips ephemeral devices, reads Fn::If and warns on an imported key', () => {
    const cmk = { Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abc' };
    const template = templateOf({
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateName: 'lt', LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: cmk }] } } },
      FromLt: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateName: 'lt', Version: '1' } } },
      Ephemeral: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: [{ DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }, { DeviceName: '/dev/xvda', Ebs: cmk }] } },
      Branch: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { ...cmk, Encrypted: { 'Fn::If': ['C', true, false] } } }] } },
      Imported: { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'a', Encrypted: 'true', KmsKeyId: { 'Fn::ImportValue': 'ebs-key' } } },
    });
    expect(violations(template, rule)).toEqual(['Branch: BlockDeviceMappings[0].Ebs.Encrypted-not-true']);
    expect(unresolvedWarnings(template, rule)).toHaveLength(1);
    expect(unresolvedWarnings(template, rule)[0]).toMatch(/^Imported: KmsKeyId=/);
  });
});
