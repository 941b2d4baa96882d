import { EduRule } from '../../rule';
import { cloudTrailTrail } from './cloudtrail-trail';

export const auditRules: readonly EduRule[] = [cloudTrailTrail];
