import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, parseConfig } from '../../lib/config';

/** DEPLOY-4 in the config: prefix-list headroom and the security-group rule quota, refused before any template exists. */

const EXAMPLE = readFileSync(join(__dirname, '../../config/example.yaml'), 'utf8');
const TODAY = '2026-11-23';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures edit arbitrary fields

function withEdit(edit: (c: Mutable) => void): string {
  const c = parseDocument(EXAMPLE).toJS() as Mutable;
  edit(c);
  return JSON.stringify(c);
}

function issuesOf(text: string): Array<{ path: string; message: string }> {
  try {
    parseConfig(text, 'test.json', { today: TODAY });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).issues];
  }
  return [];
}

function networks(count: number, kind: string): Mutable[] {
  return Array.from({ length: count }, (_, i) => ({
    cidr: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`,
    kind,
    owner: 'Security office',
    purpose: `Administrator network ${i}`,
  }));
}

describe('DEPLOY-4 prefix-list capacity and security-group rule quota', () => {
  test('the example fits: default capacity 20 per list, SSH weighs 20 of 60', () => {
    expect(issuesOf(withEdit(() => undefined))).toEqual([]);
  });

  test('160 VPN entries (the case of issue 12) are refused at the capacity, naming the field and the fix', () => {
    const issues = issuesOf(withEdit((c) => c.allowList.push(...networks(159, 'vpn'))));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'deployment.prefixListCapacity', message: expect.stringMatching(/has 160 vpn IPv4 entries; a prefix list needs room for one more/) }),
      expect.objectContaining({ path: 'deployment.prefixListCapacity', message: expect.stringMatching(/has 160 vpn IPv4 entries/) }),
    ]);
  });

  test('a capacity that fits the entries but not the quota is refused with the quota named', () => {
    const issues = issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = { vpn: 200 };
      c.allowList.push(...networks(159, 'vpn'));
    }));
    expect(issues.map((i) => i.path)).toEqual(['deployment.securityGroupRuleQuota', 'deployment.securityGroupRuleQuota']);
    // 160 entries are two lists in the template (at most 100 each), each weighing its MaxEntries.
    expect(issues[0].message).toMatch(/is 60, but the SSH rules of environment "dev" weigh 400 inbound rules/);
    expect(issues[0].message).toMatch(/"Inbound or outbound rules per security group" quota \(2 vpn IPv4 lists \(2 x 200\)\)/);
    expect(issues[0].message).toMatch(/set deployment.securityGroupRuleQuota/);
  });

  test('vpn and admin lists add up; IPv6 lists count too', () => {
    const issues = issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = 25;
      c.allowList.push(networks(1, 'admin')[0], { cidr: '2001:db8::/48', kind: 'vpn', owner: 'o', purpose: 'p' });
    }));
    expect(issues[0]).toMatchObject({ path: 'deployment.securityGroupRuleQuota', message: expect.stringMatching(/weigh 75 inbound rules.*vpn IPv4 \(25\) \+ vpn IPv6 \(25\) \+ admin IPv4 \(25\)/) });
  });

  test('a raised quota is honoured, and agency lists do not count against the SSH group', () => {
    expect(issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = { vpn: 200, agency: 500 };
      c.deployment.securityGroupRuleQuota = 400;
      c.allowList.push(...networks(159, 'vpn'), ...networks(300, 'agency').map((n, i) => ({ ...n, cidr: `10.${200 + Math.floor(i / 256)}.${i % 256}.0/24` })));
    }))).toEqual([]);
  });

  test('over 100 entries of one kind need a capacity above 100 only (one list per 100), not above the entry count', () => {
    expect(issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = { agency: 101 };
      c.allowList.push(...networks(250, 'agency'));
    }))).toEqual([]);
    const issues = issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = { agency: 100 };
      c.allowList.push(...networks(250, 'agency'));
    }));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'deployment.prefixListCapacity.agency', message: expect.stringMatching(/is 100, but environment "dev" has 252 agency IPv4 entries.*above 100 and deploy/) }),
      expect.objectContaining({ path: 'deployment.prefixListCapacity.agency', message: expect.stringMatching(/environment "prod" has 252 agency IPv4 entries/) }),
    ]);
  });

  test('a per-kind capacity is reported at its own path; bad capacities are refused', () => {
    expect(issuesOf(withEdit((c) => {
      c.deployment.prefixListCapacity = { vpn: 2 };
      c.allowList.push(...networks(1, 'vpn'));
    }))[0].path).toBe('deployment.prefixListCapacity.vpn');
    expect(issuesOf(withEdit((c) => { c.deployment.prefixListCapacity = 1; })).map((i) => i.path)).toEqual(['deployment.prefixListCapacity']);
    expect(issuesOf(withEdit((c) => { c.deployment.prefixListCapacity = { office: 10 }; })).map((i) => i.path)[0]).toMatch(/^deployment.prefixListCapacity/);
  });
});
