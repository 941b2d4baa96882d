import { EduRule } from '../../rule';
import { tenantScopingRule } from './tenant-scoping';

export const tenantRules: readonly EduRule[] = [tenantScopingRule];
