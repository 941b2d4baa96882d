import { EduRule } from '../../rule';
import { keyRotationAndPolicy } from './key-rotation-and-policy';

export const kmsRules: readonly EduRule[] = [keyRotationAndPolicy];
