import { EduRule } from '../../rule';
import { keyRotationAndPolicyRule } from './key-rotation-and-policy';

export const kmsRules: readonly EduRule[] = [keyRotationAndPolicyRule];
