import { EduRule } from '../../rule';

export const envRules: readonly EduRule[] = [];
