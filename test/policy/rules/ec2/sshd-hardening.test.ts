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

describe('EC21-SshdHardening: sed addresses, back-references, cloud-config strings, launch configurations (red team)', () => {
  const hardened = 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n';
  const instance = (text: string): TemplateResource => ({ Type: 'AWS::EC2::Instance', Properties: { KeyName: 'k', UserData: { 'Fn::Base64': text } } });

  it('fails an address-form sed that turns password logins back on after hardening', () => {
    const template = templateOf({ Host: instance(`#!/bin/bash\ncat > /etc/ssh/sshd_config.d/10.conf <<'C'\n${hardened}C\nsed -i -e '/^PasswordAuthentication/s/no/yes/' /etc/ssh/sshd_config.d/10.conf\n`) });
    expect(violations(template, rule)).toEqual(['Host: UserData:line7:PasswordAuthentication-yes']);
  });

  it('reads sed back-references: hardening with \\1 no passes, \\1 yes fails', () => {
    const line = (keyword: string, value: string): string => `sed -i -E 's/^#?[[:space:]]*(${keyword})[[:space:]].*/\\1 ${value}/' /etc/ssh/sshd_config`;
    const good = ['#!/bin/bash', line('PasswordAuthentication', 'no'), line('KbdInteractiveAuthentication', 'no'), line('PermitRootLogin', 'no')].join('\n');
    expect(violations(templateOf({ Host: instance(good) }), rule)).toEqual([]);
    const bre = "#!/bin/bash\nsed -i 's/^#\\?\\(PasswordAuthentication\\).*/\\1 yes/' /etc/ssh/sshd_config\n" + hardened;
    expect(violations(templateOf({ Host: instance(bre) }), rule)).toEqual(['Host: UserData:line2:PasswordAuthentication-yes']);
  });

  it('fails ssh_pwauth written as a quoted string or YAML 1.1 "on"', () => {
    for (const value of ['"True"', "'yes'", 'on']) {
      const text = `#cloud-config\nwrite_files:\n  - path: /etc/ssh/sshd_config.d/20.conf\n    content: |\n      ${hardened.split('\n').join('\n      ')}\nssh_pwauth: ${value}\n`;
      expect(violations(templateOf({ Host: instance(text) }), rule)).toEqual([expect.stringMatching(/^Host: UserData:line\d+:ssh_pwauth-true$/)]);
    }
  });

  it('judges an Auto Scaling launch configuration on its own user data', () => {
    const template = templateOf({
      Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', KeyName: 'k' } },
      Hardened: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', UserData: { 'Fn::Base64': `#!/bin/bash\n${hardened}` } } },
    });
    expect(violations(template, rule)).toEqual(['Lc: UserData-absent(sshd-not-hardened)']);
  });
});
