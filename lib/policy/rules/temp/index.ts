import { EduRule } from '../../rule';

export const tempRules: readonly EduRule[] = [];
