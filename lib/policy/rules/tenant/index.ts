import { EduRule } from '../../rule';

export const tenantRules: readonly EduRule[] = [];
