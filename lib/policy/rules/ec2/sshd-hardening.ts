import { EduRule, RuleOutcome } from '../../rule';
import { variantsOf } from '../../../cfn/branches';
import { launchSettingsOf } from '../../../cfn/launch-settings';
import { sshdFindings } from '../../../cfn/sshd-user-data';
import { userDataText } from '../../../cfn/user-data';

/**
 * EC2-1, sshd: the user data an instance launches with (its own or its
 * launch template's) sets `PasswordAuthentication no`,
 * `KbdInteractiveAuthentication no` (or the older
 * `ChallengeResponseAuthentication no`) and `PermitRootLogin no`, and never
 * turns passwords or root login on (`... yes`, `chpasswd`, `ssh_pwauth: true`,
 * setting a password with passwd/usermod). Missing settings in user data
 * that is partly unknown are reported as unresolved; an enabling line is a
 * violation wherever it is. Each Fn::If combination is judged on its own
 * (one unhardened branch fails). Findings name the line, never its content.
 * Auto Scaling launch configurations are judged on their own UserData.
 */
export const sshdHardeningRule: EduRule = {
  id: 'EC21-SshdHardening',
  control: 'EC2-1',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  info:
    'The user data does not harden sshd (PasswordAuthentication no, KbdInteractiveAuthentication no, PermitRootLogin no) ' +
    'or turns password/root login on. Use the SshOnlyInstance construct, or add sshdHardeningCommands() from ' +
    'constructs/sshd-hardening.ts to the instance user data, and never set passwords in user data.',
  explanation:
    'Password and keyboard-interactive logins can be brute-forced and root login hides who acted; hosts that handle ' +
    'student records (FERPA) accept SSH keys for named users only.',
  check(resource, context): RuleOutcome {
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return { violations: [], unresolved: [] };
    const value = settings.get('UserData');
    if (value === undefined) {
      if (settings.externalTemplate !== undefined) return { violations: [], unresolved: [`UserData-from-${settings.externalTemplate}`] };
      return { violations: ['UserData-absent(sshd-not-hardened)'], unresolved: [] };
    }
    // Each Fn::If combination is a user data that may be deployed; every one must harden sshd.
    const violations = new Set<string>();
    const unresolved = new Set<string>();
    for (const variant of variantsOf(value)) {
      if (variant === undefined) {
        violations.add('UserData-absent(sshd-not-hardened)');
        continue;
      }
      const userData = userDataText(variant, context.template);
      const found = sshdFindings(userData.text);
      for (const f of found.forbidden) violations.add(`UserData:line${f.line}:${f.id}`);
      for (const id of found.missing) (userData.partlyUnknown ? unresolved : violations).add(`UserData-missing:${id}`);
    }
    return { violations: [...violations], unresolved: [...unresolved] };
  },
};
