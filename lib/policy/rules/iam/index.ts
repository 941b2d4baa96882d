import { EduRule } from '../../rule';

export const iamRules: readonly EduRule[] = [];
