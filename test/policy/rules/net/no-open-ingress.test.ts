import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { noOpenIngressRule as rule } from '../../../../lib/policy/rules/net/no-open-ingress';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const sg = (ingress: unknown[]): TemplateResource => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'x', VpcId: 'vpc-1', SecurityGroupIngress: ingress, SecurityGroupEgress: [] },
});
const tcp443 = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443 };

describe('NET1-NoOpenIngress', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const good = new ec2.SecurityGroup(stack, 'Good', { vpc, allowAllOutbound: false });
    good.addIngressRule(ec2.Peer.prefixList('pl-12345678'), ec2.Port.tcp(443));
    good.addIngressRule(ec2.Peer.ipv4('10.20.0.0/16'), ec2.Port.tcp(443));
    good.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
    const other = new ec2.SecurityGroup(stack, 'Other', { vpc, allowAllOutbound: false });
    good.connections.allowFrom(other, ec2.Port.tcp(8080));
    const open = new ec2.SecurityGroup(stack, 'Open', { vpc, allowAllOutbound: false });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    open.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    const imported = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-12345678', { mutable: true });
    imported.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    new ec2.CfnSecurityGroupIngress(stack, 'L1Broad', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '1.0.0.0/4' });
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    acl.addEntry('InAll', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.INGRESS });
    acl.addEntry('OutAll', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
    acl.addEntry('DenyIn', { ruleNumber: 200, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), ruleAction: ec2.Action.DENY });
    const found = violations(stack, rule);
    const id = (c: ec2.SecurityGroup): string => stack.getLogicalId(c.node.defaultChild as CfnElement);

    it('accepts prefix lists, private ranges, the VPC range, security groups, egress and deny entries', () => {
      expect(found.filter((f) => f.startsWith(id(good)) || f.startsWith('AclOutAll') || f.startsWith('AclDenyIn'))).toEqual([]);
    });
    it('fails internet ingress inline, as a separate resource, in an L1 ingress and in a NACL allow entry', () => {
      expect(found).toHaveLength(5);
      expect(found).toEqual(
        expect.arrayContaining([
          `${id(open)}: SecurityGroupIngress[0].CidrIp=0.0.0.0/0`,
          `${id(open)}: SecurityGroupIngress[1].CidrIpv6=:/0`,
          expect.stringMatching(/^Importedfrom0000080[0-9A-F]+: CidrIp=0\.0\.0\.0\/0$/),
          'L1Broad: CidrIp=1.0.0.0/4',
          expect.stringMatching(/^AclInAll[0-9A-F]+: CidrBlock=0\.0\.0\.0\/0$/),
        ]),
      );
    });
  });

  describe('hand-written templates', () => {
    it('reads Fn::Join, a parameter default, Fn::If branches, IPv6 NACL entries and prefix-list entries', () => {
      const template = templateOf(
        {
          Joined: sg([{ ...tcp443, CidrIp: { 'Fn::Join': ['', ['0.0.0.0', '/0']] } }]),
          Param: sg([{ ...tcp443, CidrIp: { Ref: 'Office' } }]),
          Branch: sg([{ 'Fn::If': ['C', { ...tcp443, CidrIp: '10.0.0.0/8' }, { ...tcp443, CidrIpv6: '::/0' }] }]),
          Nacl6: { Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: 'acl-1', RuleNumber: 1, Protocol: -1, RuleAction: 'allow', Egress: 'false', Ipv6CidrBlock: '::/0' } },
          List: { Type: 'AWS::EC2::PrefixList', Properties: { PrefixListName: 'agency', AddressFamily: 'IPv4', MaxEntries: 2, Entries: [{ Cidr: '192.0.2.0/24' }, { Cidr: '0.0.0.0/1' }] } },
          Wide6: sg([{ ...tcp443, CidrIpv6: '2001::/16' }]),
        },
        { Parameters: { Office: { Type: 'String', Default: '0.0.0.0/0' } } },
      );
      expect(violations(template, rule).sort()).toEqual(
        [
          'Branch: SecurityGroupIngress[0].CidrIpv6=:/0',
          'Joined: SecurityGroupIngress[0].CidrIp=0.0.0.0/0',
          'List: Entries[1].Cidr=0.0.0.0/1',
          'Nacl6: Ipv6CidrBlock=:/0',
          'Param: SecurityGroupIngress[0].CidrIp=0.0.0.0/0',
          'Wide6: SecurityGroupIngress[0].CidrIpv6=2001:/16',
        ].sort(),
      );
    });

    it('warns on a CIDR it cannot read instead of passing', () => {
      const template = templateOf(
        {
          NoDefault: sg([{ ...tcp443, CidrIp: { Ref: 'Cidr' } }]),
          Import: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', ...tcp443, CidrIp: { 'Fn::ImportValue': 'office-cidr' } } },
        },
        { Parameters: { Cidr: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule).sort()).toEqual(['Import: CidrIp=${Fn:ImportValue}', 'NoDefault: SecurityGroupIngress[0].CidrIp=${Cidr}']);
    });
  });
});

describe('NET1-NoOpenIngress: red-team cases (test/fixtures/redteam)', () => {
  it('reads a CIDR kept in Mappings through Fn::FindInMap (vendor templates) as a literal', () => {
    const template = {
      ...templateOf({ Sg: sg([{ ...tcp443, CidrIp: { 'Fn::FindInMap': ['NetworkConfig', 'Ingress', 'ClientCidr'] } }]) }),
      Mappings: { NetworkConfig: { Ingress: { ClientCidr: '0.0.0.0/0' }, Egress: { ClientCidr: '10.1.0.0/16' } } },
    };
    expect(violations(template, rule)).toEqual(['Sg: SecurityGroupIngress[0].CidrIp=0.0.0.0/0']);
    expect(unresolvedWarnings(template, rule)).toEqual([]);
  });

  it('resolves a region-keyed lookup when every region holds the same CIDR, and warns when they differ', () => {
    const lookup = { 'Fn::FindInMap': ['Cidrs', { Ref: 'AWS::Region' }, 'Client'] };
    const same = { ...templateOf({ Sg: sg([{ ...tcp443, CidrIp: lookup }]) }), Mappings: { Cidrs: { 'us-east-1': { Client: '::/0' }, 'us-west-2': { Client: '::/0' } } } };
    expect(violations(same, rule)).toEqual(['Sg: SecurityGroupIngress[0].CidrIp=:/0']);
    const differ = { ...templateOf({ Sg: sg([{ ...tcp443, CidrIp: lookup }]) }), Mappings: { Cidrs: { 'us-east-1': { Client: '0.0.0.0/0' }, 'us-west-2': { Client: '10.0.0.0/16' } } } };
    expect(violations(differ, rule)).toEqual([]);
    expect(unresolvedWarnings(differ, rule)).toEqual(['Sg: SecurityGroupIngress[0].CidrIp=${Fn:FindInMap}']);
  });
});
