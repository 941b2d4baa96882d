import { listBranches } from './branches';
import { ingressRulesOf } from './ingress-rules';
import { prefixListWeight } from './prefix-lists';
import { CfnTemplate, TemplateResource } from './template';
import { asArray, intrinsicName, isRecord, referencedLogicalId } from './values';

/**
 * AWS quotas a template must fit to deploy (DEPLOY-4), read by the rule, the
 * config defaults, the stacks and the evidence report from this one place.
 */

/** "Maximum number of resources that you can declare in your AWS CloudFormation template" (CloudFormation User Guide, "Understand CloudFormation quotas"). */
export const STACK_RESOURCE_LIMIT = 500;

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

