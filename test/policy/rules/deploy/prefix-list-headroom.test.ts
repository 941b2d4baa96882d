import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowList } from '../../../../constructs/allow-list';
import { prefixListHeadroomRule as rule } from '../../../../lib/policy/rules/deploy/prefix-list-headroom';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const entry = (cidr: string): { Cidr: string; Description: string } => ({ Cidr: cidr, Description: 'owner=o; purpose=p' });

describe('DEPLOY4-PrefixListHeadroom', () => {
  test('L2 AllowList (fixed capacity) passes; L1 CfnPrefixList sized to its entries or below fails', () => {
    const stack = testStack();
    new AllowList(stack, 'AllowList', {
      entries: [{ cidr: '10.99.0.0/22', kind: 'vpn', owner: 'Security office', purpose: 'VPN' }],
      namePrefix: 'x',
      today: '2026-01-01',
    });
    new ec2.CfnPrefixList(stack, 'Full', { prefixListName: 'full', addressFamily: 'IPv4', maxEntries: 2, entries: [{ cidr: '10.0.0.0/24' }, { cidr: '10.0.1.0/24' }] });
    new ec2.CfnPrefixList(stack, 'Roomy', { prefixListName: 'roomy', addressFamily: 'IPv4', maxEntries: 3, entries: [{ cidr: '10.0.0.0/24' }, { cidr: '10.0.1.0/24' }] });
    expect(violations(stack, rule)).toEqual(['Full: MaxEntries=2-equals-entries=2']);
  });

  test('more than 100 entries in one list fails, whatever MaxEntries (CloudFormation takes at most 100); L2, L1 and Fn::If', () => {
    const stack = testStack();
    const hundred = Array.from({ length: 100 }, (_, i) => ({ cidr: `10.0.${i}.0/24` }));
    new ec2.CfnPrefixList(stack, 'Hundred', { prefixListName: 'hundred', addressFamily: 'IPv4', maxEntries: 200, entries: hundred });
    new ec2.CfnPrefixList(stack, 'Over', { prefixListName: 'over', addressFamily: 'IPv4', maxEntries: 200, entries: [...hundred, { cidr: '10.1.0.0/24' }] });
    // The L2 splits 150 entries into lists of 100 and 50: nothing to report.
    new AllowList(stack, 'AllowList', {
      entries: hundred.concat(hundred.slice(0, 50).map((e) => ({ cidr: e.cidr.replace(/^10\.0\./, '10.2.') }))).map((e) => ({ cidr: e.cidr, kind: 'agency' as const, owner: 'o', purpose: 'p' })),
      namePrefix: 'x',
      today: '2026-01-01',
      capacity: { agency: 200 },
    });
    expect(violations(stack, rule)).toEqual(['Over: Entries=101-above-100']);
    const template = templateOf({
      Either: {
        Type: 'AWS::EC2::PrefixList',
        Properties: { AddressFamily: 'IPv4', MaxEntries: 500, Entries: { 'Fn::If': ['Big', [...hundred, { Cidr: '10.1.0.0/24' }].map((e) => ('cidr' in e ? entry(e.cidr) : e)), [entry('10.0.0.0/24')]] } },
      },
    });
    expect(violations(template, rule)).toEqual(['Either: Entries=101-above-100']);
  });

  test('hand-written templates: literal, string, parameter default, Fn::If entries; unreadable MaxEntries is unresolved', () => {
    const template = templateOf(
      {
        Below: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv4', MaxEntries: 1, Entries: [entry('10.0.0.0/24'), entry('10.0.1.0/24')] } },
        AsText: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv4', MaxEntries: '1', Entries: [entry('10.0.0.0/24')] } },
        FromParam: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv4', MaxEntries: { Ref: 'Size' }, Entries: [entry('10.0.0.0/24')] } },
        Conditional: {
          Type: 'AWS::EC2::PrefixList',
          Properties: {
            AddressFamily: 'IPv4',
            MaxEntries: 2,
            Entries: { 'Fn::If': ['Big', [entry('10.0.0.0/24'), entry('10.0.1.0/24')], [entry('10.0.0.0/24')]] },
          },
        },
        DroppedEntry: {
          Type: 'AWS::EC2::PrefixList',
          Properties: { AddressFamily: 'IPv4', MaxEntries: 2, Entries: [entry('10.0.0.0/24'), { 'Fn::If': ['Big', entry('10.0.1.0/24'), { Ref: 'AWS::NoValue' }] }] },
        },
        Good: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv6', MaxEntries: 10, Entries: [entry('2001:db8::/48')] } },
        Empty: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv4', MaxEntries: 5 } },
        Unknown: { Type: 'AWS::EC2::PrefixList', Properties: { AddressFamily: 'IPv4', MaxEntries: { Ref: 'NoDefault' }, Entries: [entry('10.0.0.0/24')] } },
      },
      { Parameters: { Size: { Type: 'Number', Default: 1 }, NoDefault: { Type: 'Number' } }, Conditions: { Big: {} } },
    );
    expect(violations(template, rule).sort()).toEqual(
      [
        'AsText: MaxEntries=1-equals-entries=1',
        'Below: MaxEntries=1-below-entries=2',
        'Conditional: MaxEntries=2-equals-entries=2',
        'DroppedEntry: MaxEntries=2-equals-entries=2',
        'FromParam: MaxEntries=1-equals-entries=1',
      ].sort(),
    );
    expect(unresolvedWarnings(template, rule)).toEqual(['Unknown: MaxEntries']);
  });
});
