import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { declaredSecrets, DeclaredSecret, findEnvironment, loadConfig } from '../../lib/config';
import { FakeSsmServer } from './support/fake-ssm-server';
import { allOutput, childEnv, ROOT, runCli as runChild, runInProcess as runCli } from './support/run-cli';

/**
 * The real CLI against a local endpoint that speaks the SSM JSON 1.1
 * protocol: the SDK's serialisation, SigV4 signing, retries and paging all
 * run. Most cases run the `edu-baseline` program in this process (`runCli`,
 * the same commander program, command code and SDK client, reading the same
 * fake credentials from the environment); the cases that depend on being a
 * separate process run it as a child (`runChild`: values piped to real stdin,
 * an argv value, a fresh environment without credentials, process.exit of a
 * usage error, exit codes 0, 1 and 2 of the real process). Every value
 * written contains SENTINEL; the last test proves it reached no output of
 * either kind.
 */

const SENTINEL = `S3NT1NEL-${randomBytes(12).toString('hex')}`;
const DAY = 24 * 60 * 60 * 1000;
const config = loadConfig(join(ROOT, 'config', 'example.yaml'));
const dev = findEnvironment(config, 'dev');
const declared: DeclaredSecret[] = declaredSecrets(config, dev);
const KEY = 'alias/riverside-dev-secrets';

const server = new FakeSsmServer(3);
let endpoint = '';

function cli(sub: string, ...args: string[]): string[] {
  return ['secrets', sub, '--env', 'dev', '--endpoint-url', endpoint, ...args];
}

function valueFor(name: string): string {
  return `${SENTINEL}:${name}`;
}

/** Every declared secret present and correct, written `ageDays` ago. */
function seedAllGood(ageDays = 1): void {
  for (const d of declared) {
    server.seed({ name: d.name, type: 'SecureString', value: valueFor(d.name), keyId: KEY, lastModifiedDate: new Date(Date.now() - ageDays * DAY) });
  }
}

function puts(): number {
  return server.requests.filter((r) => r.action === 'PutParameter').length;
}

async function inPairs<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(fn));
}

beforeAll(async () => {
  endpoint = await server.start();
});

afterAll(async () => {
  await server.stop();
});

beforeEach(() => server.reset());

