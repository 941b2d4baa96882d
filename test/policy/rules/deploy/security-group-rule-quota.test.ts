import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowList, AllowListNetwork } from '../../../../constructs/allow-list';
import { RULE_QUOTA_METADATA } from '../../../../lib/cfn/quotas';
import { securityGroupRuleQuotaRule as rule } from '../../../../lib/policy/rules/deploy/security-group-rule-quota';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

function vpnNetworks(count: number): AllowListNetwork[] {
  return Array.from({ length: count }, (_, i) => ({ cidr: `10.99.${i}.0/24`, kind: 'vpn' as const, owner: 'Security office', purpose: 'VPN' }));
}

const list = (max: unknown): { Type: string; Properties: Record<string, unknown> } => ({
  Type: 'AWS::EC2::PrefixList',
  Properties: { AddressFamily: 'IPv4', MaxEntries: max, Entries: [{ Cidr: '10.0.0.0/24' }] },
});

describe('DEPLOY4-SecurityGroupRuleQuota', () => {
  test('L2: an AllowList of capacity 20 passes; 160 VPN entries (the case of issue 12: two lists of 100 and 60, each weighing 200) fail', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const small = new AllowList(stack, 'Small', { entries: vpnNetworks(3), namePrefix: 'small', today: '2026-01-01' });
    const big = new AllowList(stack, 'Big', { entries: vpnNetworks(160), namePrefix: 'big', today: '2026-01-01', capacity: 200 });
    const ok = new ec2.SecurityGroup(stack, 'Ok', { vpc, allowAllOutbound: false });
    small.allowFrom(ok, ec2.Port.tcp(22), ['vpn'], 'SSH');
    const over = new ec2.SecurityGroup(stack, 'Over', { vpc, allowAllOutbound: false });
    big.allowFrom(over, ec2.Port.tcp(22), ['vpn'], 'SSH');
    const overId = stack.resolve((over.node.defaultChild as CfnResource).logicalId) as string;
    expect(violations(stack, rule)).toEqual([`${overId}: Ingress-rules-weigh-400-over-quota-60`]);
  });

  test('L2: 61 plain CIDR rules fail, 60 pass; egress is counted on its own', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const sixty = new ec2.SecurityGroup(stack, 'Sixty', { vpc, allowAllOutbound: false });
    const sixtyOne = new ec2.SecurityGroup(stack, 'SixtyOne', { vpc, allowAllOutbound: false });
    for (let i = 0; i < 60; i++) {
      sixty.addIngressRule(ec2.Peer.ipv4(`10.1.${i}.0/24`), ec2.Port.tcp(443));
      sixty.addEgressRule(ec2.Peer.ipv4(`10.2.${i}.0/24`), ec2.Port.tcp(443));
      sixtyOne.addEgressRule(ec2.Peer.ipv4(`10.2.${i}.0/24`), ec2.Port.tcp(443));
    }
    sixtyOne.addEgressRule(ec2.Peer.ipv4('10.3.0.0/24'), ec2.Port.tcp(443));
    const id = stack.resolve((sixtyOne.node.defaultChild as CfnResource).logicalId) as string;
    expect(violations(stack, rule)).toEqual([`${id}: Egress-rules-weigh-61-over-quota-60`]);
  });

  test('hand-written: inline and separate rules add up, Ref and Fn::GetAtt PrefixListId both weigh MaxEntries', () => {
    const template = templateOf(
      {
        Forty: list(40),
        Thirty: list('30'),
        Sized: list({ Ref: 'Size' }),
        Sg: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: 'x',
            SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { 'Fn::GetAtt': ['Forty', 'PrefixListId'] } }],
            SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: { Ref: 'Sized' } }],
          },
        },
        SepIn: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { Ref: 'Thirty' } } },
        SepOut: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { Ref: 'Sg' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: { Ref: 'Thirty' } } },
        Elsewhere: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { Ref: 'Forty' } } },
      },
      { Parameters: { Size: { Type: 'Number', Default: 31 } } },
    );
    // Ingress 40 + 30 = 70; egress 31 + 30 = 61; the group elsewhere is not this template's.
    expect(violations(template, rule)).toEqual(['Sg: Ingress-rules-weigh-70-over-quota-60', 'Sg: Egress-rules-weigh-61-over-quota-60']);
  });

  test('Fn::If counts the heavier branch; a declared raised quota is honoured', () => {
    const resources = {
      Ten: list(10),
      Seventy: list(70),
      Sg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'x',
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { 'Fn::If': ['Big', { Ref: 'Seventy' }, { Ref: 'Ten' }] } }],
        },
      },
    };
    expect(violations(templateOf(resources), rule)).toEqual(['Sg: Ingress-rules-weigh-70-over-quota-60']);
    const raised: CfnTemplate = templateOf({ ...resources, Sg: { ...resources.Sg, Metadata: { [RULE_QUOTA_METADATA]: 100 } } });
    expect(violations(raised, rule)).toEqual([]);
  });

  test('an imported or AWS-managed list cannot be counted: warning, unless the rest already exceeds the quota', () => {
    const ingress = (source: unknown): Record<string, unknown> => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: source });
    const template = templateOf({
      Big: list(60),
      Imported: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [ingress({ 'Fn::ImportValue': 'shared-pl' }), ingress('pl-63a5400a')] } },
      Hopeless: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [ingress({ Ref: 'Big' }), ingress('pl-63a5400a')] } },
    });
    expect(unresolvedWarnings(template, rule)).toEqual([
      'Imported: Ingress-uncountable-prefix-list:SecurityGroup[Imported].Ingress[0].SourcePrefixListId=Fn:ImportValue',
      'Imported: Ingress-uncountable-prefix-list:SecurityGroup[Imported].Ingress[1].SourcePrefixListId=pl-63a5400a',
    ]);
    expect(violations(template, rule)).toEqual(['Hopeless: Ingress-rules-weigh-61-over-quota-60']);
  });
});
