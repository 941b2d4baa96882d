import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { sshKeyPairRule as rule } from '../../../../lib/policy/rules/ec2/ssh-key-pair';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const instance = (props: Record<string, unknown>): TemplateResource => ({ Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', ...props } });
const lt = (data: Record<string, unknown>, name?: string): TemplateResource => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: { LaunchTemplateData: data, ...(name ? { LaunchTemplateName: name } : {}) },
});

describe('EC21-SshKeyPair', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    const keyPair = ec2.KeyPair.fromKeyPairName(stack, 'Key', 'ops');
    new ec2.Instance(stack, 'WithKey', { ...common, keyPair, requireImdsv2: true });
    const noKey = new ec2.Instance(stack, 'NoKey', { ...common, requireImdsv2: true });
    const ltNoKey = new ec2.LaunchTemplate(stack, 'LtNoKey', { requireImdsv2: true });
    new ec2.LaunchTemplate(stack, 'LtKey', { keyPair });
    const id = (c: ec2.Instance | ec2.LaunchTemplate): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('fails an instance without a key pair (not its requireImdsv2 launch template) and a standalone launch template', () => {
      expect(violations(stack, rule).sort()).toEqual([`${id(ltNoKey)}: KeyName-absent`, `${id(noKey)}: KeyName-absent`].sort());
    });
  });

  describe('hand-written templates', () => {
    it('merges an instance with its launch template referenced by Ref or by name', () => {
      const template = templateOf({
        ByRef: instance({ LaunchTemplate: { LaunchTemplateId: { Ref: 'KeyLt' }, Version: { 'Fn::GetAtt': ['KeyLt', 'LatestVersionNumber'] } } }),
        KeyLt: lt({ KeyName: 'ops' }),
        ByName: instance({ LaunchTemplate: { LaunchTemplateName: 'named', Version: '1' } }),
        NamedLt: lt({ ImageId: 'ami-1' }, 'named'),
        Own: instance({ KeyName: { Ref: 'KeyParam' }, LaunchTemplate: { LaunchTemplateName: 'named', Version: '1' } }),
        Branch: instance({ KeyName: { 'Fn::If': ['C', 'ops', { Ref: 'AWS::NoValue' }] } }),
      }, { Parameters: { KeyParam: { Type: 'AWS::EC2::KeyPair::KeyName' } } });
      expect(violations(template, rule).sort()).toEqual(['Branch: KeyName-absent', 'ByName: KeyName-absent']);
    });

    it('judges a launch template that an auto scaling group uses on its own, and warns on an external template', () => {
      const template = templateOf({
        AsgLt: lt({ ImageId: 'ami-1' }),
        Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'AsgLt' }, Version: '1' }, MaxSize: '1', MinSize: '1' } },
        External: instance({ LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '1' } }),
      });
      expect(violations(template, rule)).toEqual(['AsgLt: KeyName-absent']);
      expect(unresolvedWarnings(template, rule)).toEqual(['External: KeyName-from-LaunchTemplateId=lt-0123456789abcdef0']);
    });
  });
});

describe('EC21-SshKeyPair: Auto Scaling launch configurations (red team)', () => {
  it('fails a launch configuration without KeyName and passes one with it', () => {
    const lc = (props: Record<string, unknown>): TemplateResource => ({ Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', ...props } });
    expect(violations(templateOf({ NoKey: lc({}), WithKey: lc({ KeyName: 'ops' }) }), rule)).toEqual(['NoKey: KeyName-absent']);
  });
});