describe('secrets put then check against a local SSM endpoint', () => {
  it.each(['dev', 'prod'])('writes every declared secret of %s in the example config as SecureString with its key, and check passes', async (envName) => {
    const env = findEnvironment(config, envName);
    const secrets = declaredSecrets(config, env);
    const key = `alias/riverside-${envName}-secrets`;
    const run = (sub: string, ...args: string[]) => ['secrets', sub, '--env', envName, '--endpoint-url', endpoint, ...args];
    expect(secrets).toHaveLength(10);
    await inPairs(secrets, async (d) => {
      // Tenant credentials by their short name, the others by their full name.
      const name = d.tenantCode ? d.name.replace(`/edu/${envName}/`, '') : d.name;
      // One value per environment goes through a real child's stdin pipe.
      const runner = d === secrets[0] ? runChild : runCli;
      const result = await runner(run('put', name), { stdin: `${valueFor(d.name)}\n` });
      expect(result).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(`Created ${d.name} (SecureString, ${key}, version 1)`);
    });

    for (const d of secrets) {
      const stored = server.get(d.name);
      expect(stored).toMatchObject({ type: 'SecureString', keyId: key, value: valueFor(d.name), description: d.purpose });
      expect(stored?.tags).toEqual(d.tenantCode ? { tenant_code: d.tenantCode } : {});
    }

    const check = await runCli(run('check'));
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`check passed: all 10 declared secrets of ${envName}`);

    const list = await runCli(run('list', '--format', 'json'));
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as { keyAlias: string; parameters: Array<Record<string, unknown>> };
    expect(parsed.keyAlias).toBe(key);
    expect(parsed.parameters.map((p) => p.name)).toEqual(secrets.map((d) => d.name));
    for (const p of parsed.parameters) expect(p).toMatchObject({ status: 'present', type: 'SecureString', keyId: key, ageDays: 0 });

    // 10 parameters, pages of 3: the SDK followed NextToken to the end.
    const describes = server.requests.filter((r) => r.action === 'DescribeParameters');
    expect(describes.filter((r) => r.nextToken).length).toBeGreaterThanOrEqual(3);
    expect(server.requests.every((r) => r.signed && r.signedRegion === env.region)).toBe(true);
    // The tool never reads a value back.
    expect(new Set(server.requests.map((r) => r.action))).toEqual(new Set(['PutParameter', 'DescribeParameters']));
  }, 300_000);

  it('list agrees with check on every parameter (plain String, wrong key, overdue) and names undeclared ones, through paging', async () => {
    seedAllGood();
    const [overdue, plain, wrongKey] = [declared[0], declared[2], declared[4]];
    server.seed({ name: overdue.name, type: 'SecureString', value: valueFor(overdue.name), keyId: KEY, lastModifiedDate: new Date(Date.now() - (overdue.maxAgeDays + 1) * DAY) });
    server.seed({ name: plain.name, type: 'String', value: valueFor(plain.name), lastModifiedDate: new Date() });
    server.seed({ name: wrongKey.name, type: 'SecureString', value: valueFor(wrongKey.name), keyId: 'alias/aws/ssm', lastModifiedDate: new Date() });
    server.seed({ name: '/edu/dev/legacy/smtp-password', type: 'String', value: valueFor('legacy'), lastModifiedDate: new Date() });
    const list = await runCli(cli('list', '--format', 'json'));
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as { parameters: Array<{ name: string; check: string[] }>; undeclared: Array<{ name: string; type: string }> };
    const verdicts = Object.fromEntries(parsed.parameters.map((p) => [p.name, p.check.join(',')]));
    expect(verdicts[overdue.name]).toBe('overdue');
    expect(verdicts[plain.name]).toBe('plain String');
    expect(verdicts[wrongKey.name]).toBe('wrong key');
    expect(Object.values(verdicts).filter((v) => v === 'ok')).toHaveLength(declared.length - 3);
    expect(parsed.undeclared).toEqual([expect.objectContaining({ name: '/edu/dev/legacy/smtp-password', type: 'String' })]);
    const check = await runCli(cli('check', '--format', 'json'));
    expect(check.code).toBe(1);
    const failing = new Set((JSON.parse(check.stdout) as { problems: Array<{ name: string }> }).problems.map((p) => p.name));
    expect(failing).toEqual(new Set(parsed.parameters.filter((p) => p.check[0] !== 'ok').map((p) => p.name)));
  });

  it('list shows missing and present parameters in text with type, key, date and age', async () => {
    server.seed({ name: '/edu/dev/airflow/fernet-key', type: 'SecureString', value: valueFor('x'), keyId: KEY, lastModifiedDate: new Date(Date.now() - 12 * DAY - 1000) });
    const list = await runCli(cli('list'));
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\/edu\/dev\/airflow\/fernet-key\s+ok\s+SecureString\s+alias\/riverside-dev-secrets\s+\d{4}-\d\d-\d\dT\S+Z\s+12\s+180/);
    expect(list.stdout).toMatch(/\/edu\/dev\/lakeside_charter\/url\s+missing\s+-\s+-\s+-\s+-\s+365/);
    expect(list.stdout).toContain('10 declared: 1 ok, 9 missing (secrets check --env dev fails; it shows each fix)');
  });
});

