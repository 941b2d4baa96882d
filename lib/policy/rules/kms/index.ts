import { EduRule } from '../../rule';

export const kmsRules: readonly EduRule[] = [];
