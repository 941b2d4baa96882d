import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { egressThroughFirewallRule as rule } from '../../../../lib/policy/rules/net/egress-through-firewall';
import { TemplateResource } from '../../../../lib/policy/rule';
import { vpcWithFirewall } from '../../../support/egress-firewall';
import { templateOf, testStack, violations } from '../../../support/policy';

const route = (table: string, target: Record<string, unknown>, destination = '0.0.0.0/0'): TemplateResource => ({
  Type: 'AWS::EC2::Route',
  Properties: { RouteTableId: { Ref: table }, DestinationCidrBlock: destination, ...target },
});
const association = (table: string, subnet: string): TemplateResource => ({
  Type: 'AWS::EC2::SubnetRouteTableAssociation',
  Properties: { RouteTableId: { Ref: table }, SubnetId: { Ref: subnet } },
});

describe('NET4-EgressThroughFirewall', () => {
  it('L2: the EgressFirewall construct routes every workload subnet through the firewall', () => {
    const stack = testStack();
    vpcWithFirewall(stack, true);
    expect(violations(stack, rule)).toEqual([]);
  });

  it('L2: a VPC without a Network Firewall is not judged (NAT routes are normal there)', () => {
    const stack = testStack();
    vpcWithFirewall(stack, false);
    expect(violations(stack, rule)).toEqual([]);
  });

  it('L2: a workload subnet added later with a NAT route of its own goes around the firewall', () => {
    const stack = testStack();
    const vpc = vpcWithFirewall(stack, true);
    const extra = new ec2.PrivateSubnet(stack, 'Extra', { vpcId: vpc.vpcId, cidrBlock: '10.0.250.0/24', availabilityZone: vpc.availabilityZones[0] });
    const nat = vpc.publicSubnets[0].node.findChild('NATGateway') as ec2.CfnNatGateway;
    extra.addDefaultNatRoute(nat.ref);
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^ExtraDefaultRoute[0-9A-F]+: RouteTable\[ExtraRouteTable[0-9A-F]+\]-0\.0\.0\.0\/0-to-NatGateway-around-firewall\(ExtraSubnet[0-9A-F]+\)$/)]);
  });

  it('L1: IPv4 and IPv6 default routes to a NAT gateway from a non-firewall subnet fail; the firewall subnet and specific routes pass', () => {
    const template = templateOf({
      Firewall: { Type: 'AWS::NetworkFirewall::Firewall', Properties: { FirewallName: 'f', FirewallPolicyArn: 'arn', VpcId: 'vpc-1', SubnetMappings: [{ SubnetId: { Ref: 'FirewallSubnet' } }] } },
      FirewallSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/28' } },
      WorkloadSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.4.0/22' } },
      FirewallTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: 'vpc-1' } },
      WorkloadTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: 'vpc-1' } },
      FirewallAssoc: association('FirewallTable', 'FirewallSubnet'),
      WorkloadAssoc: association('WorkloadTable', 'WorkloadSubnet'),
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-public' } },
      FirewallOut: route('FirewallTable', { NatGatewayId: { Ref: 'Nat' } }),
      Around: route('WorkloadTable', { NatGatewayId: { Ref: 'Nat' } }),
      AroundV6: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'WorkloadTable' }, DestinationIpv6CidrBlock: '::/0', NatGatewayId: { Ref: 'Nat' } } },
      Specific: route('WorkloadTable', { NatGatewayId: { Ref: 'Nat' } }, '198.51.100.0/24'),
      Through: route('WorkloadTable', { VpcEndpointId: 'vpce-1' }),
    });
    expect(violations(template, rule)).toEqual([
      'Around: RouteTable[WorkloadTable]-0.0.0.0/0-to-NatGateway-around-firewall(WorkloadSubnet)',
      'AroundV6: RouteTable[WorkloadTable]-::/0-to-NatGateway-around-firewall(WorkloadSubnet)',
    ]);
  });
});
