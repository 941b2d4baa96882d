import { Fn, Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import { Construct } from 'constructs';

/** Properties of an {@link EgressFirewall}. */
export interface EgressFirewallProps {
  /**
   * The VPC whose private subnets' internet traffic is filtered. It needs
   * NAT gateways in public subnets, private subnets with egress routed to
   * them, and one subnet per NAT gateway's zone in {@link firewallSubnetGroupName}.
   */
  readonly vpc: ec2.Vpc;
  /**
   * Domains the private subnets may reach over HTTPS (TLS SNI) and HTTP (Host
   * header). `api.example.org` matches that name only; `.example.org` matches
   * every subdomain of example.org (AWS Network Firewall domain-list syntax).
   */
  readonly allowedDomains: readonly string[];
  /**
   * The log group that receives the firewall's alert logs (every dropped
   * connection, with the domain it asked for).
   */
  readonly alertLogGroup: logs.ILogGroup;
  /**
   * The subnet group (as named in the VPC's subnetConfiguration) the firewall
   * endpoints live in: a /28 per zone, isolated, nothing else in it.
   * @default 'firewall'
   */
  readonly firewallSubnetGroupName?: string;
  /**
   * Prefix of the firewall, policy and rule-group names (letters, digits and
   * hyphens).
   * @default - a unique name derived from the construct path
   */
  readonly namePrefix?: string;
}

/**
 * Capacity of the domain rule group. A rule group's capacity cannot change
 * after creation ("You can't change or exceed this capacity when you update
 * the rule group", AWS Network Firewall Developer Guide, "Setting rule group
 * capacity"), so it is fixed: a domain list uses about one unit per domain and
 * target type, and the config admits at most {@link MAX_ALLOWED_DOMAINS}.
 */
export const DOMAIN_RULE_GROUP_CAPACITY = 1000;
/** The most domains the allow-list may hold (two target types each, within the fixed capacity). */
export const MAX_ALLOWED_DOMAINS = 400;

/**
 * An AWS Network Firewall between the private subnets and the NAT gateways
 * that passes HTTPS and HTTP only to named domains and drops everything else
 * (NET-4: the host's security group can only say "TCP 443 to anywhere",
 * because the Ed-Fi APIs and Snowflake sit behind addresses nobody controls).
 *
 * Routing, per NAT gateway (private subnet → firewall → NAT → internet):
 * - each private subnet's default route targets the firewall endpoint in the
 *   zone of the NAT gateway it used (an in-place route update: CloudFormation
 *   replaces only the route's target);
 * - the firewall subnet's default route targets that NAT gateway;
 * - the NAT gateway's subnet routes each private subnet's range back through
 *   the same endpoint, so the stateful engine sees both directions. A route
 *   more specific than the VPC's local route may target a firewall endpoint
 *   ("Subnet route tables", Amazon VPC User Guide: routing for middlebox
 *   appliances).
 *
 * One firewall per NAT gateway, each with one subnet: a firewall reports its
 * endpoints as an unordered `EndpointIds` list of `zone:vpce-id`, so a single
 * mapping is the only one whose endpoint a template can select without a
 * custom resource. Billing is per endpoint-hour either way.
 *
 * The policy runs the stateful engine in strict order with
 * `aws:drop_established` and `aws:alert_established` as default actions:
 * after the TCP handshake, a flow that no pass rule matched (a domain not in
 * the list, TLS without SNI, any other protocol) is dropped and logged
 * ("Stateful default actions", AWS Network Firewall Developer Guide).
 */
export class EgressFirewall extends Construct {
  /** The firewall policy shared by every firewall of the VPC. */
  public readonly policy: networkfirewall.CfnFirewallPolicy;
  /** One firewall per NAT gateway. */
  public readonly firewalls: readonly networkfirewall.CfnFirewall[];

  constructor(scope: Construct, id: string, props: EgressFirewallProps) {
    super(scope, id);
    if (props.allowedDomains.length === 0) {
      throw new Error(`${this.node.path}: allowedDomains is empty; the firewall would drop every connection. Name at least one domain.`);
    }
    if (props.allowedDomains.length > MAX_ALLOWED_DOMAINS) {
      throw new Error(`${this.node.path}: allowedDomains holds ${props.allowedDomains.length} domains; at most ${MAX_ALLOWED_DOMAINS} fit the rule group's fixed capacity.`);
    }
    const prefix = props.namePrefix ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    const groupName = props.firewallSubnetGroupName ?? 'firewall';
    const firewallSubnets = props.vpc.selectSubnets({ subnetGroupName: groupName }).subnets;

    const domains = new networkfirewall.CfnRuleGroup(this, 'Domains', {
      ruleGroupName: `${prefix}-egress-domains`,
      type: 'STATEFUL',
      capacity: DOMAIN_RULE_GROUP_CAPACITY,
      description: 'Domains the private subnets may reach over HTTPS and HTTP (NET-4)',
      ruleGroup: {
        statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
        rulesSource: {
          rulesSourceList: { generatedRulesType: 'ALLOWLIST', targetTypes: ['TLS_SNI', 'HTTP_HOST'], targets: [...props.allowedDomains] },
        },
      },
    });
    this.policy = new networkfirewall.CfnFirewallPolicy(this, 'Policy', {
      firewallPolicyName: `${prefix}-egress`,
      description: 'Private subnets to the internet: named domains only (NET-4)',
      firewallPolicy: {
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
        statefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
        statefulRuleGroupReferences: [{ resourceArn: domains.attrRuleGroupArn, priority: 100 }],
      },
    });

    const natByZone = new Map<string, { subnet: ec2.PublicSubnet; nat: ec2.CfnNatGateway }>();
    for (const subnet of props.vpc.publicSubnets) {
      const nat = subnet.node.tryFindChild('NATGateway');
      if (subnet instanceof ec2.PublicSubnet && nat instanceof ec2.CfnNatGateway) natByZone.set(subnet.availabilityZone, { subnet, nat });
    }
    if (natByZone.size === 0) throw new Error(`${this.node.path}: the VPC has no NAT gateway; the firewall sits between the private subnets and a NAT gateway.`);

    const endpointByNat = new Map<ec2.CfnNatGateway, string>();
    const firewalls: networkfirewall.CfnFirewall[] = [];
    for (const [zone, { nat }] of natByZone) {
      const subnet = firewallSubnets.find((s) => s.availabilityZone === zone);
      if (!subnet) throw new Error(`${this.node.path}: no subnet of group "${groupName}" in ${zone}, where a NAT gateway is; add the group to the VPC's subnetConfiguration.`);
      const suffix = zone.slice(-1);
      const firewall = new networkfirewall.CfnFirewall(this, `Firewall-${zone}`, {
        firewallName: `${prefix}-egress-${suffix}`,
        description: `Egress filter in ${zone} (NET-4)`,
        vpcId: props.vpc.vpcId,
        firewallPolicyArn: this.policy.attrFirewallPolicyArn,
        subnetMappings: [{ subnetId: subnet.subnetId }],
      });
      firewalls.push(firewall);
      // One subnet mapping, so EndpointIds holds exactly one "zone:vpce-id".
      const endpoint = Fn.select(1, Fn.split(':', Fn.select(0, firewall.attrEndpointIds)));
      endpointByNat.set(nat, endpoint);
      new ec2.CfnRoute(this, `ToNat-${zone}`, { routeTableId: subnet.routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.ref });
      new networkfirewall.CfnLoggingConfiguration(this, `Alerts-${zone}`, {
        firewallArn: firewall.attrFirewallArn,
        loggingConfiguration: {
          logDestinationConfigs: [{ logType: 'ALERT', logDestinationType: 'CloudWatchLogs', logDestination: { logGroup: props.alertLogGroup.logGroupName } }],
        },
      });
    }
    this.firewalls = firewalls;

    for (const subnet of props.vpc.privateSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (!(route instanceof ec2.CfnRoute) || route.natGatewayId === undefined) continue;
      const entry = [...natByZone.values()].find(({ nat }) => nat.ref === route.natGatewayId);
      if (!entry) continue;
      const endpoint = endpointByNat.get(entry.nat) as string;
      route.addPropertyDeletionOverride('NatGatewayId');
      route.addPropertyOverride('VpcEndpointId', endpoint);
      new ec2.CfnRoute(this, `Return-${subnet.node.id}`, {
        routeTableId: entry.subnet.routeTable.routeTableId,
        destinationCidrBlock: subnet.ipv4CidrBlock,
        vpcEndpointId: endpoint,
      });
    }
  }
}
