import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowList, AllowListNetwork } from '../../constructs/allow-list';
import { entryDescription, MAX_ENTRY_DESCRIPTION_LENGTH } from '../../constructs/conventions';

const TODAY = '2026-03-01';

type Json = Record<string, unknown>;
interface PrefixListProps {
  PrefixListName: string;
  AddressFamily: string;
  MaxEntries: number;
  Entries: { Cidr: string; Description: string }[];
  Tags?: { Key: string; Value: string }[];
}

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'allow-list-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function newStack(): Stack {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  return new Stack(app, 'Net', { env: { account: '222222222222', region: 'us-east-1' } });
}

function build(entries: AllowListNetwork[]): { stack: Stack; allowList: AllowList } {
  const stack = newStack();
  const allowList = new AllowList(stack, 'AllowList', { entries, namePrefix: 'riverside-prod', today: TODAY });
  return { stack, allowList };
}

function prefixLists(stack: Stack): PrefixListProps[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::PrefixList')).map((r) => r.Properties as PrefixListProps);
}

const AGENCY: AllowListNetwork = { cidr: '198.51.100.0/24', kind: 'agency', owner: 'Riverside ISD IT <it@riverside.example>', purpose: 'District analysts', tenant: 'riverside_isd' };
const CONTRACTOR: AllowListNetwork = { cidr: '203.0.113.200/30', kind: 'contractor', owner: 'Migration Co <pm@contractor.example>', purpose: 'Ed-Fi migration', expires: '2027-06-30' };
const VPN6: AllowListNetwork = { cidr: '2001:db8:1234::/48', kind: 'vpn', owner: 'Security office', purpose: 'Client VPN (IPv6 pool)' };
const VPN4: AllowListNetwork = { cidr: '10.99.0.0/22', kind: 'vpn', owner: 'Security office', purpose: 'Client VPN' };

/** Ingress of the one security group in a template: inline rules and standalone SecurityGroupIngress resources. */
function ingressRules(template: Template): Json[] {
  const groups = template.findResources('AWS::EC2::SecurityGroup');
  const [groupId] = Object.keys(groups);
  const inline = ((groups[groupId].Properties as Json).SecurityGroupIngress as Json[] | undefined) ?? [];
  const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
    .map((r) => r.Properties as Json)
    .filter((p) => JSON.stringify(p.GroupId).includes(groupId));
  return [...inline, ...standalone];
}

function manyAgencies(count: number, tenant?: (i: number) => string | undefined): AllowListNetwork[] {
  return Array.from({ length: count }, (_, i) => ({
    cidr: `10.${Math.floor(i / 256)}.${i % 256}.0/24`,
    kind: 'agency' as const,
    owner: `School ${i}`,
    purpose: 'Campus network',
    tenant: tenant?.(i),
  }));
}

