import { isTrue } from '../../../cfn/booleans';
import { EduRule, RuleOutcome } from '../../rule';
import { branchesOf, listBranches } from '../../../cfn/branches';
import { requireCustomerManagedKey } from '../../../cfn/kms-keys';
import { launchSettingsOf } from '../../../cfn/launch-settings';
import { isRecord } from '../../../cfn/values';

function requireEncryptedWithCmk(
  path: string,
  ebs: Record<string, unknown>,
  context: Parameters<EduRule['check']>[1],
  out: { violations: string[]; unresolved: string[] },
): void {
  if (!branchesOf(ebs.Encrypted).every((v) => isTrue(v))) out.violations.push(`${path}Encrypted-not-true`);
  requireCustomerManagedKey(`${path}KmsKeyId`, ebs.KmsKeyId, context.template, out);
}

/**
 * EC2-2, EBS: every EBS block device of an instance (merged with its launch
 * template) or launch template, and every AWS::EC2::Volume, is encrypted
 * with a customer-managed key (Encrypted true and KmsKeyId naming a CMK, see
 * lib/cfn/kms-keys.ts). An instance without BlockDeviceMappings boots
 * its root volume as the AMI defines it, which is not a CMK, and fails.
 * Ephemeral (VirtualName) and NoDevice mappings are skipped.
 */
export const ebsCmkEncryptionRule: EduRule = {
  id: 'EC22-EbsCmkEncryption',
  control: 'EC2-2',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::EC2::Volume'],
  info:
    'An EBS volume is not encrypted with a customer-managed key. Declare every block device, including the root ' +
    'volume: blockDevices: [{ deviceName: "/dev/xvda", volume: BlockDeviceVolume.ebs(size, { encrypted: true, kmsKey }) }]; ' +
    'for ec2.Volume set encrypted: true and encryptionKey.',
  explanation:
    'Volumes hold temporary copies of student records (FERPA); a customer-managed key keeps who can read snapshots and ' +
    'volumes under the platform\'s key policy and in the audit trail.',
  check(resource, context): RuleOutcome {
    const out = { violations: [] as string[], unresolved: [] as string[] };
    if (resource.Type === 'AWS::EC2::Volume') {
      requireEncryptedWithCmk('', resource.Properties ?? {}, context, out);
      return out;
    }
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return out;
    const mappings = settings.get('BlockDeviceMappings');
    if (mappings === undefined) {
      if (settings.externalTemplate !== undefined) out.unresolved.push(`BlockDeviceMappings-from-${settings.externalTemplate}`);
      else out.violations.push('BlockDeviceMappings-absent(root-volume-not-cmk)');
      return out;
    }
    listBranches(mappings).forEach((mapping, index) => {
      if (!isRecord(mapping) || mapping.VirtualName !== undefined || mapping.NoDevice !== undefined) return;
      const path = `BlockDeviceMappings[${index}].Ebs.`;
      if (!isRecord(mapping.Ebs)) {
        out.violations.push(`${path.slice(0, -1)}-absent`);
        return;
      }
      requireEncryptedWithCmk(path, mapping.Ebs, context, out);
    });
    return out;
  },
};
