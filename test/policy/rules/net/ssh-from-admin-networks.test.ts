import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowList, AllowListNetwork } from '../../../../constructs/allow-list';
import { sshFromAdminNetworksRule as rule } from '../../../../lib/policy/rules/net/ssh-from-admin-networks';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const NETWORKS: AllowListNetwork[] = [
  { cidr: '198.51.100.0/24', kind: 'agency', owner: 'District IT', purpose: 'Warehouse' },
  { cidr: '203.0.113.200/30', kind: 'contractor', owner: 'Migration Co', purpose: 'Migration', expires: '2030-01-01' },
  { cidr: '10.99.0.0/22', kind: 'vpn', owner: 'Security office', purpose: 'VPN' },
  { cidr: '192.0.2.0/28', kind: 'admin', owner: 'Security office', purpose: 'Admin office' },
];

const list = (tags: Record<string, string> | undefined, name: string, description = 'owner=o; purpose=p'): { Type: string; Properties: Record<string, unknown> } => ({
  Type: 'AWS::EC2::PrefixList',
  Properties: {
    PrefixListName: name,
    AddressFamily: 'IPv4',
    MaxEntries: 10,
    Entries: [{ Cidr: '10.0.0.0/24', Description: description }],
    ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
  },
});

describe('NET1-SshFromAdminNetworks', () => {
  test('L2: SSH from the vpn and admin lists passes; SSH from the agency or contractor list fails; HTTPS from agency passes', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const allowList = new AllowList(stack, 'AllowList', { entries: NETWORKS, namePrefix: 'x', today: '2026-01-01' });
    const good = new ec2.SecurityGroup(stack, 'Good', { vpc, allowAllOutbound: false });
    allowList.allowFrom(good, ec2.Port.tcp(22), ['vpn', 'admin'], 'SSH');
    allowList.allowFrom(good, ec2.Port.tcp(443), ['agency'], 'HTTPS');
    const bad = new ec2.SecurityGroup(stack, 'Bad', { vpc, allowAllOutbound: false });
    // The construct refuses this (allowFrom); written around it with the L2 security group directly.
    bad.addIngressRule(ec2.Peer.prefixList(allowList.prefixLists('agency')[0].prefixListId), ec2.Port.tcp(22));
    bad.addIngressRule(ec2.Peer.prefixList(allowList.prefixLists('contractor')[0].prefixListId), ec2.Port.allTraffic());
    const found = violations(stack, rule);
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toMatch(/kind=agency-to-port-22/);
    expect(found.join('\n')).toMatch(/kind=contractor-to-port-22/);
    // Both rules hang off the Bad group (separate ingress resources named after it).
    const badId = stack.resolve((bad.node.defaultChild as CfnResource).logicalId) as string;
    expect(found.every((f) => f.startsWith(badId.replace(/[0-9A-F]{8}$/, '')))).toBe(true);
  });

  test('hand-written: inline and separate rules, Ref and Fn::GetAtt, ranges and protocol -1, Fn::If branches', () => {
    const sshFrom = (source: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: source, ...extra });
    const template = templateOf({
      Agency: list({ kind: 'agency' }, 'riverside-prod-agency-ipv4'),
      Bi: list({ kind: 'bi' }, 'riverside-prod-bi-ipv4'),
      Vpn: list({ kind: 'vpn' }, 'riverside-prod-vpn-ipv4'),
      Office: list(undefined, 'district-office'),
      AdminNamed: list(undefined, 'ops-admin-networks'),
      Smuggled: list({ kind: 'vpn' }, 'vpn', 'owner=o; purpose=p; kind=contractor; expires=2030-01-01'),
      Inline: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'x',
          SecurityGroupIngress: [
            sshFrom({ 'Fn::GetAtt': ['Agency', 'PrefixListId'] }),
            sshFrom({ Ref: 'Vpn' }),
            { IpProtocol: '-1', SourcePrefixListId: { Ref: 'Bi' } },
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: { Ref: 'Agency' } },
          ],
        },
      },
      Range: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: '6', FromPort: 0, ToPort: 1024, SourcePrefixListId: { Ref: 'Office' } } },
      Named: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', ...sshFrom({ Ref: 'AdminNamed' }) } },
      Cond: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', ...sshFrom({ 'Fn::If': ['Prod', { Ref: 'Vpn' }, { Ref: 'Agency' }] }) } },
      Desc: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', ...sshFrom({ Ref: 'Smuggled' }) } },
    });
    expect(violations(template, rule).sort()).toEqual(
      [
        'Inline: SecurityGroupIngress[0].SourcePrefixListId=Agency-kind=agency-to-port-22',
        'Inline: SecurityGroupIngress[2].SourcePrefixListId=Bi-kind=bi-to-port-22',
        'Range: SourcePrefixListId=Office-kind-unmarked-to-port-22',
        'Cond: SourcePrefixListId=Agency-kind=agency-to-port-22',
        'Desc: SourcePrefixListId=Smuggled-entry-kind=contractor-to-port-22',
      ].sort(),
    );
  });

  test('a list that is not in the template cannot be judged: unresolved warning', () => {
    const template = templateOf({
      Literal: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: 'pl-0123456789abcdef0' } },
      Imported: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { 'Fn::ImportValue': 'net-vpn' } } },
    });
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule).sort()).toEqual(
      ['Imported: SourcePrefixListId=Fn:ImportValue-to-port-22', 'Literal: SourcePrefixListId=pl-0123456789abcdef0-to-port-22'].sort(),
    );
  });
});
