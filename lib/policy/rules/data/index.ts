import { EduRule } from '../../rule';

export const dataRules: readonly EduRule[] = [];
