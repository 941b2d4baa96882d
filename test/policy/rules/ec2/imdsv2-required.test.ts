import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { imdsv2RequiredRule as rule } from '../../../../lib/policy/rules/ec2/imdsv2-required';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('EC22-Imdsv2Required', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    new ec2.Instance(stack, 'ViaLaunchTemplate', { ...common, requireImdsv2: true });
    new ec2.Instance(stack, 'OnInstance', { ...common, httpTokens: ec2.HttpTokens.REQUIRED });
    const v1 = new ec2.Instance(stack, 'V1', { ...common });
    const optional = new ec2.Instance(stack, 'Optional', { ...common, httpTokens: ec2.HttpTokens.OPTIONAL });
    new ec2.LaunchTemplate(stack, 'GoodLt', { requireImdsv2: true });
    const badLt = new ec2.LaunchTemplate(stack, 'BadLt', {});
    new ec2.CfnInstance(stack, 'L1Good', { imageId: 'ami-1', metadataOptions: { httpTokens: 'required' } });
    new ec2.CfnInstance(stack, 'L1Bad', { imageId: 'ami-1', metadataOptions: { httpEndpoint: 'enabled' } });
    const id = (c: ec2.Instance | ec2.LaunchTemplate): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it("accepts requireImdsv2's launch template and HttpTokens on the instance; fails v1-capable instances and templates", () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          `${id(badLt)}: MetadataOptions.HttpTokens-absent`,
          `${id(optional)}: MetadataOptions.HttpTokens=optional`,
          `${id(v1)}: MetadataOptions.HttpTokens-absent`,
          'L1Bad: MetadataOptions.HttpTokens=absent',
        ].sort(),
      );
    });
  });

  it('reads hand-written launch templates by Ref, instance overrides, Fn::If, and warns on an external template', () => {
    const template = templateOf({
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } } },
      UsesLt: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
      Overrides: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' }, MetadataOptions: { HttpTokens: 'optional' } } },
      Branch: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpTokens: { 'Fn::If': ['C', 'required', 'optional'] } } } },
      External: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateName: { 'Fn::ImportValue': 'lt' }, Version: '1' } } },
    });
    expect(violations(template, rule).sort()).toEqual(['Branch: MetadataOptions.HttpTokens=optional', 'Overrides: MetadataOptions.HttpTokens=optional']);
    expect(unresolvedWarnings(template, rule)).toEqual(['External: HttpTokens-from-LaunchTemplateName=computed']);
  });
});

describe('EC22-Imdsv2Required: Auto Scaling launch configurations (red team)', () => {
  it('fails HttpTokens optional or absent on a launch configuration and passes required', () => {
    const lc = (metadata?: Record<string, unknown>): { Type: string; Properties: Record<string, unknown> } => ({
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', ...(metadata ? { MetadataOptions: metadata } : {}) },
    });
    const template = templateOf({ Optional: lc({ HttpEndpoint: 'enabled', HttpTokens: 'optional' }), Absent: lc(), Required: lc({ HttpTokens: 'required' }) });
    expect(violations(template, rule)).toEqual(['Optional: MetadataOptions.HttpTokens=optional', 'Absent: MetadataOptions.HttpTokens-absent']);
    expect(unresolvedWarnings(template, rule)).toEqual([]);
  });
});
