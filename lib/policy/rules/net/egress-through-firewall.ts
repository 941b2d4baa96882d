import { asArray, isRecord, knownString, referencedLogicalId } from '../../cfn/values';
import { EduRule, RuleOutcome } from '../../rule';

const DEFAULT_ROUTES = new Set(['0.0.0.0/0', '::/0']);

/**
 * NET-4 on an egress firewall: once a template has an AWS Network Firewall,
 * no subnet may reach the internet around it. A default route (0.0.0.0/0 or
 * ::/0) that targets a NAT gateway is allowed only from a route table
 * associated with a firewall subnet (the firewall's own way out); from any
 * other subnet the workload's traffic would skip the firewall. Templates
 * without a Network Firewall are not judged: the firewall is optional, and
 * the security groups carry NET-4 there (NET4-RestrictedEgress).
 */
export const egressThroughFirewallRule: EduRule = {
  id: 'NET4-EgressThroughFirewall',
  control: 'NET-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Route'],
  info:
    'A subnet routes to the internet through a NAT gateway around the template\'s Network Firewall. Route the workload subnets\' ' +
    'default route to the firewall endpoint (VpcEndpointId) and only the firewall subnets to the NAT gateway (the EgressFirewall ' +
    'construct does).',
  explanation:
    'The firewall filters only what is routed through it; a single route around it gives the host an unfiltered path for student records.',
  check(resource, { template }): RuleOutcome {
    const props = resource.Properties ?? {};
    if (props.NatGatewayId === undefined) return { violations: [], unresolved: [] };
    const resources = Object.entries(template.Resources ?? {});
    const firewalls = resources.filter(([, r]) => r.Type === 'AWS::NetworkFirewall::Firewall');
    if (firewalls.length === 0) return { violations: [], unresolved: [] };
    const destination = knownString((props.DestinationCidrBlock ?? props.DestinationIpv6CidrBlock), template);
    if (destination === undefined) return { violations: [], unresolved: ['DestinationCidrBlock=unresolved'] };
    if (!DEFAULT_ROUTES.has(destination)) return { violations: [], unresolved: [] };
    const firewallSubnets = new Set(
      firewalls.flatMap(([, r]) => asArray(r.Properties?.SubnetMappings).map((m) => (isRecord(m) ? referencedLogicalId(m.SubnetId) : undefined))),
    );
    const table = referencedLogicalId(props.RouteTableId);
    if (table === undefined) return { violations: [], unresolved: ['RouteTableId=unresolved'] };
    const subnets = resources
      .filter(([, r]) => r.Type === 'AWS::EC2::SubnetRouteTableAssociation' && referencedLogicalId(r.Properties?.RouteTableId) === table)
      .map(([, r]) => referencedLogicalId(r.Properties?.SubnetId));
    if (subnets.length > 0 && subnets.every((s) => s !== undefined && firewallSubnets.has(s))) return { violations: [], unresolved: [] };
    const around = subnets.filter((s) => s === undefined || !firewallSubnets.has(s));
    return { violations: [`RouteTable[${table}]-${destination}-to-NatGateway-around-firewall(${around.map((s) => s ?? 'unresolved').join('+') || 'no-subnet'})`], unresolved: [] };
  },
};
