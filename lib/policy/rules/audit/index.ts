import { EduRule } from '../../rule';
import { cloudTrailTrailRule } from './cloudtrail-trail';

export const auditRules: readonly EduRule[] = [cloudTrailTrailRule];
