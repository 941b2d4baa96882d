import { EduRule } from '../../rule';
import { tenantScoping } from './tenant-scoping';

export const tenantRules: readonly EduRule[] = [tenantScoping];
