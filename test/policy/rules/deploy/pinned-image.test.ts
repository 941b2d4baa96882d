import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { pinnedImageRule as rule } from '../../../../lib/policy/rules/deploy/pinned-image';
import { templateOf, testStack, violations } from '../../../support/policy';

const SSM_IMAGE = { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64' };

describe('DEPLOY5-PinnedImage', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const base = { vpc, instanceType: new ec2.InstanceType('t3.micro') };
    new ec2.Instance(stack, 'Floating', { ...base, machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    new ec2.Instance(stack, 'Cached', { ...base, machineImage: ec2.MachineImage.latestAmazonLinux2023({ cachedInContext: true }) });
    new ec2.Instance(stack, 'Configured', { ...base, machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) });
    new ec2.LaunchTemplate(stack, 'FloatingTemplate', { machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const found = violations(stack, rule);

    it('warns on images resolved at deploy time (instance and launch template), not on a configured or context-cached one', () => {
      expect(found).toEqual([
        expect.stringMatching(/^Floating[0-9A-F]+: ImageId=ssm-parameter\(\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-6.1-x86_64\)$/),
        expect.stringMatching(/^FloatingTemplate[0-9A-F]+: ImageId=ssm-parameter\(\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-6.1-x86_64\)$/),
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('warns on {{resolve:ssm}} literal, in Fn::Sub and in Fn::Join, and on a launch template\'s resolve:ssm: ImageId', () => {
      const template = templateOf({
        Literal: { Type: 'AWS::EC2::Instance', Properties: { ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}' } },
        Sub: { Type: 'AWS::EC2::Instance', Properties: { ImageId: { 'Fn::Sub': '{{resolve:ssm:/golden/${AWS::Region}/ami}}' } } },
        Join: { Type: 'AWS::EC2::Instance', Properties: { ImageId: { 'Fn::Join': ['', ['{{resolve:ssm:', '/golden/ami', '}}']] } } },
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: 'resolve:ssm:/golden/ami' } } },
        Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: { Ref: 'LatestAmi' }, InstanceType: 't3.micro' } },
      }, { Parameters: { LatestAmi: SSM_IMAGE } });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Join: ImageId=resolve-ssm(/golden/ami)',
          'Lc: ImageId=ssm-parameter(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64)',
          'Literal: ImageId=resolve-ssm(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)',
          'Lt: ImageId=resolve-ssm(/golden/ami)',
          'Sub: ImageId=resolve-ssm(/golden/${AWS:Region}/ami)',
        ].sort(),
      );
    });

    it('judges an instance by its launch template\'s image, and accepts AMI IDs and AWS::EC2::Image::Id parameters', () => {
      const template = templateOf({
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: { Ref: 'LatestAmi' } } } },
        FromLt: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        Pinned: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-0123456789abcdef0' } },
        Chosen: { Type: 'AWS::EC2::Instance', Properties: { ImageId: { Ref: 'ChosenAmi' } } },
      }, { Parameters: { LatestAmi: SSM_IMAGE, ChosenAmi: { Type: 'AWS::EC2::Image::Id' } } });
      expect(violations(template, rule)).toEqual(['FromLt: ImageId=ssm-parameter(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64)']);
    });
  });
});
