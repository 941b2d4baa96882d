import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { bootSignalRule as rule } from '../../../../lib/policy/rules/deploy/boot-signal';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const SIGNAL = '/opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Host --region ${AWS::Region}\n';
const POLICY = { ResourceSignal: { Count: 1, Timeout: 'PT15M' } };
const instance = (userData: unknown, creationPolicy?: unknown) => ({
  Type: 'AWS::EC2::Instance',
  ...(creationPolicy ? { CreationPolicy: creationPolicy } : {}),
  Properties: { ImageId: 'ami-0123456789abcdef0', ...(userData === undefined ? {} : { UserData: userData }) },
});

describe('DEPLOY5-BootSignal', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const base = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) };
    const signalled = new ec2.Instance(stack, 'Signalled', { ...base, resourceSignalTimeout: Duration.minutes(10) });
    signalled.userData.addCommands('mount -a');
    signalled.userData.addSignalOnExitCommand(signalled);
    const silent = new ec2.Instance(stack, 'Silent', base);
    silent.userData.addCommands('mount -a');
    const waiting = new ec2.Instance(stack, 'Waiting', { ...base, resourceSignalTimeout: Duration.minutes(10) });
    waiting.userData.addCommands('mount -a');
    const found = violations(stack, rule);

    it('accepts a CreationPolicy with the signal on exit; fails user data without the policy, and the policy without a signal', () => {
      expect(found).toEqual([
        expect.stringMatching(/^Silent[0-9A-F]+: CreationPolicy.ResourceSignal=absent$/),
        expect.stringMatching(/^Waiting[0-9A-F]+: UserData.cfn-signal=absent$/),
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('reads user data as Fn::Base64 of a string, Fn::Join and Fn::Sub', () => {
      const template = templateOf({
        B64: instance({ 'Fn::Base64': `#!/bin/bash\nset -e\nmount -a\n/opt/aws/bin/cfn-signal -e 0 --stack s --resource B64\n` }, POLICY),
        Join: instance({ 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\n', 'mount -a\n', '/opt/aws/bin/cfn-signal -e $? --stack ', { Ref: 'AWS::StackName' }, ' --resource Join\n']] } }, POLICY),
        Sub: instance({ 'Fn::Base64': { 'Fn::Sub': `#!/bin/bash\nmount -a\n${SIGNAL}` } }, POLICY),
        Cli: instance({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\naws cloudformation signal-resource --stack-name ${AWS::StackName} --logical-resource-id Cli --status SUCCESS --unique-id i\n' } }, POLICY),
        SubNoSignal: instance({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\nmount -a\n' } }, POLICY),
        NoPolicy: instance({ 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\n', SIGNAL]] } }),
        NoUserData: instance(undefined),
      });
      expect(violations(template, rule).sort()).toEqual(['NoPolicy: CreationPolicy.ResourceSignal=absent', 'SubNoSignal: UserData.cfn-signal=absent']);
    });

    it('judges an instance by its launch template\'s user data, and warns when that template is not in the file', () => {
      const template = templateOf({
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': '#!/bin/bash\nmount -a\n' } } } },
        FromLt: { Type: 'AWS::EC2::Instance', CreationPolicy: POLICY, Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        External: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '1' } } },
      });
      expect(violations(template, rule)).toEqual(['FromLt: UserData.cfn-signal=absent']);
      expect(unresolvedWarnings(template, rule)).toEqual(['External: UserData-from-LaunchTemplateId=lt-0123456789abcdef0']);
    });

    it('judges an Auto Scaling group by its launch template or launch configuration', () => {
      const template = templateOf({
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': { 'Fn::Sub': `#!/bin/bash\n${SIGNAL}` } } } } },
        Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', UserData: { 'Fn::Base64': '#!/bin/bash\nmount -a\n' } } },
        WithLt: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        WithLtSignalled: { Type: 'AWS::AutoScaling::AutoScalingGroup', CreationPolicy: POLICY, Properties: { MinSize: '1', MaxSize: '1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        WithLc: { Type: 'AWS::AutoScaling::AutoScalingGroup', CreationPolicy: POLICY, Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { Ref: 'Lc' } } },
      });
      expect(violations(template, rule).sort()).toEqual(['WithLc: UserData.cfn-signal=absent', 'WithLt: CreationPolicy.ResourceSignal=absent']);
    });

    it('warns (unresolved) when user data is partly a parameter and shows no signal', () => {
      const template = templateOf(
        { Host: instance({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\n${BootScript}\n' } }, POLICY) },
        { Parameters: { BootScript: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Host: UserData.cfn-signal=absent']);
    });
  });
});
