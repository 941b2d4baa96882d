import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../../lib/config';
import { warehouseConfigIssues } from '../../lib/warehouse/plan';

/**
 * Unusual and hostile config files (issue 14, "Why"): each is refused by
 * name, with no stack trace and no file written, and no message quotes the
 * file's content or a secret-looking value.
 */
const ROOT = join(__dirname, '..', '..');
const EXAMPLE = readFileSync(join(ROOT, 'config', 'example.yaml'), 'utf8');
const TODAY = '2026-11-23';
const dir = mkdtempSync(join(tmpdir(), 'edu-config-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary fields

function example(): Mutable {
  return parseDocument(EXAMPLE).toJS() as Mutable;
}

function mutated(edit: (c: Mutable) => void): Mutable {
  const c = example();
  edit(c);
  return c;
}

/** The ConfigError a text produces (fails the test when it is accepted or throws anything else). */
function errorOf(text: string, file = 'c.yaml', options: Parameters<typeof parseConfig>[2] = { today: TODAY }): ConfigError {
  try {
    parseConfig(text, file, options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the config to be rejected');
}

const yamlOf = (c: Mutable): string => stringify(c);
const jsonOf = (c: Mutable): string => JSON.stringify(c, null, 2);
const issue = (err: ConfigError, path: string) => err.issues.find((i) => i.path === path);

describe('hostile YAML', () => {
  test('an alias bomb ("billion laughs") is refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    const err = errorOf(`${bomb.join('\n')}\n`);
    expect(err.message).toMatch(/\(file\): expands its aliases .* "billion laughs"/);
  });

  test('an undefined alias is refused by name', () => {
    expect(errorOf(`${EXAMPLE}\nextra: *nowhere\n`).message).toMatch(/alias \(\*name\) whose anchor \(&name\) is not defined/);
  });

  test('an unknown YAML tag is refused, with its line', () => {
    const err = errorOf(EXAMPLE.replace('dataClassification: student-data-ferpa', 'dataClassification: !vault student-data-ferpa'));
    const line = EXAMPLE.split('\n').findIndex((l) => l.includes('dataClassification:')) + 1;
    expect(err.issues).toEqual([expect.objectContaining({ path: '', message: expect.stringMatching(/unknown YAML tag/), location: { line, column: 23 } })]);
  });

  test('each YAML syntax error is reported once, with file:line:column and no quoted text', () => {
    const err = errorOf('deployment:\n  name: [zebra\n', 'bad.yaml');
    expect(err.issues).toHaveLength(1);
    expect(err.message.match(/bad\.yaml:\d+:\d+/g)).toHaveLength(1);
    expect(err.message).not.toContain('zebra');
  });

  test('a key written twice is refused in YAML', () => {
    expect(errorOf('deployment:\n  name: a\n  name: b\n').issues[0]).toEqual(expect.objectContaining({ message: expect.stringMatching(/key is written twice/), location: { line: 3, column: 3 } }));
  });
});

describe('hostile JSON', () => {
  test('a duplicate key is refused in JSON as in YAML (a contractor cannot lose its expiry that way)', () => {
    const json = jsonOf(example()).replace('"expires": "2027-06-30"', '"expires": "2027-06-30",\n      "expires": "2099-01-01"');
    expect(errorOf(json, 'c.json').message).toMatch(/key is written twice .*\(c\.json:\d+:\d+\)/);
  });

  test('a JSON syntax error names line and column and never quotes the file', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const err = errorOf(`{\n  "deployment": { "name": ${secret} }\n}\n`, 'c.json');
    expect(err.message).toMatch(/is not valid JSON: syntax error at line 2, column \d+/);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('deployment');
  });
});

describe('bytes', () => {
  test('invalid UTF-8 is refused, not replaced', () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(EXAMPLE.replace('Riverside Independent School District', 'Riverside ISD')), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]));
    expect(() => loadConfig(file, { today: TODAY })).toThrow(/is not valid UTF-8 text/);
  });

  test('a file over 1 MiB is refused before parsing', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `${EXAMPLE}\n${'#'.repeat(1024 * 1024)}\n`);
    expect(() => loadConfig(file)).toThrow(/a config file is at most 1048576 bytes/);
  });
});

