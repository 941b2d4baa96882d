import { EduRule, RuleOutcome } from '../../rule';
import { cidrsOf, isAllTraffic, isOpenCidr, sgRulesOf } from '../../../cfn/security-groups';
import { referencedLogicalId } from '../../../cfn/values';

/**
 * NET-4: a security group states its egress. CloudFormation gives a group
 * without any egress rule "allow all outbound", so a group with no inline
 * SecurityGroupEgress and no AWS::EC2::SecurityGroupEgress resource pointing
 * at it (GroupId Ref/GetAtt) fails on the group. All-protocol or all-port
 * egress to the internet fails where it is written. CDK's
 * allowAllOutbound: false writes a placeholder rule (icmp to
 * 255.255.255.255/32) that allows nothing, and passes.
 */
export const restrictedEgressRule: EduRule = {
  id: 'NET4-RestrictedEgress',
  control: 'NET-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupEgress'],
  info:
    'Egress is unrestricted: the security group has no egress rule (CloudFormation then allows all outbound) or allows ' +
    'all protocols/ports to 0.0.0.0/0 or ::/0. In CDK set allowAllOutbound: false (and allowAllIpv6Outbound: false) and ' +
    'add only the needed rules, e.g. sg.addEgressRule(Peer.prefixList(endpoints), Port.tcp(443)).',
  explanation:
    'Open egress lets a compromised host ship student records (FERPA) anywhere; outbound traffic is limited to the VPC ' +
    'endpoints, the data sources and the warehouse.',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    const rules = sgRulesOf(resource, 'Egress');
    if (resource.Type === 'AWS::EC2::SecurityGroup' && rules.length === 0) {
      const separate = Object.values(context.template.Resources ?? {}).some(
        (r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && referencedLogicalId(r.Properties?.GroupId) === context.logicalId,
      );
      if (!separate) violations.push('SecurityGroupEgress-absent(all-outbound-allowed)');
    }
    for (const { path, rule } of rules) {
      if (!isAllTraffic(rule)) continue;
      for (const cidr of cidrsOf(rule, ['CidrIp', 'CidrIpv6'], context.template)) {
        if (cidr.state === 'unknown') unresolved.push(`${path}all-traffic-to-${cidr.label}`);
        else if (cidr.state === 'known' && isOpenCidr(cidr.text)) violations.push(`${path}all-traffic-to-${cidr.label}`);
      }
    }
    return { violations, unresolved };
  },
};
