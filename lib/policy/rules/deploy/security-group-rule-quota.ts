import { ruleQuotaOf, ruleWeightOf } from '../../../cfn/quotas';
import { EduRule, RuleOutcome } from '../../rule';

/**
 * DEPLOY-4, rule quota: the rules of one AWS::EC2::SecurityGroup in each
 * direction, inline (SecurityGroupIngress / SecurityGroupEgress) and as
 * separate AWS::EC2::SecurityGroupIngress / Egress resources referring to it,
 * must fit the "Inbound or outbound rules per security group" quota (default
 * 60 each way). A rule with SourcePrefixListId / DestinationPrefixListId
 * weighs the referenced list's MaxEntries ("if you create a prefix list with
 * 20 maximum entries and you reference that prefix list in a security group
 * rule, this counts as 20 security group rules", Amazon VPC User Guide,
 * "Amazon VPC quotas"); every other rule weighs one. IPv4 and IPv6 rules are
 * counted together (the cautious reading). A list that cannot be counted (an
 * imported or AWS-managed pl- ID, a parameter) is reported as unresolved
 * unless the countable rules alone already exceed the quota. A raised quota
 * is read from the group's Metadata (RULE_QUOTA_METADATA).
 */
export const securityGroupRuleQuotaRule: EduRule = {
  id: 'DEPLOY4-SecurityGroupRuleQuota',
  control: 'DEPLOY-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  info:
    'The security group\'s rules in one direction weigh more than the rules-per-security-group quota (60 by default), a ' +
    'rule that references a prefix list counting as the list\'s MaxEntries. Lower the capacity of the referenced prefix ' +
    'lists (deployment.prefixListCapacity), trim or merge entries, split the rules over groups, or raise the quota with ' +
    'Service Quotas and declare it (deployment.securityGroupRuleQuota).',
  explanation:
    'EC2 refuses a security-group rule that would take the group over its quota, so the stack fails to deploy or to update ' +
    'when an allow-list grows.',
  check(resource, context): RuleOutcome {
    const quota = ruleQuotaOf(resource);
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const direction of ['Ingress', 'Egress'] as const) {
      const { weight, uncounted } = ruleWeightOf(context.logicalId, direction, context.template);
      if (weight > quota) violations.push(`${direction}-rules-weigh-${weight}-over-quota-${quota}`);
      else unresolved.push(...uncounted);
    }
    return { violations, unresolved };
  },
};
