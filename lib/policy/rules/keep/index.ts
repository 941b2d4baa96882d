import { EduRule } from '../../rule';

export const keepRules: readonly EduRule[] = [];
