import { EduRule } from '../../rule';

export const auditRules: readonly EduRule[] = [];