describe('AllowList prefix lists (NET-1)', () => {
  test('one list per kind and IP version, with the fixed default capacity (headroom, DEPLOY-4)', () => {
    const { stack } = build([AGENCY, CONTRACTOR, VPN4, VPN6]);
    const lists = prefixLists(stack);
    expect(lists.map((l) => [l.PrefixListName, l.AddressFamily, l.MaxEntries, l.Entries.map((e) => e.Cidr)]).sort()).toEqual(
      [
        ['riverside-prod-agency-ipv4', 'IPv4', 20, ['198.51.100.0/24']],
        ['riverside-prod-contractor-ipv4', 'IPv4', 20, ['203.0.113.200/30']],
        ['riverside-prod-vpn-ipv4', 'IPv4', 20, ['10.99.0.0/22']],
        ['riverside-prod-vpn-ipv6', 'IPv6', 20, ['2001:db8:1234::/48']],
      ].sort(),
    );
    for (const list of lists) expect(list.MaxEntries).toBeGreaterThan(list.Entries.length);
  });

  test('adding an entry never changes MaxEntries (entries and size never change in one update)', () => {
    const sizes = [1, 5, 19].map((n) => prefixLists(build(manyAgencies(n)).stack).map((l) => l.MaxEntries));
    expect(sizes).toEqual([[20], [20], [20]]);
  });

  test('capacity is configurable for all kinds or per kind', () => {
    const stack = newStack();
    new AllowList(stack, 'AllowList', { entries: [...manyAgencies(150), VPN4], namePrefix: 'riverside-prod', today: TODAY, capacity: { agency: 200, vpn: 5 } });
    expect(prefixLists(stack).map((l) => [l.PrefixListName, l.MaxEntries, l.Entries.length]).sort()).toEqual(
      [
        ['riverside-prod-agency-ipv4', 200, 100],
        ['riverside-prod-agency-ipv4-2', 200, 50],
        ['riverside-prod-vpn-ipv4', 5, 1],
      ].sort(),
    );
    const all = newStack();
    new AllowList(all, 'AllowList', { entries: [VPN4], namePrefix: 'x', today: TODAY, capacity: 8 });
    expect(prefixLists(all).map((l) => l.MaxEntries)).toEqual([8]);
  });

  test('more than 100 entries of one kind become further lists: CloudFormation takes at most 100 per list; the first keeps its ID and name', () => {
    const stack = newStack();
    const allowList = new AllowList(stack, 'AllowList', { entries: manyAgencies(250), namePrefix: 'riverside-prod', today: TODAY, capacity: { agency: 120 } });
    const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: { PrefixListName: string; Entries: { Cidr: string }[] } }> };
    const lists = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::EC2::PrefixList');
    expect(lists.map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties.PrefixListName, r.Properties.Entries.length])).toEqual([
      ['AllowListagencyipv41', 'riverside-prod-agency-ipv4', 100],
      ['AllowListagencyipv42', 'riverside-prod-agency-ipv4-2', 100],
      ['AllowListagencyipv43', 'riverside-prod-agency-ipv4-3', 50],
    ]);
    // In config order, every entry once.
    expect(lists.flatMap(([, r]) => r.Properties.Entries.map((e) => e.Cidr))).toEqual(manyAgencies(250).map((e) => e.cidr));
    expect(allowList.prefixLists('agency').map((l) => [l.prefixListName, l.maxEntries])).toEqual([
      ['riverside-prod-agency-ipv4', 120],
      ['riverside-prod-agency-ipv4-2', 120],
      ['riverside-prod-agency-ipv4-3', 120],
    ]);
    // A capacity at or below 100 still has to exceed the entries, as before.
    expect(() => build(manyAgencies(150))).toThrow(/150 agency IPv4 entries need a capacity above 100, but the agency prefix list holds 20 \(DEPLOY-4\)/);
  });

  test('refuses entries that reach the capacity, and capacities AWS would reject', () => {
    expect(() => build(manyAgencies(20))).toThrow(/20 agency IPv4 entries need a capacity above 20, but the agency prefix list holds 20 \(DEPLOY-4\)/);
    const stack = newStack();
    expect(() => new AllowList(stack, 'A', { entries: [VPN4], namePrefix: 'x', today: TODAY, capacity: 1001 })).toThrow(/from 2 to 1000/);
    expect(() => new AllowList(stack, 'B', { entries: [VPN4], namePrefix: 'x', today: TODAY, capacity: { vpn: 1 } })).toThrow(/capacity of the vpn prefix lists is 1/);
  });

  test('prefixLists() returns the ids, families and sizes of a kind', () => {
    const { stack, allowList } = build([VPN4, VPN6]);
    const lists = allowList.prefixLists('vpn');
    expect(lists.map((l) => [l.addressFamily, l.maxEntries])).toEqual([
      ['IPv4', 20],
      ['IPv6', 20],
    ]);
    expect(stack.resolve(lists[0].prefixListId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/vpnipv41/), 'PrefixListId'] });
  });
});

