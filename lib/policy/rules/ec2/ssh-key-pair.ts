import { EduRule, RuleOutcome } from '../../rule';
import { launchSettingsOf } from '../../../cfn/launch-settings';
import { isRecord } from '../../../cfn/values';

/** True if the value, or one Fn::If branch of it, leaves the property unset. */
function mayBeAbsent(value: unknown): boolean {
  if (value === undefined || value === '' || (isRecord(value) && value.Ref === 'AWS::NoValue')) return true;
  const branches = isRecord(value) ? value['Fn::If'] : undefined;
  return Array.isArray(branches) && branches.length === 3 && (mayBeAbsent(branches[1]) || mayBeAbsent(branches[2]));
}

/**
 * EC2-1, key pair: an instance (on its merged view with its launch template)
 * or a launch template used outside this template's instances names a key
 * pair, so SSH works with keys and never needs a password. Auto Scaling
 * launch configurations are judged on their own KeyName.
 */
export const sshKeyPairRule: EduRule = {
  id: 'EC21-SshKeyPair',
  control: 'EC2-1',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  info:
    'The instance has no key pair (KeyName on the instance or its launch template). Set keyPair: ' +
    'KeyPair.fromKeyPairName(...) (or use the SshOnlyInstance construct) so that SSH uses keys only.',
  explanation:
    'Hosts that process student records (FERPA) are reached with SSH keys only; without a key pair, operators fall ' +
    'back to passwords, which are guessed and shared.',
  check(resource, context): RuleOutcome {
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return { violations: [], unresolved: [] };
    if (!mayBeAbsent(settings.get('KeyName'))) return { violations: [], unresolved: [] };
    if (settings.externalTemplate !== undefined) return { violations: [], unresolved: [`KeyName-from-${settings.externalTemplate}`] };
    return { violations: ['KeyName-absent'], unresolved: [] };
  },
};