describe('secrets check finds each kind of problem', () => {
  it('exits 1 naming a missing, plaintext, wrong-key and expired secret, each with its fix', async () => {
    seedAllGood();
    server.delete('/edu/dev/airflow/fernet-key');
    server.seed({ name: '/edu/dev/alerts/slack-webhook-url', type: 'String', value: valueFor('plain'), lastModifiedDate: new Date() });
    server.seed({ name: '/edu/dev/riverside_isd/secret', type: 'SecureString', value: valueFor('k'), keyId: 'alias/aws/ssm', lastModifiedDate: new Date() });
    server.seed({ name: '/edu/dev/snowflake/loader-private-key', type: 'SecureString', value: valueFor('old'), keyId: KEY, lastModifiedDate: new Date(Date.now() - 91 * DAY) });

    const text = await runChild(cli('check'));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL  /edu/dev/airflow/fernet-key [SECRET-1 missing]');
    expect(text.stdout).toContain('FAIL  /edu/dev/alerts/slack-webhook-url [SECRET-1 not-secure-string]');
    expect(text.stdout).toContain('FAIL  /edu/dev/riverside_isd/secret [SECRET-1 wrong-key] is encrypted with alias/aws/ssm');
    expect(text.stdout).toContain('FAIL  /edu/dev/snowflake/loader-private-key [SECRET-4 expired] is 91 days old, older than its maximum age of 90 days');
    expect(text.stdout).toContain('fix: write it: edu-baseline secrets put --env dev /edu/dev/airflow/fernet-key');
    expect(text.stdout).toContain('aws ssm delete-parameter --name /edu/dev/alerts/slack-webhook-url');
    expect(text.stdout).toContain('edu-baseline secrets put --env dev --overwrite /edu/dev/snowflake/loader-private-key');
    expect(text.stdout).toContain('check failed: 4 problem(s) in 4 of 10 declared secrets of dev');

    const json = await runCli(cli('check', '--format', 'json'));
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; problems: Array<{ name: string; kind: string }> };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => `${p.kind} ${p.name}`).sort()).toEqual([
      'expired /edu/dev/snowflake/loader-private-key',
      'missing /edu/dev/airflow/fernet-key',
      'not-secure-string /edu/dev/alerts/slack-webhook-url',
      'wrong-key /edu/dev/riverside_isd/secret',
    ]);
  });

  it('judges age on the clock or --now: written 300 days ago, the 90- and 180-day secrets are overdue, and all ten 66 days later', async () => {
    seedAllGood(300);
    const now = await runCli(cli('check', '--format', 'json'));
    expect((JSON.parse(now.stdout) as { problems: Array<{ kind: string }> }).problems.map((p) => p.kind)).toEqual(['expired', 'expired', 'expired']);
    // --now also dates the config's own expiry checks, so stay before the example contractor's 2027-06-30.
    const later = new Date(Date.now() + 66 * DAY).toISOString();
    const result = await runCli(cli('check', '--format', 'json', '--now', later));
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { problems: Array<{ kind: string }> };
    expect(report.problems).toHaveLength(10);
    expect(report.problems.every((p) => p.kind === 'expired')).toBe(true);
  });

  it('accepts a parameter written with the key ARN only when --key-arn names that key', async () => {
    seedAllGood();
    const arn = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    server.seed({ name: '/edu/dev/lakeside_charter/key', type: 'SecureString', value: valueFor('arn'), keyId: arn, lastModifiedDate: new Date() });
    const without = await runCli(cli('check'));
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('[SECRET-1 wrong-key]');
    const withArn = await runCli(cli('check', '--key-arn', arn));
    expect(withArn.code).toBe(0);
  });
});

