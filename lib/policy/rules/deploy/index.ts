import { EduRule } from '../../rule';
import { prefixListHeadroomRule } from './prefix-list-headroom';
import { securityGroupRuleQuotaRule } from './security-group-rule-quota';
import { stackResourceLimitRule } from './stack-resource-limit';
import { physicalNameLimits } from './physical-name-limits';

/**
 * DEPLOY-1..5: what AWS enforces at deploy time (key policies for service
 * principals, create-rollback behaviour, the identity account, quotas and name
 * limits, pinned images and boot signals), checked before anything deploys.
 */
export const deployRules: readonly EduRule[] = [
  prefixListHeadroomRule,
  securityGroupRuleQuotaRule,
  stackResourceLimitRule,
  physicalNameLimits,
];
