import { EduRule } from '../../rule';

export const logRules: readonly EduRule[] = [];
