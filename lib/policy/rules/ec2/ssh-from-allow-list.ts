import { EduRule, RuleOutcome } from '../../rule';
import { coversTcpPort, sgRulesOf } from '../../../cfn/security-groups';

const CIDR_FIELDS = ['CidrIp', 'CidrIpv6'];

/**
 * EC2-1, SSH source: a security-group rule that admits TCP 22 (a port range
 * that includes it, or all traffic) names its source as a prefix list
 * (SourcePrefixListId, the allow-list built from config; NET1-SshFromAdminNetworks
 * checks that the list is an administrator one) or a
 * security group, never a CIDR. Decision: any CIDR fails, even a /32 or the
 * VPC's own range, because an address that is not in the allow-list has no
 * owner, purpose or expiry (NET-2); NET-1 separately fails /0.
 */
export const sshFromAllowListRule: EduRule = {
  id: 'EC21-SshFromAllowList',
  control: 'EC2-1',
  severity: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  info:
    'SSH (TCP 22) is admitted from a CIDR. Admit SSH only from the allow-list\'s administrator prefix lists (vpn or admin kinds): ' +
    'allowList.allowFrom(sg, Port.tcp(22), ["vpn", "admin"], ...) or ' +
    'SshOnlyInstance.allowSshFrom.',
  explanation:
    'SSH reaches hosts that handle student records (FERPA); only networks with a named owner, purpose and expiry on ' +
    'the allow-list may reach it.',
  check(resource): RuleOutcome {
    const violations: string[] = [];
    for (const { path, rule } of sgRulesOf(resource, 'Ingress')) {
      if (!coversTcpPort(rule, 22)) continue;
      for (const field of CIDR_FIELDS) if (rule[field] !== undefined) violations.push(`${path}${field}-to-port-22`);
    }
    return { violations, unresolved: [] };
  },
};