describe('AWS bounds', () => {
  test.each([
    ['10.20.0.0/22', /too small: the network stack needs a \/20 or larger for 2 availability zones/],
    ['10.0.0.0/8', /wider than \/16, the largest VPC AWS allows/],
    ['2001:db8::/56', /is IPv6; a VPC's primary range is IPv4/],
    ['10.20.0.0/33', /prefix|CIDR|network/i],
  ])('vpcCidr %s is refused by name', (cidr, message) => {
    const err = errorOf(yamlOf(mutated((c) => (c.environments[0].vpcCidr = cidr))));
    expect(issue(err, 'environments[0].vpcCidr')?.message).toMatch(message);
  });

  test('a /20 VPC is the smallest accepted, also with three zones', () => {
    expect(() => parseConfig(yamlOf(mutated((c) => { c.environments[0].vpcCidr = '10.20.0.0/20'; c.environments[0].availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c']; })), 'c.yaml', { today: TODAY })).not.toThrow();
  });

  test('an unknown region is refused; GovCloud and China regions are accepted with ARNs of their partition', () => {
    expect(issue(errorOf(yamlOf(mutated((c) => (c.environments[0].region = 'us-east-3')))), 'environments[0].region')?.message).toMatch(/must be an AWS region code/);
    const gov = mutated((c) => {
      c.environments[0].region = 'us-gov-west-1';
      c.environments[0].warehouse.snowflakeUserArn = 'arn:aws-us-gov:iam::999999999999:user/sf-dev';
      c.identity = { account: '333333333333', region: 'us-gov-west-1', instanceArn: 'arn:aws-us-gov:sso:::instance/ssoins-72230a7b1f3e9c5d' };
      c.environments[1].region = 'cn-north-1';
      c.environments[1].warehouse.snowflakeUserArn = 'arn:aws-cn:iam::999999999999:user/sf-prod';
    });
    expect(() => parseConfig(yamlOf(gov), 'c.yaml', { today: TODAY })).not.toThrow();
  });

  test('an ARN of another partition than its region is refused', () => {
    const err = errorOf(yamlOf(mutated((c) => (c.environments[0].warehouse.snowflakeUserArn = 'arn:aws-us-gov:iam::999999999999:user/sf'))));
    expect(issue(err, 'environments[0].warehouse.snowflakeUserArn')?.message).toMatch(/partition aws-us-gov, but region us-east-1 is in partition aws/);
  });

  // The list's length is refused without checking its entries one by one (partialConfig skips a list
  // over its limit); a larger list than this is refused by the 1 MiB file cap first.
  test('a 10,000-entry allow-list is refused naming the field, before any stack is built', () => {
    const big = mutated((c) => {
      c.allowList = Array.from({ length: 10_000 }, (_, i) => ({ cidr: `10.${(i >> 8) & 255}.${i & 255}.0/24`.replace(/^10\./, `${11 + (i >> 16)}.`), kind: 'agency', owner: 'o', purpose: 'p' }));
    });
    const err = errorOf(JSON.stringify(big), 'c.json');
    expect(issue(err, 'allowList')?.message).toMatch(/holds more than 1000 entries/);
    // One problem, not one per entry or per prefix list the entries would need.
    expect(err.issues.map((i) => i.path)).toEqual(['allowList']);
  });
});

describe('allow-list overlaps', () => {
  test('two entries of one kind that overlap are refused; of different kinds they are not', () => {
    const overlap = mutated((c) => c.allowList.push({ ...c.allowList[0], cidr: '198.51.100.128/25', tenant: undefined }));
    expect(issue(errorOf(jsonOf(overlap), 'c.json'), 'allowList[6].cidr')?.message).toMatch(/overlaps allowList\[0\] \(198\.51\.100\.0\/24\) of the same kind agency/);
    const otherKind = mutated((c) => c.allowList.push({ ...c.allowList[0], cidr: '198.51.100.128/25', kind: 'bi', tenant: undefined }));
    expect(() => parseConfig(jsonOf(otherKind), 'c.json', { today: TODAY })).not.toThrow();
  });
});

describe('warehouse references are checked at synth and validate, not only by the warehouse command', () => {
  test('an unknown tenant and an expired grant in warehouseAccess are refused', () => {
    const c = mutated((x) => {
      x.warehouseAccess = { groupTenants: [{ group: 'data-engineers', tenants: ['hillside'], expires: '2026-01-01' }] };
    });
    const err = errorOf(yamlOf(c), 'c.yaml', { today: TODAY, checks: [warehouseConfigIssues] });
    expect(err.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['warehouseAccess.groupTenants[0].tenants[0]', 'warehouseAccess.groupTenants[0].expires']));
    expect(issue(err, 'warehouseAccess.groupTenants[0].tenants[0]')?.location).toBeDefined();
  });
});

describe('secret-looking values are refused in any field, by path only', () => {
  const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----';
  test.each([
    ['AWS access key id', (c: Mutable) => (c.allowList[0].purpose = 'key AKIAIOSFODNN7EXAMPLE'), 'allowList[0].purpose', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS session key id', (c: Mutable) => (c.environments[0].sshKeyPairName = 'ASIAIOSFODNN7EXAMPLE'), 'environments[0].sshKeyPairName', 'ASIAIOSFODNN7EXAMPLE'],
    ['AWS secret access key', (c: Mutable) => (c.secrets[0].purpose = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'secrets[0].purpose', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['PEM private key', (c: Mutable) => (c.deployment.dataClassification = PEM), 'deployment.dataClassification', 'MIIEpAIBAAKCAQEA7'],
    ['Slack token', (c: Mutable) => (c.allowList[1].owner = 'xoxb-123456789012-abcdefghijkl'), 'allowList[1].owner', 'xoxb-123456789012-abcdefghijkl'],
    ['GitHub token', (c: Mutable) => (c.tenants[0].name = `ghp_${'a1B2'.repeat(9)}`), 'tenants[0].name', `ghp_${'a1B2'.repeat(9)}`],
    ['JWT', (c: Mutable) => (c.tenants[1].name = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'), 'tenants[1].name', 'eyJhbGciOiJIUzI1NiJ9'],
    ['secret in a field that is also invalid', (c: Mutable) => (c.allowList[0].cidr = 'AKIAIOSFODNN7EXAMPLE'), 'allowList[0].cidr', 'AKIAIOSFODNN7EXAMPLE'],
  ])('%s', (_name, edit, path, value) => {
    const err = errorOf(yamlOf(mutated(edit)));
    expect(issue(err, path)?.message).toMatch(/looks like a secret .*secrets go to Parameter Store via `edu-baseline secrets put`/);
    expect(err.issues.filter((i) => i.path === path)).toHaveLength(1);
    expect(err.message).not.toContain(value);
  });
});

describe('messages a person can act on', () => {
  test('a present value of the wrong type is named as a wrong type, with the value', () => {
    const err = errorOf(EXAMPLE.replace('production: true', 'production: yes').replace('maxAgeDays: 90', 'maxAgeDays: "90"'));
    expect(issue(err, 'environments[1].production')?.message).toBe('must be true or false (unquoted), not the string "yes" (true for production, false otherwise)');
    const age = err.issues.find((i) => /^secrets\[\d+\]\.maxAgeDays$/.test(i.path));
    expect(age?.message).toBe('must be a number (unquoted), not the string "90"');
  });

  test('every issue carries file:line:column', () => {
    const err = errorOf(EXAMPLE.replace('production: true', 'production: yes'), 'riverside.yaml');
    const line = EXAMPLE.split('\n').findIndex((l) => l.includes('production: true')) + 1;
    expect(err.message).toContain(`environments[1].production: must be true or false`);
    expect(err.message).toContain(`(riverside.yaml:${line}:17)`);
  });

  test('an unknown key gets "did you mean", at the key\'s own position', () => {
    const err = errorOf(EXAMPLE.replace('    natGateways: 1', '    natGateway: 1'));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'environments[0].natGateway', message: expect.stringMatching(/did you mean "natGateways"\?/), location: expect.objectContaining({ column: 5 }) })]);
  });

  test('an enum error lists the allowed values and the value received', () => {
    const err = errorOf(EXAMPLE.replace('kind: bi', 'kind: partner'));
    expect(err.issues[0].message).toBe('must be one of agency, orchestration, bi, contractor, vpn, admin, not the string "partner"');
  });

  test('schema and cross-field problems are reported in one run', () => {
    const err = errorOf(EXAMPLE.replace('production: true', 'production: yes').replace('tenant: lakeside_charter', 'tenant: hillside'));
    expect(err.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['environments[1].production', 'allowList[1].tenant']));
  });
});

describe('bin/edu-baseline.ts on a hostile file: message, exit 1, no stack trace, no template', () => {
  test.each([
    ['bomb.yaml', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n', /billion laughs/],
    ['small-vpc.yaml', EXAMPLE.replace('vpcCidr: 10.20.0.0/16', 'vpcCidr: 10.20.0.0/22'), /needs a \/20 or larger/],
  ])('%s', (name, text, message) => {
    const config = join(dir, name);
    writeFileSync(config, text);
    const outdir = join(dir, `${name}.out`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/edu-baseline.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config, today: TODAY, gate: 'off' }) },
    });
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(1);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });
});