describe('secrets put refuses what it must', () => {
  it('refuses a name that is not declared, before reading the value or calling AWS', async () => {
    const result = await runCli(cli('put', '/edu/dev/not/declared'), { stdin: valueFor('undeclared') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/edu/dev/not/declared is not a declared secret of environment dev');
    expect(result.stderr).toContain('/edu/dev/riverside_isd/key');
    const otherEnv = await runCli(cli('put', '/edu/prod/airflow/fernet-key'), { stdin: valueFor('prod') });
    expect(otherEnv.code).toBe(2);
    expect(otherEnv.stderr).toContain('pass --env prod');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an empty value', async () => {
    for (const stdin of ['', '\n']) {
      // A child's stdin that closes at once, and a lone newline in process.
      const result = await (stdin === '' ? runChild : runCli)(cli('put', 'airflow/fernet-key'), { stdin });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Refusing to write an empty value to /edu/dev/airflow/fernet-key');
    }
    expect(puts()).toBe(0);
  });

  it('never takes the value as an argument', async () => {
    const result = await runChild(cli('put', 'airflow/fernet-key', valueFor('argv')), { stdin: valueFor('stdin') });
    expect(result.code).toBe(2);
    expect(puts()).toBe(0);
  });

  it('replaces an existing value only with --overwrite, keeping the creation tags', async () => {
    const name = '/edu/dev/riverside_isd/secret';
    const first = await runCli(cli('put', name), { stdin: valueFor('v1') });
    expect(first.code).toBe(0);

    const refused = await runCli(cli('put', name), { stdin: valueFor('v2') });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${name} already has a value; nothing was written`);
    expect(refused.stderr).toContain('--overwrite');
    expect(server.get(name)).toMatchObject({ value: valueFor('v1'), version: 1 });

    const replaced = await runCli(cli('put', name, '--overwrite', '--format', 'json'), { stdin: `${valueFor('v3')}\r\n` });
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ name, action: 'replaced', version: 2, keyId: KEY, type: 'SecureString' });
    expect(server.get(name)).toMatchObject({ value: valueFor('v3'), version: 2, type: 'SecureString', tags: { tenant_code: 'riverside_isd' } });
  });

  it('keeps inner newlines of a multi-line value and strips only the last', async () => {
    const value = `-----BEGIN KEY-----\n${valueFor('pem')}\n-----END KEY-----`;
    const result = await runCli(cli('put', 'snowflake/loader-private-key'), { stdin: `${value}\n` });
    expect(result.code).toBe(0);
    expect(server.get('/edu/dev/snowflake/loader-private-key')?.value).toBe(value);
  });
});

describe('AWS failures', () => {
  it('retries a throttled DescribeParameters and PutParameter with the SDK standard retries', async () => {
    server.fail('PutParameter', 'ThrottlingException', 'Rate exceeded');
    const put = await runCli(cli('put', 'airflow/fernet-key'), { stdin: valueFor('throttled') });
    expect(put.code).toBe(0);
    seedAllGood();
    server.fail('DescribeParameters', 'ThrottlingException', 'Rate exceeded');
    const check = await runCli(cli('check'));
    expect(check.code).toBe(0);
    expect(server.requests.filter((r) => r.errorType === 'ThrottlingException')).toHaveLength(2);
  });

  it('names the missing permission on AccessDenied and exits 2', async () => {
    server.fail('DescribeParameters', 'AccessDeniedException', 'User: arn:aws:sts::111111111111:assumed-role/op/me is not authorized to perform: ssm:DescribeParameters on resource: arn:aws:ssm:us-east-1:111111111111:*', { times: Infinity });
    const list = await runCli(cli('list'));
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('Access denied');
    expect(list.stderr).toContain('lacks ssm:DescribeParameters');

    server.clearFaults();
    server.fail('PutParameter', 'AccessDeniedException', 'User: arn:aws:sts::111111111111:assumed-role/op/me is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:111111111111:parameter/edu/dev/airflow/fernet-key');
    const put = await runCli(cli('put', 'airflow/fernet-key'), { stdin: valueFor('denied') });
    expect(put.code).toBe(2);
    expect(put.stderr).toContain('lacks ssm:PutParameter on arn:aws:ssm:us-east-1:111111111111:parameter/edu/dev/airflow/fernet-key');
  });

  it('does not print a service error that echoes the value', async () => {
    server.fail('PutParameter', 'ValidationException', '1 validation error detected:', { echoValue: true });
    const put = await runCli(cli('put', 'airflow/fernet-key'), { stdin: valueFor('echoed') });
    expect(put.code).toBe(2);
    expect(put.stderr).toContain('Parameter Store call failed (ValidationException, HTTP 400)');
    expect(server.get('/edu/dev/airflow/fernet-key')).toBeUndefined();
  });

  it('reports an unreachable endpoint and missing credentials with exit 2', async () => {
    const down = await runChild(['secrets', 'check', '--env', 'dev', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Cannot reach Parameter Store at http://127.0.0.1:9');
    const noCreds = await runChild(cli('list'), { env: childEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }) });
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toContain('No AWS credentials found');
  });

  it('signs for the --region given instead of the environment region', async () => {
    const result = await runCli(cli('list', '--region', 'us-west-2'));
    expect(result.code).toBe(0);
    expect(server.requests[0].signedRegion).toBe('us-west-2');
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['secrets', 'list'], "required option '--env <name>' not specified"],
    [['secrets', 'list', '--env', 'staging'], 'Unknown environment "staging"; the config defines: dev, prod'],
    [['secrets', 'list', '--env', 'dev', '--format', 'xml'], "option '--format <format>' argument 'xml' is invalid"],
    [['secrets', 'list', '--env', 'dev', '-c', 'no/such.yaml'], 'Invalid config no/such.yaml'],
    [['secrets', 'check', '--env', 'dev', '--key-arn', 'nonsense'], '--key-arn "nonsense" is not a KMS key ARN'],
  ])('%j', async (args, message) => {
    // commander's own usage error goes through the real process.exit once.
    const result = await (args.length === 2 ? runChild : runCli)(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

it('the sentinel value appears in no output of any run', () => {
  expect(allOutput.length).toBeGreaterThan(40);
  for (const output of allOutput) expect(output).not.toContain(SENTINEL);
});
