import { ingressRulesOf } from '../../cfn/ingress-rules';
import { prefixListWeight } from '../../cfn/prefix-lists';
import { listBranches } from '../../cfn/branches';
import { asArray, intrinsicName, isRecord, referencedLogicalId } from '../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

/** AWS's default "Inbound or outbound rules per security group" (Amazon VPC User Guide, "Amazon VPC quotas"). */
export const DEFAULT_SECURITY_GROUP_RULE_QUOTA = 60;

/**
 * Security-group Metadata key with which a template declares a raised rule
 * quota (Service Quotas), e.g. `{ "edu-baseline:securityGroupRuleQuota": 120 }`;
 * the baseline writes it when `deployment.securityGroupRuleQuota` is set.
 */
export const RULE_QUOTA_METADATA = 'edu-baseline:securityGroupRuleQuota';

export type Direction = 'Ingress' | 'Egress';

/** What one direction of a security group weighs against the quota. */
export interface RuleWeight {
  /** Rules in the direction, a prefix-list rule counted as its MaxEntries (an uncountable list as one). */
  readonly weight: number;
  /** The prefix-list references that could not be counted, as finding IDs. */
  readonly uncounted: readonly string[];
}

/** The quota a group is judged against: a declared raised quota, else AWS's default. */
export function ruleQuotaOf(resource: TemplateResource): number {
  const declared = resource.Metadata?.[RULE_QUOTA_METADATA];
  return typeof declared === 'number' && Number.isInteger(declared) && declared > 0 ? declared : DEFAULT_SECURITY_GROUP_RULE_QUOTA;
}

/** The weight of the template security group `groupId`'s rules in one direction. */
export function ruleWeightOf(groupId: string, direction: Direction, template: CfnTemplate): RuleWeight {
  const field = direction === 'Ingress' ? 'SourcePrefixListId' : 'DestinationPrefixListId';
  let weight = 0;
  const uncounted: string[] = [];
  for (const { at, rule } of rulesOf(groupId, direction, template)) {
    if (rule[field] === undefined) {
      weight += 1;
      continue;
    }
    const list = prefixListWeight(rule[field], template);
    if (list.known) weight += list.weight;
    else {
      weight += 1;
      uncounted.push(`${direction}-uncountable-prefix-list:${at}.${field}=${list.label}`);
    }
  }
  return { weight, uncounted };
}

/** Every rule of the group in one direction: inline, and separate resources whose GroupId refers to it. */
function rulesOf(groupId: string, direction: Direction, template: CfnTemplate): Array<{ at: string; rule: Record<string, unknown> }> {
  if (direction === 'Ingress') {
    return ingressRulesOf(groupId, template).flatMap(({ at, rule }) => listBranches(rule).filter(isRecord).map((r) => ({ at, rule: r })));
  }
  const resources = template.Resources ?? {};
  const found = asArray(resources[groupId]?.Properties?.SecurityGroupEgress)
    .flatMap(listBranches)
    .filter(isRecord)
    .map((rule, i) => ({ at: `SecurityGroup[${groupId}].Egress[${i}]`, rule }));
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::EC2::SecurityGroupEgress') continue;
    const target = resource.Properties?.GroupId;
    if (intrinsicName(target) !== undefined && referencedLogicalId(target) === groupId) {
      found.push({ at: `SecurityGroupEgress[${id}]`, rule: resource.Properties ?? {} });
    }
  }
  return found;
}

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
