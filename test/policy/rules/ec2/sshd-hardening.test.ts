import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { sshdHardeningCommands } from '../../../../constructs/sshd-hardening';
import { sshdHardeningRule as rule } from '../../../../lib/policy/rules/ec2/sshd-hardening';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const HARDENED = ['#!/bin/bash', 'cat > /etc/ssh/sshd_config.d/00.conf <<EOF', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin no', 'EOF'];
const instance = (userData: unknown): TemplateResource => ({ Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', KeyName: 'k', UserData: userData } });
const base64 = (lines: string[]): string => Buffer.from(lines.join('\n')).toString('base64');

describe('EC21-SshdHardening', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    const hardened = ec2.UserData.forLinux();
    hardened.addCommands(...sshdHardeningCommands());
    new ec2.Instance(stack, 'Hardened', { ...common, userData: hardened, requireImdsv2: true });
    const plain = new ec2.Instance(stack, 'Plain', { ...common });
    const weak = ec2.UserData.forLinux();
    weak.addCommands(...HARDENED.slice(1), "echo 'ec2-user:changeme' | chpasswd");
    const lt = new ec2.LaunchTemplate(stack, 'Lt', { userData: weak });
    const id = (c: ec2.Instance | ec2.LaunchTemplate): string => stack.getLogicalId(c.node.defaultChild as CfnElement);

    it("accepts the baseline's sshdHardeningCommands() and fails default user data and a launch template that sets a password", () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          `${id(lt)}: UserData:line7:chpasswd`,
          `${id(plain)}: UserData-missing:KbdInteractiveAuthentication-no`,
          `${id(plain)}: UserData-missing:PasswordAuthentication-no`,
          `${id(plain)}: UserData-missing:PermitRootLogin-no`,
        ].sort(),
      );
    });
  });

  describe('hand-written templates', () => {
    it('reads a base64 literal, Fn::Base64 of a string, Fn::Join and Fn::Sub', () => {
      const template = templateOf({
        Literal: instance(base64(HARDENED)),
        Base64: instance({ 'Fn::Base64': HARDENED.join('\n') }),
        Joined: instance({ 'Fn::Base64': { 'Fn::Join': ['\n', [...HARDENED, { 'Fn::Sub': 'aws s3 cp s3://${Bucket}/x /tmp/x' }]] } }),
        Sub: instance({ 'Fn::Base64': { 'Fn::Sub': [`${HARDENED.join('\n')}\necho \${Region}`, { Region: { Ref: 'AWS::Region' } }] } }),
        Sed: instance({
          'Fn::Base64': [
            '#!/bin/bash',
            "sed -i 's/^#\\?PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config",
            "sed -i 's|^PermitRootLogin .*|PermitRootLogin no|' /etc/ssh/sshd_config",
            '# ChallengeResponseAuthentication yes was the old default',
            'echo "ChallengeResponseAuthentication no" >> /etc/ssh/sshd_config',
          ].join('\n'),
        }),
        CloudConfig: instance({ 'Fn::Base64': ['#cloud-config', 'ssh_pwauth: false', 'runcmd:', '  - echo "KbdInteractiveAuthentication no" >> /etc/ssh/sshd_config', '  - echo "PermitRootLogin no" >> /etc/ssh/sshd_config'].join('\n') }),
      });
      expect(violations(template, rule)).toEqual([]);
    });

    it('fails enabling lines by line number, in either Fn::If branch, without echoing them', () => {
      const template = templateOf({
        Yes: instance({ 'Fn::Base64': [...HARDENED, 'echo "PasswordAuthentication yes" >> /etc/ssh/sshd_config'].join('\n') }),
        Root: instance({ 'Fn::Base64': [...HARDENED, 'PermitRootLogin prohibit-password'].join('\n') }),
        Passwd: instance({ 'Fn::Base64': [...HARDENED, 'echo secret | passwd --stdin ec2-user', 'usermod -p x root '].join('\n') }),
        Cloud: instance({ 'Fn::Base64': ['#cloud-config', 'ssh_pwauth: true', 'users:', '  - name: ops', '    lock_passwd: false', '    passwd: $6$hash'].join('\n') }),
        Branch: instance({ 'Fn::Base64': { 'Fn::If': ['C', HARDENED.join('\n'), '#!/bin/bash\necho hi'] } }),
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Branch: UserData-missing:KbdInteractiveAuthentication-no',
          'Branch: UserData-missing:PasswordAuthentication-no',
          'Branch: UserData-missing:PermitRootLogin-no',
          'Cloud: UserData-missing:KbdInteractiveAuthentication-no',
          'Cloud: UserData-missing:PasswordAuthentication-no',
          'Cloud: UserData-missing:PermitRootLogin-no',
          'Cloud: UserData:line2:ssh_pwauth-true',
          'Cloud: UserData:line5:lock_passwd-false',
          'Cloud: UserData:line6:passwd-set',
          'Passwd: UserData:line7:passwd-set',
          'Passwd: UserData:line8:passwd-set',
          'Root: UserData:line7:PermitRootLogin-not-no',
          'Yes: UserData:line7:PasswordAuthentication-yes',
        ].sort(),
      );
    });

    it('merges an instance with its launch template and warns when user data cannot be read', () => {
      const template = templateOf(
        {
          WithLt: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
          Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': HARDENED.join('\n') } } } },
          NoUserData: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } },
          Imported: instance({ 'Fn::Base64': { 'Fn::Join': ['\n', ['#!/bin/bash', { 'Fn::ImportValue': 'bootstrap-script' }]] } }),
          Param: instance({ 'Fn::Base64': { Ref: 'Script' } }),
        },
        { Parameters: { Script: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual(['NoUserData: UserData-absent(sshd-not-hardened)']);
      expect(unresolvedWarnings(template, rule).sort()).toEqual(
        [
          'Imported: UserData-missing:KbdInteractiveAuthentication-no',
          'Imported: UserData-missing:PasswordAuthentication-no',
          'Imported: UserData-missing:PermitRootLogin-no',
          'Param: UserData-missing:KbdInteractiveAuthentication-no',
          'Param: UserData-missing:PasswordAuthentication-no',
          'Param: UserData-missing:PermitRootLogin-no',
        ].sort(),
      );
    });
  });
});
