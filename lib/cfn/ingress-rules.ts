import { CfnTemplate } from './template';
import { asArray, intrinsicName, isRecord, referencedLogicalId } from './values';

/** One ingress rule of a security group, inline or in a separate AWS::EC2::SecurityGroupIngress resource. */
export interface LocatedIngress {
  /** Finding-ID prefix, e.g. `SecurityGroup[EfsSg].Ingress[0]` or `SecurityGroupIngress[FromCompute]`. */
  readonly at: string;
  readonly rule: Record<string, unknown>;
}

/**
 * Every ingress rule of the template security group `groupLogicalId`: its
 * inline SecurityGroupIngress list and the separate ingress resources whose
 * GroupId refers to it (Ref or Fn::GetAtt GroupId).
 */
export function ingressRulesOf(groupLogicalId: string, template: CfnTemplate): LocatedIngress[] {
  const resources = template.Resources ?? {};
  const group = resources[groupLogicalId];
  const found: LocatedIngress[] = asArray(group?.Properties?.SecurityGroupIngress)
    .filter(isRecord)
    .map((rule, i) => ({ at: `SecurityGroup[${groupLogicalId}].Ingress[${i}]`, rule }));
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::EC2::SecurityGroupIngress') continue;
    const props = resource.Properties ?? {};
    const target = props.GroupId ?? props.GroupName;
    if (intrinsicName(target) !== undefined && referencedLogicalId(target) === groupLogicalId) {
      found.push({ at: `SecurityGroupIngress[${id}]`, rule: props });
    }
  }
  return found;
}

/** The template security group a `SecurityGroups` entry refers to, if any. */
export function securityGroupRef(value: unknown, template: CfnTemplate): string | undefined {
  if (intrinsicName(value) === undefined) return undefined;
  const id = referencedLogicalId(value);
  return id !== undefined && template.Resources?.[id]?.Type === 'AWS::EC2::SecurityGroup' ? id : undefined;
}
