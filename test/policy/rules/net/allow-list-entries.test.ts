import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowList } from '../../../../constructs/allow-list';
import { allowListEntriesRule } from '../../../../lib/policy/rules/net/allow-list-entries';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { EduRule, TemplateResource } from '../../../../lib/policy/rule';

const TODAY = '2026-03-01';
/** The rule as the gate runs it in an app synthesized with `-c today=2026-03-01`. */
const rule: EduRule = { ...allowListEntriesRule, check: (resource, context) => allowListEntriesRule.check(resource, { ...context, today: TODAY }) };
const list = (entries: unknown[], extra: Record<string, unknown> = {}): TemplateResource => ({
  Type: 'AWS::EC2::PrefixList',
  Properties: { PrefixListName: 'agency-ipv4', AddressFamily: 'IPv4', MaxEntries: 10, Entries: entries, ...extra },
});

describe('NET2-AllowListEntries', () => {
  describe('constructs', () => {
    const stack = testStack();
    new AllowList(stack, 'AllowList', {
      namePrefix: 'riverside-prod',
      today: TODAY,
      entries: [
        { cidr: '198.51.100.0/24', kind: 'agency', owner: 'Riverside ISD IT', purpose: 'SIS exports' },
        { cidr: '203.0.113.0/28', kind: 'contractor', owner: 'Acme Data', purpose: 'migration support', expires: '2026-06-30' },
      ],
    });
    new ec2.CfnPrefixList(stack, 'L1Contractor', {
      prefixListName: 'riverside-prod-contractor-extra',
      addressFamily: 'IPv4',
      maxEntries: 2,
      entries: [{ cidr: '192.0.2.0/28', description: 'owner=acme; purpose=support' }],
    });
    it('accepts the AllowList construct and fails an L1 contractor entry without an expiry', () => {
      expect(violations(stack, rule)).toEqual(['L1Contractor: Entries[0].contractor-without-expires']);
    });
  });

  describe('hand-written templates', () => {
    it('fails missing owner/purpose, expired entries and malformed dates; an entry is valid through its expiry day', () => {
      const template = templateOf({
        Agency: list([
          { Cidr: '198.51.100.0/24', Description: 'owner=district-it; purpose=sis' },
          { Cidr: '198.51.101.0/24', Description: 'purpose=sis' },
          { Cidr: '198.51.102.0/24' },
          { Cidr: '198.51.103.0/24', Description: 'owner=x; purpose=y; expires=2026-02-28' },
          { Cidr: '198.51.104.0/24', Description: `owner=x; purpose=y; expires=${TODAY}` },
          { Cidr: '198.51.105.0/24', Description: 'owner=x; purpose=y; expires=2026-02-30' },
          { Cidr: '198.51.106.0/24', Description: 'owner=x purpose=y kind=contractor' },
        ]),
      });
      expect(violations(template, rule)).toEqual([
        'Agency: Entries[1].Description-missing-owner',
        'Agency: Entries[2].Description-missing-owner',
        'Agency: Entries[2].Description-missing-purpose',
        'Agency: Entries[3].expired=2026-02-28',
        'Agency: Entries[5].expires-not-YYYY-MM-DD',
        'Agency: Entries[6].contractor-without-expires',
      ]);
    });

    it('recognises contractor lists by kind tag or name, reads Fn::Join descriptions and warns on unreadable ones', () => {
      const template = templateOf(
        {
          Tagged: list([{ Cidr: '192.0.2.0/28', Description: 'owner=a; purpose=b' }], { Tags: [{ Key: 'kind', Value: 'contractor' }] }),
          Named: list([{ Cidr: '192.0.2.16/28', Description: { 'Fn::Join': ['; ', ['owner=a', 'purpose=b', 'expires=2025-12-31']] } }], { PrefixListName: 'edu-contractorVpn' }),
          Unknown: list([{ Cidr: '192.0.2.32/28', Description: { 'Fn::ImportValue': 'desc' } }]),
        },
      );
      expect(violations(template, rule).sort()).toEqual(['Named: Entries[0].expired=2025-12-31', 'Tagged: Entries[0].contractor-without-expires']);
      expect(unresolvedWarnings(template, rule)).toEqual(['Unknown: Entries[0].Description']);
    });

    it('judges the default rule against the real date', () => {
      const template = templateOf({ Old: list([{ Cidr: '192.0.2.0/28', Description: 'owner=a; purpose=b; expires=2000-01-01' }]) });
      expect(violations(template, allowListEntriesRule)).toEqual(['Old: Entries[0].expired=2000-01-01']);
    });
  });
});
