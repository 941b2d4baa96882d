import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { sshFromAllowListRule as rule } from '../../../../lib/policy/rules/ec2/ssh-from-allow-list';
import { templateOf, testStack, violations } from '../../../support/policy';

describe('EC21-SshFromAllowList', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const good = new ec2.SecurityGroup(stack, 'Good', { vpc, allowAllOutbound: false });
    good.addIngressRule(ec2.Peer.prefixList('pl-0123456789abcdef0'), ec2.Port.tcp(22));
    good.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443));
    good.connections.allowFrom(new ec2.SecurityGroup(stack, 'Bastion', { vpc, allowAllOutbound: false }), ec2.Port.tcp(22));
    const cidr = new ec2.SecurityGroup(stack, 'Cidr', { vpc, allowAllOutbound: false });
    cidr.addIngressRule(ec2.Peer.ipv4('203.0.113.10/32'), ec2.Port.tcp(22));
    cidr.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTraffic());
    cidr.addIngressRule(ec2.Peer.ipv6('2001:db8::/64'), ec2.Port.tcpRange(20, 30));
    const id = (c: ec2.SecurityGroup): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('accepts prefix lists and security groups on 22 and fails any CIDR that reaches 22', () => {
      expect(violations(stack, rule).sort()).toEqual(
        [
          `${id(cidr)}: SecurityGroupIngress[0].CidrIp-to-port-22`,
          `${id(cidr)}: SecurityGroupIngress[1].CidrIp-to-port-22`,
          `${id(cidr)}: SecurityGroupIngress[2].CidrIpv6-to-port-22`,
        ].sort(),
      );
    });
  });

  it('fails hand-written separate ingress resources and protocol numbers, not other ports', () => {
    const template = templateOf({
      Sep: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: '6', FromPort: 22, ToPort: 22, CidrIp: { Ref: 'Office' } } },
      All: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: -1, CidrIp: '10.0.0.0/8' } },
      Https: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' } },
      Udp: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: 'udp', FromPort: 0, ToPort: 65535, CidrIp: '10.0.0.0/8' } },
    }, { Parameters: { Office: { Type: 'String' } } });
    expect(violations(template, rule).sort()).toEqual(['All: CidrIp-to-port-22', 'Sep: CidrIp-to-port-22']);
  });
});
