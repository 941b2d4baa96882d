import { EduRule } from '../../rule';
import { ebsCmkEncryptionRule } from './ebs-cmk-encryption';
import { imdsv2RequiredRule } from './imdsv2-required';
import { sshFromAllowListRule } from './ssh-from-allow-list';
import { sshKeyPairRule } from './ssh-key-pair';
import { sshdHardeningRule } from './sshd-hardening';
import { terminationProtectionRule } from './termination-protection';

export const ec2Rules: readonly EduRule[] = [
  sshKeyPairRule,
  sshdHardeningRule,
  sshFromAllowListRule,
  imdsv2RequiredRule,
  ebsCmkEncryptionRule,
  terminationProtectionRule,
];
