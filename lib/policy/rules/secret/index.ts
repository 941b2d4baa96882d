import { EduRule } from '../../rule';

export const secretRules: readonly EduRule[] = [];
