import { EduRule } from '../../rule';
import { efsAccessPointRequiredRule } from './efs-access-point-required';
import { efsAccessRestrictedRule } from './efs-access-restricted';
import { efsCmkEncryptionRule } from './efs-cmk-encryption';
import { efsLifecycleRule } from './efs-lifecycle';

export const tempRules: readonly EduRule[] = [efsCmkEncryptionRule, efsAccessRestrictedRule, efsAccessPointRequiredRule, efsLifecycleRule];
