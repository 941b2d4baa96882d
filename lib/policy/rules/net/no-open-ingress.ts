import { isTrue } from '../../../cfn/booleans';
import { EduRule, RuleOutcome } from '../../rule';
import { listBranches } from '../../../cfn/branches';
import { cidrsOf, isOpenCidr, sgRulesOf } from '../../../cfn/security-groups';
import { isRecord } from '../../../cfn/values';

/**
 * NET-1: no ingress from the internet (0.0.0.0/0, ::/0, or any IPv4 range
 * wider than /8, IPv6 wider than /32) in security groups (inline or separate
 * ingress resources), network ACL allow entries, or allow-list prefix-list
 * entries (a prefix list used as an ingress source is the allow-list).
 * A CIDR that cannot be read (a parameter without default, an import) is
 * reported as unresolved; a VPC's own CidrBlock is internal and passes.
 */
export const noOpenIngressRule: EduRule = {
  id: 'NET1-NoOpenIngress',
  control: 'NET-1',
  severity: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry', 'AWS::EC2::PrefixList'],
  info:
    'Ingress is open to the internet (0.0.0.0/0, ::/0 or a range wider than /8). Allow ingress only from the managed ' +
    'prefix lists built from the allow-list (Peer.prefixList(allowList.prefixListId)) or from security groups ' +
    '(Peer.securityGroupId / connections.allowFrom).',
  explanation:
    'The platform holds student records (FERPA); only education-agency networks, orchestration compute, BI services, ' +
    'approved contractors and the VPN may reach it, each listed with an owner and purpose.',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    const judge = (path: string, rule: Record<string, unknown>, fields: readonly string[]): void => {
      for (const cidr of cidrsOf(rule, fields, context.template)) {
        if (cidr.state === 'unknown') unresolved.push(`${path}${cidr.label}`);
        else if (cidr.state === 'known' && isOpenCidr(cidr.text)) violations.push(`${path}${cidr.label}`);
      }
    };
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::EC2::NetworkAclEntry':
        if (isTrue(props.Egress) || String(props.RuleAction).toLowerCase() === 'deny') break;
        judge('', props, ['CidrBlock', 'Ipv6CidrBlock']);
        break;
      case 'AWS::EC2::PrefixList':
        listBranches(props.Entries).forEach((entry, index) => {
          if (isRecord(entry)) judge(`Entries[${index}].`, entry, ['Cidr']);
        });
        break;
      default:
        for (const { path, rule } of sgRulesOf(resource, 'Ingress')) judge(path, rule, ['CidrIp', 'CidrIpv6']);
    }
    return { violations, unresolved };
  },
};
