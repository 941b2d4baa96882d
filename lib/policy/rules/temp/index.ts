import { EduRule } from '../../rule';
import { efsAccessPointRequired } from './efs-access-point-required';
import { efsAccessRestricted } from './efs-access-restricted';
import { efsCmkEncryption } from './efs-cmk-encryption';
import { efsLifecycle } from './efs-lifecycle';

export const tempRules: readonly EduRule[] = [efsCmkEncryption, efsAccessRestricted, efsAccessPointRequired, efsLifecycle];
