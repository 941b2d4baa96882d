import { EduRule } from '../../rule';
import { prefixListHeadroomRule } from './prefix-list-headroom';
import { securityGroupRuleQuotaRule } from './security-group-rule-quota';
import { stackResourceLimitRule } from './stack-resource-limit';
import { physicalNameLimitsRule } from './physical-name-limits';
import { bootSignalRule } from './boot-signal';
import { identityResourcesIsolatedRule } from './identity-resources-isolated';
import { pinnedImageRule } from './pinned-image';
import { accessLogDestinationEncryptionRule } from './access-log-destination-encryption';
import { namedResourcesRetryRule } from './named-resources-retry';
import { serviceKeyPoliciesRule } from './service-key-policies';

/**
 * DEPLOY-1..5: what AWS enforces at deploy time (key policies for service
 * principals, create-rollback behaviour, the identity account, quotas and name
 * limits, pinned images and boot signals), checked before anything deploys.
 */
export const deployRules: readonly EduRule[] = [
  prefixListHeadroomRule,
  securityGroupRuleQuotaRule,
  stackResourceLimitRule,
  physicalNameLimitsRule,
  identityResourcesIsolatedRule,
  pinnedImageRule,
  bootSignalRule,
  serviceKeyPoliciesRule,
  accessLogDestinationEncryptionRule,
  namedResourcesRetryRule,
];
