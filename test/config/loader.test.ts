import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../../lib/config';

const EXAMPLE = readFileSync(join(__dirname, '../../config/example.yaml'), 'utf8');
const TODAY = '2026-11-23';

/** The example config as plain data, to mutate one field per test. */
function example(): Record<string, unknown> {
  return parseDocument(EXAMPLE).toJS() as Record<string, unknown>;
}

function issuesOf(raw: unknown, file = 'test.json', today = TODAY): Array<{ path: string; message: string }> {
  try {
    parseConfig(JSON.stringify(raw), file, { today });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected the config to be rejected');
}

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures edit arbitrary fields

function mutate(edit: (c: Mutable) => void): unknown {
  const c = example() as Mutable;
  edit(c);
  return c;
}

describe('loadConfig', () => {
  test('the example config is valid and complete', () => {
    const config = loadConfig(join(__dirname, '../../config/example.yaml'), { today: TODAY });
    expect(config.environments.map((e) => [e.name, e.production])).toEqual([
      ['dev', false],
      ['prod', true],
    ]);
    expect(new Set(config.environments.map((e) => e.account)).size).toBe(2);
    expect(config.tenants).toHaveLength(2);
    expect(new Set(config.allowList.map((e) => e.kind))).toEqual(new Set(['agency', 'orchestration', 'bi', 'contractor', 'vpn']));
    const contractor = config.allowList.find((e) => e.kind === 'contractor');
    expect(contractor?.expires && contractor.expires > TODAY).toBe(true);
    expect(config.people.length).toBeGreaterThan(0);
    expect(config.secrets.length).toBeGreaterThan(0);
  });

  test('a missing file names the file and the fix', () => {
    expect(() => loadConfig('/nonexistent/config.yaml')).toThrow(/config\.yaml:\n.*does not exist; pass an existing YAML or JSON file with -c config=/);
  });

  test('a directory is rejected', () => {
    expect(() => loadConfig(tmpdir())).toThrow(/is a directory/);
  });

  test('JSON files are read as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify(example()));
      expect(loadConfig(file, { today: TODAY }).deployment.name).toBe('riverside');
      writeFileSync(file, '{"deployment": ');
      expect(() => loadConfig(file)).toThrow(/c\.json:\n {2}- \(file\): is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad config is rejected with the field path and the fix', () => {
  test('malformed YAML', () => {
    expect(() => parseConfig('deployment:\n  name: [unclosed\n', 'bad.yaml')).toThrow(/bad\.yaml:\n {2}- \(file\): is not valid YAML: .*\(bad\.yaml:\d+:\d+\)$/);
  });

  test('a key written twice in YAML', () => {
    expect(() => parseConfig('deployment:\n  name: a\n  name: b\n', 'dup.yaml')).toThrow(/not valid YAML: a key is written twice .*\(dup\.yaml:3:3\)/);
  });

  test('a YAML list instead of a mapping', () => {
    expect(() => parseConfig('- a\n- b\n', 'list.yaml')).toThrow(/must be a mapping/);
  });

  test('unknown field', () => {
    expect(issuesOf(mutate((c) => (c.environments[0].vpcCidrs = '10.0.0.0/16')))).toEqual([
      { path: 'environments[0].vpcCidrs', message: expect.stringMatching(/is not a field of environments\[0\]; did you mean "vpcCidr"\?/) },
    ]);
  });

  test.each([
    ['not-a-cidr', /not a network in CIDR notation/],
    ['300.1.1.0/24', /does not start with a valid IPv4 or IPv6 address/],
    ['10.0.0.1/24', /host bits set; the network it names is 10\.0\.0\.0\/24/],
    ['10.0.0.0/33', /at most \/32/],
    ['0.0.0.0/0', /whole internet \(NET-1\)/],
    ['::/0', /whole internet \(NET-1\)/],
    ['12.0.0.0/7', /wider than \/8 \(NET-1\)/],
    ['2000::/8', /wider than \/16 \(NET-1\)/],
  ])('allow-list CIDR %s', (cidr, message) => {
    expect(issuesOf(mutate((c) => (c.allowList[0].cidr = cidr)))).toEqual([{ path: 'allowList[0].cidr', message: expect.stringMatching(message) }]);
  });

  test('IPv6 allow-list entries are accepted', () => {
    expect(() => parseConfig(JSON.stringify(mutate((c) => (c.allowList[0].cidr = '2001:db8:1234::/48'))), 'c.json', { today: TODAY })).not.toThrow();
  });

  test('contractor entry without expiry', () => {
    expect(issuesOf(mutate((c) => delete c.allowList[4].expires))).toEqual([
      { path: 'allowList[4].expires', message: expect.stringMatching(/required for contractor entries \(NET-2\)/) },
    ]);
  });

  test('expired entry, judged against the injected date', () => {
    const raw = mutate((c) => (c.allowList[4].expires = '2026-11-22'));
    expect(issuesOf(raw, 'c.json', '2026-11-23')).toEqual([
      { path: 'allowList[4].expires', message: expect.stringMatching(/2026-11-22 has passed \(today is 2026-11-23\) \(NET-2\); remove the entry, or extend it/) },
    ]);
    // The last day itself is still valid.
    expect(() => parseConfig(JSON.stringify(raw), 'c.json', { today: '2026-11-22' })).not.toThrow();
  });

  test('an impossible date', () => {
    expect(issuesOf(mutate((c) => (c.allowList[4].expires = '2027-02-30')))).toEqual([
      { path: 'allowList[4].expires', message: expect.stringMatching(/not a real calendar date/) },
    ]);
  });

  test('duplicate allow-list entry', () => {
    expect(issuesOf(mutate((c) => c.allowList.push({ ...c.allowList[0] })))).toEqual([
      { path: 'allowList[6].cidr', message: expect.stringMatching(/already listed as allowList\[0\] with kind agency/) },
    ]);
  });

  test('unknown tenant and unknown environment on an allow-list entry', () => {
    expect(issuesOf(mutate((c) => {
      c.allowList[0].tenant = 'hillside';
      c.allowList[0].environments = ['qa'];
    }))).toEqual([
      { path: 'allowList[0].tenant', message: '"hillside" is not a tenant; use one of: riverside_isd, lakeside_charter' },
      { path: 'allowList[0].environments[0]', message: '"qa" is not an environment; use one of: dev, prod' },
    ]);
  });

  test('duplicate tenant codes', () => {
    expect(issuesOf(mutate((c) => c.tenants.push({ code: 'riverside_isd', name: 'Again' })))).toEqual([
      { path: 'tenants[2].code', message: expect.stringMatching(/duplicates tenants\[0\]\.code "riverside_isd"/) },
    ]);
  });

  test.each(['Riverside', 'river-side', 'a'.repeat(33), '', "x'; drop table"])('tenant code %j', (code) => {
    expect(issuesOf(mutate((c) => (c.tenants[0].code = code)))).toEqual([
      expect.objectContaining({ path: 'tenants[0].code', message: expect.stringMatching(/\^\[a-z0-9_\]\{1,32\}\$/) }),
    ]);
  });

  test('environment without account', () => {
    expect(issuesOf(mutate((c) => delete c.environments[0].account))).toEqual([
      { path: 'environments[0].account', message: expect.stringMatching(/^is required: the 12-digit AWS account ID/) },
    ]);
  });

  test.each(['12345', '1111111111111', 'abcdefghijkl'])('malformed account ID %s', (account) => {
    expect(issuesOf(mutate((c) => (c.environments[0].account = account)))).toEqual([
      { path: 'environments[0].account', message: expect.stringMatching(/12-digit AWS account ID/) },
    ]);
  });

  test('an account ID written as a number is rejected with the fix', () => {
    expect(issuesOf(mutate((c) => (c.environments[0].account = 111111111111)))).toEqual([
      { path: 'environments[0].account', message: expect.stringMatching(/12-digit AWS account ID/) },
    ]);
  });

  test('duplicate environment names', () => {
    expect(issuesOf(mutate((c) => (c.environments[1].name = 'dev')))).toEqual(
      expect.arrayContaining([{ path: 'environments[1].name', message: expect.stringMatching(/duplicates environments\[0\]\.name "dev"/) }]),
    );
  });

  test('two environments in one account and region', () => {
    const sameAccount = mutate((c) => {
      c.environments[1].account = c.environments[0].account;
      delete c.environments[1].breakGlassRoleArn;
    });
    expect(issuesOf(sameAccount)).toEqual([
      { path: 'environments[1].account', message: expect.stringMatching(/shares account and region with environments\[0\] \(ENV-1\)/) },
    ]);
  });

  test('a break-glass role of another account (DATA-4)', () => {
    expect(issuesOf(mutate((c) => (c.environments[1].breakGlassRoleArn = 'arn:aws:iam::111111111111:role/admin')))).toEqual([
      { path: 'environments[1].breakGlassRoleArn', message: expect.stringMatching(/not the environment's account 222222222222 .*use a role of 222222222222/) },
    ]);
  });

  test('egress firewall domains (NET-4): valid names pass; wildcards, addresses, bare TLDs, capitals and duplicates are refused by path', () => {
    const good = mutate((c) => (c.environments[1].egressFirewall = { allowedDomains: ['.snowflakecomputing.com', 'api.edfi.riverside.example.org'] }));
    expect(() => parseConfig(JSON.stringify(good), 'test.json', { today: TODAY })).not.toThrow();
    const bad = mutate(
      (c) => (c.environments[1].egressFirewall = { allowedDomains: ['*.example.org', '203.0.113.10', '.com', 'Api.Example.org', 'api.example.org', 'api.example.org'] }),
    );
    const issues = issuesOf(bad);
    for (const i of [0, 1, 2, 3]) {
      expect(issues).toContainEqual({ path: `environments[1].egressFirewall.allowedDomains[${i}]`, message: expect.stringMatching(/must be a lowercase domain name/) });
    }
    expect(issues).toContainEqual({ path: 'environments[1].egressFirewall.allowedDomains[5]', message: expect.stringMatching(/duplicates allowedDomains\[4\]/) });
    expect(issuesOf(mutate((c) => (c.environments[1].egressFirewall = { allowedDomains: [] })))).toEqual([
      { path: 'environments[1].egressFirewall.allowedDomains', message: expect.stringMatching(/needs at least one domain/) },
    ]);
  });

  test('egress firewall subnets need room: three zones in a /20 are refused only with the firewall on', () => {
    const threeZones = (c: Mutable): void => {
      c.environments[1].availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
      c.environments[1].vpcCidr = '10.30.0.0/20';
    };
    expect(() => parseConfig(JSON.stringify(mutate(threeZones)), 'test.json', { today: TODAY })).not.toThrow();
    const withFirewall = mutate((c) => {
      threeZones(c);
      c.environments[1].egressFirewall = { allowedDomains: ['.snowflakecomputing.com'] };
    });
    expect(issuesOf(withFirewall)).toEqual([
      { path: 'environments[1].vpcCidr', message: expect.stringMatching(/too small: .*\/28 egress-firewall subnet per zone.*10\.20\.0\.0\/19/) },
    ]);
  });

  test('warehouse integration without external ID', () => {
    expect(issuesOf(mutate((c) => delete c.environments[1].warehouse.externalId))).toEqual([
      { path: 'environments[1].warehouse.externalId', message: expect.stringMatching(/^is required \(IAM-3\)/) },
    ]);
  });

  test.each(['admin', 'developer'])('%s access in production (IAM-4)', (level) => {
    expect(issuesOf(mutate((c) => (c.people[1].access.prod = level)))).toEqual([
      { path: 'people[1].access.prod', message: expect.stringMatching(new RegExp(`"${level}" is not allowed in production environment "prod" \\(IAM-4`)) },
    ]);
  });

  test('access for an unknown environment', () => {
    expect(issuesOf(mutate((c) => (c.people[0].access.staging = 'read')))).toEqual([
      { path: 'people[0].access.staging', message: expect.stringMatching(/"staging" is not an environment/) },
    ]);
  });

  test('log retention below a year (LOG-1)', () => {
    expect(issuesOf(mutate((c) => (c.environments[0].logRetentionDays = 30)))).toEqual([
      { path: 'environments[0].logRetentionDays', message: expect.stringMatching(/at least 365 days \(LOG-1/) },
    ]);
  });

  test('log retention that CloudWatch does not offer', () => {
    expect(issuesOf(mutate((c) => (c.environments[0].logRetentionDays = 500)))).toEqual([
      { path: 'environments[0].logRetentionDays', message: expect.stringMatching(/retention period of at least a year: 365, 400, 545, 731/) },
    ]);
  });

  test('availability zones outside the environment region', () => {
    expect(issuesOf(mutate((c) => (c.environments[0].availabilityZones = ['us-east-1a', 'us-west-2b'])))).toEqual([
      { path: 'environments[0].availabilityZones[1]', message: expect.stringMatching(/not in the environment's region us-east-1/) },
    ]);
  });

  test('a secret name that collides with a tenant credential path', () => {
    expect(issuesOf(mutate((c) => (c.secrets[0].name = 'riverside_isd/key')))).toEqual([
      { path: 'secrets[0].name', message: expect.stringMatching(/reserved for that tenant's Ed-Fi credentials/) },
    ]);
  });

  test('every problem is reported at once', () => {
    const issues = issuesOf(mutate((c) => {
      c.tenants.push({ code: 'riverside_isd', name: 'Again' });
      c.people[1].access.prod = 'admin';
      c.allowList[4].expires = '2020-01-01';
    }));
    expect(issues.map((i) => i.path)).toEqual(['tenants[2].code', 'allowList[4].expires', 'people[1].access.prod']);
  });
});

describe('identity account, host image and Airflow user (DEPLOY-3, DEPLOY-5, TEMP-2)', () => {
  test('identity fields are checked with their paths', () => {
    expect(issuesOf(mutate((c) => { c.identity.account = '3333'; c.identity.instanceArn = 'ssoins-1'; })).map((i) => i.path).sort()).toEqual(['identity.account', 'identity.instanceArn']);
  });

  test('an environment may not be named like the identity stage', () => {
    expect(issuesOf(mutate((c) => { c.environments[0].name = 'identity'; }))).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'environments[0].name', message: expect.stringMatching(/"identity" is reserved .*DEPLOY-3.*rename the environment/) })]),
    );
  });

  test('amiId must be an AMI ID; airflowPosixUser must not be root or a system id', () => {
    const issues = issuesOf(mutate((c) => { c.environments[0].amiId = 'al2023-latest'; c.environments[1].airflowPosixUser = { uid: 0, gid: 50000 }; }));
    expect(issues.map((i) => i.path).sort()).toEqual(['environments[0].amiId', 'environments[1].airflowPosixUser.uid']);
  });

  test('the Airflow user defaults to uid/gid 50000 and amiId is optional', () => {
    const config = parseConfig(JSON.stringify(mutate((c) => { delete c.environments[0].amiId; })), 'x.json', { today: TODAY });
    expect(config.environments[0].amiId).toBeUndefined();
    expect(config.environments[0].airflowPosixUser).toEqual({ uid: 50000, gid: 50000 });
  });
});
