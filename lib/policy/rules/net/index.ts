import { EduRule } from '../../rule';

export const netRules: readonly EduRule[] = [];