describe('AllowList descriptions and tags (NET-2, TENANT-1)', () => {
  test('each entry description carries owner, purpose and expires=YYYY-MM-DD', () => {
    const { stack } = build([AGENCY, CONTRACTOR]);
    const entries = prefixLists(stack).flatMap((l) => l.Entries);
    expect(entries.find((e) => e.Cidr === CONTRACTOR.cidr)!.Description).toBe(
      'owner=Migration Co <pm@contractor.example>; expires=2027-06-30; purpose=Ed-Fi migration',
    );
    expect(entries.find((e) => e.Cidr === AGENCY.cidr)!.Description).toBe(
      'owner=Riverside ISD IT <it@riverside.example>; tenant=riverside_isd; purpose=District analysts',
    );
  });

  test('a long description is cut in the purpose, never in the owner or the expiry', () => {
    const owner = `Contractor ${'O'.repeat(120)}`;
    const entry: AllowListNetwork = { ...CONTRACTOR, owner, purpose: `Migration ${'p'.repeat(400)}` };
    const description = entryDescription(entry);
    expect(description.length).toBeLessThanOrEqual(MAX_ENTRY_DESCRIPTION_LENGTH);
    expect(description.length).toBe(MAX_ENTRY_DESCRIPTION_LENGTH);
    expect(description).toContain(`owner=${owner}`);
    expect(description).toContain('expires=2027-06-30');
    expect(description).toMatch(/; purpose=Migration p+\.\.\.$/);
  });

  test('an owner too long to fit with the expiry is refused rather than cut', () => {
    expect(() => build([{ ...CONTRACTOR, owner: 'O'.repeat(260) }])).toThrow(/entry 0 .*owner is too long.*shorten the owner/);
  });

  test('lists are tagged with their kind, and with tenant_code only when every entry is that tenant', () => {
    const single = build([AGENCY, { ...AGENCY, cidr: '198.51.101.0/24' }, VPN4]);
    const tagsOf = (stack: Stack, name: string) => prefixLists(stack).find((l) => l.PrefixListName === name)!.Tags;
    expect(tagsOf(single.stack, 'riverside-prod-agency-ipv4')).toEqual(
      expect.arrayContaining([
        { Key: 'kind', Value: 'agency' },
        { Key: 'tenant_code', Value: 'riverside_isd' },
      ]),
    );
    expect(tagsOf(single.stack, 'riverside-prod-vpn-ipv4')).toEqual([{ Key: 'kind', Value: 'vpn' }]);

    const mixed = build([AGENCY, { ...AGENCY, cidr: '198.51.101.0/24', tenant: 'lakeside_charter' }]);
    expect(tagsOf(mixed.stack, 'riverside-prod-agency-ipv4')).toEqual([{ Key: 'kind', Value: 'agency' }]);

    const partly = build([AGENCY, { ...AGENCY, cidr: '198.51.101.0/24', tenant: undefined }]);
    expect(tagsOf(partly.stack, 'riverside-prod-agency-ipv4')).toEqual([{ Key: 'kind', Value: 'agency' }]);
  });
});

describe('AllowList refusals (NET-1, NET-2)', () => {
  test.each([
    ['0.0.0.0/0', /entry 1 \(0\.0\.0\.0\/0, agency\): 0\.0\.0\.0\/0 opens access to the whole internet \(NET-1\); list the specific network/],
    ['::/0', /entry 1 \(::\/0, agency\): ::\/0 opens access to the whole internet \(NET-1\)/],
    ['10.0.0.0/7', /entry 1 \(10\.0\.0\.0\/7, agency\): 10\.0\.0\.0\/7 is wider than \/8 \(NET-1\); name the specific network with a prefix of \/8 or longer/],
    ['2000::/15', /is wider than \/16 \(NET-1\)/],
    ['198.51.100.1/24', /has host bits set; the network it names is 198\.51\.100\.0\/24/],
  ])('refuses the open or malformed range %s', (cidr, message) => {
    expect(() => build([AGENCY, { ...AGENCY, cidr }])).toThrow(message);
  });

  test('accepts a /8', () => {
    expect(() => build([{ ...AGENCY, cidr: '10.0.0.0/8' }])).not.toThrow();
  });

  test('refuses a contractor entry without expiry, naming the entry and the fix', () => {
    expect(() => build([AGENCY, { ...CONTRACTOR, expires: undefined }])).toThrow(
      /entry 1 \(203\.0\.113\.200\/30, contractor\): contractor entries need an expiry date \(NET-2\); set expires to the last day of the contract/,
    );
  });

  test('refuses an expired entry; an entry expiring today is still valid', () => {
    expect(() => build([{ ...CONTRACTOR, expires: '2026-02-28' }])).toThrow(
      /entry 0 \(203\.0\.113\.200\/30, contractor\): expired on 2026-02-28 \(today is 2026-03-01\) \(NET-2\); remove the entry, or extend expires/,
    );
    expect(() => build([{ ...VPN4, expires: '2026-02-28' }])).toThrow(/expired on 2026-02-28/);
    expect(() => build([{ ...CONTRACTOR, expires: TODAY }])).not.toThrow();
  });

  test('refuses an invalid expiry date, an empty owner or purpose, and a duplicate network', () => {
    expect(() => build([{ ...CONTRACTOR, expires: '2027-02-30' }])).toThrow(/expires "2027-02-30" is not a date/);
    expect(() => build([{ ...AGENCY, owner: ' ' }])).toThrow(/owner is empty \(NET-2\)/);
    expect(() => build([{ ...AGENCY, purpose: '' }])).toThrow(/purpose is empty \(NET-2\)/);
    expect(() => build([AGENCY, { ...AGENCY }])).toThrow(/entry 1 .* repeats entry 0/);
  });

  test('defaults today to the current date', () => {
    const stack = newStack();
    expect(() => new AllowList(stack, 'A', { entries: [{ ...CONTRACTOR, expires: '2000-01-01' }], namePrefix: 'x' })).toThrow(/expired on 2000-01-01/);
  });
});

