import { CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { restrictedEgressRule as rule } from '../../../../lib/policy/rules/net/restricted-egress';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const sg = (egress?: unknown): TemplateResource => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'x', VpcId: 'vpc-1', ...(egress === undefined ? {} : { SecurityGroupEgress: egress }) },
});

describe('NET4-RestrictedEgress', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const closed = new ec2.SecurityGroup(stack, 'Closed', { vpc, allowAllOutbound: false });
    const https = new ec2.SecurityGroup(stack, 'Https', { vpc, allowAllOutbound: false });
    https.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    const all = new ec2.SecurityGroup(stack, 'AllOut', { vpc });
    const allPorts = new ec2.SecurityGroup(stack, 'AllPorts', { vpc, allowAllOutbound: false });
    allPorts.addEgressRule(ec2.Peer.anyIpv6(), ec2.Port.allTcp());
    new ec2.CfnSecurityGroup(stack, 'L1NoEgress', { groupDescription: 'x', vpcId: 'vpc-1' });
    new ec2.CfnSecurityGroup(stack, 'L1SeparateEgress', { groupDescription: 'x', vpcId: 'vpc-1' });
    new ec2.CfnSecurityGroupEgress(stack, 'L1Egress', { groupId: 'sg-1', ipProtocol: '-1', cidrIp: '0.0.0.0/0' });
    const found = violations(stack, rule);
    const id = (c: ec2.SecurityGroup): string => stack.getLogicalId(c.node.defaultChild as CfnElement);

    it("accepts allowAllOutbound: false (CDK's placeholder rule) and HTTPS-only egress", () => {
      expect(found.filter((f) => f.startsWith(id(closed)) || f.startsWith(id(https)))).toEqual([]);
    });
    it('fails allow-all outbound, all TCP ports to ::/0, a group without egress and an L1 all-traffic egress', () => {
      expect(found.sort()).toEqual(
        [
          `${id(all)}: SecurityGroupEgress[0].all-traffic-to-CidrIp=0.0.0.0/0`,
          `${id(allPorts)}: SecurityGroupEgress[1].all-traffic-to-CidrIpv6=:/0`,
          'L1Egress: all-traffic-to-CidrIp=0.0.0.0/0',
          'L1NoEgress: SecurityGroupEgress-absent(all-outbound-allowed)',
          'L1SeparateEgress: SecurityGroupEgress-absent(all-outbound-allowed)',
        ].sort(),
      );
    });
  });

  describe('hand-written templates', () => {
    it('accepts a group whose egress is a separate resource, and reads protocol -1 as number or string, and Fn::If', () => {
      const template = templateOf({
        Separate: sg(),
        SeparateEgress: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { 'Fn::GetAtt': ['Separate', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' } },
        Numeric: sg([{ IpProtocol: -1, CidrIp: '0.0.0.0/0' }]),
        Udp: sg({ IpProtocol: 'udp', FromPort: 0, ToPort: 65535, CidrIp: '0.0.0.0/0' }),
        Branch: sg([{ 'Fn::If': ['C', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }, { IpProtocol: '-1', CidrIp: '0.0.0.0/0' }] }]),
        ToEndpoints: sg([{ IpProtocol: '-1', DestinationPrefixListId: 'pl-1' }]),
        Param: sg([{ IpProtocol: '-1', CidrIp: { Ref: 'Dest' } }]),
      }, { Parameters: { Dest: { Type: 'String' } } });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Branch: SecurityGroupEgress[0].all-traffic-to-CidrIp=0.0.0.0/0',
          'Numeric: SecurityGroupEgress[0].all-traffic-to-CidrIp=0.0.0.0/0',
          'Udp: SecurityGroupEgress[0].all-traffic-to-CidrIp=0.0.0.0/0',
        ].sort(),
      );
      expect(unresolvedWarnings(template, rule)).toEqual(['Param: SecurityGroupEgress[0].all-traffic-to-CidrIp=${Dest}']);
    });
  });
});