describe('AllowList.allowFrom (NET-1)', () => {
  test('adds one ingress rule per prefix list of the requested kinds, weighing its MaxEntries, and nothing from 0.0.0.0/0', () => {
    const stack = newStack();
    const allowList = new AllowList(stack, 'AllowList', {
      entries: [...manyAgencies(15), VPN4, VPN6, CONTRACTOR],
      namePrefix: 'riverside-prod',
      today: TODAY,
      capacity: { agency: 30, vpn: 10 },
    });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    // Three rules: agency IPv4 (30) + vpn IPv4 (10) + vpn IPv6 (10) count 50 against the quota.
    expect(allowList.allowFrom(sg, ec2.Port.tcp(443), ['agency', 'vpn'], 'HTTPS from agencies and VPN')).toBe(50);

    const template = Template.fromStack(stack);
    const ingress = ingressRules(template);
    expect(ingress).toHaveLength(3);
    const listIds = Object.keys(template.findResources('AWS::EC2::PrefixList'));
    for (const rule of ingress) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
      expect(rule.CidrIp).toBeUndefined();
      expect(rule.CidrIpv6).toBeUndefined();
      const ref = rule.SourcePrefixListId as { 'Fn::GetAtt': [string, string] };
      expect(listIds).toContain(ref['Fn::GetAtt'][0]);
      expect(ref['Fn::GetAtt'][1]).toBe('PrefixListId');
    }
    const contractorId = listIds.find((id) => /contractor/.test(id));
    expect(JSON.stringify(ingress)).not.toContain(contractorId);
  });

  test('SSH (or any range that includes port 22) admits administrator kinds only (NET-1)', () => {
    const { stack, allowList } = build([AGENCY, VPN4, { ...VPN4, cidr: '192.0.2.0/24', kind: 'admin' }]);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    expect(() => allowList.allowFrom(sg, ec2.Port.tcp(22), ['vpn', 'agency'], 'SSH')).toThrow(/would let agency networks reach SSH/);
    expect(() => allowList.allowFrom(sg, ec2.Port.tcpRange(20, 30), ['bi'], 'range')).toThrow(/would let bi networks reach SSH/);
    expect(() => allowList.allowFrom(sg, ec2.Port.allTraffic(), ['contractor'], 'all')).toThrow(/would let contractor networks reach SSH/);
    expect(allowList.allowFrom(sg, ec2.Port.tcp(22), ['vpn', 'admin'], 'SSH')).toBe(40);
    expect(allowList.allowFrom(sg, ec2.Port.tcp(443), ['agency'], 'HTTPS')).toBe(20);
  });

  test('a kind without entries adds no rule', () => {
    const { stack, allowList } = build([VPN4]);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    expect(allowList.allowFrom(sg, ec2.Port.tcp(22), ['admin'], 'SSH')).toBe(0);
    expect(ingressRules(Template.fromStack(stack))).toEqual([]);
  });
});
