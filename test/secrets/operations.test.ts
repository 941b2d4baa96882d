import { PassThrough } from 'node:stream';
import {
  DescribeParametersCommand,
  DescribeParametersCommandInput,
  DescribeParametersCommandOutput,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { findEnvironment, loadConfig } from '../../lib/config';
import { SecretsError } from '../../lib/secrets/errors';
import { describeParametersUnder } from '../../lib/secrets/parameter-store';
import { checkSecrets, listSecrets, putSecret, SecretsContext } from '../../lib/secrets/operations';

/** Logic against aws-sdk-client-mock: the requests sent and what the operator sees. */

const config = loadConfig(join(__dirname, '..', '..', 'config', 'example.yaml'));
const prod = findEnvironment(config, 'prod');
const KEY = 'alias/riverside-prod-secrets';
const NOW = new Date('2026-11-01T00:00:00Z');
const SENTINEL = 'Sentinel"Value\nWith-Quote-And-Newline-7f3a';

function sink(): { text: string; write(s: string): boolean } {
  return {
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

function setup(overrides: Partial<SecretsContext> = {}) {
  const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' } });
  const mock = mockClient(client);
  const stdout = sink();
  const stderr = sink();
  const ctx: SecretsContext = { config, env: prod, client, region: 'us-east-1', now: NOW, format: 'json', stdout, stderr, ...overrides };
  return { client, mock, ctx, stdout, stderr };
}

function piped(text: string): PassThrough {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
}

function awsError(name: string, message: string): SSMServiceException {
  const err = new SSMServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
  // SDK errors can carry the raw response; nothing of it may be printed.
  Object.assign(err, { $response: { body: message } });
  return err;
}

describe('describeParametersUnder', () => {
  it('asks for the environment root recursively and follows NextToken through an empty page', async () => {
    const { client, mock } = setup();
    const pages: DescribeParametersCommandOutput[] = [
      { Parameters: [{ Name: '/edu/prod/a', Type: 'SecureString' }], NextToken: 't1', $metadata: {} },
      { Parameters: [], NextToken: 't2', $metadata: {} },
      { Parameters: [{ Name: '/edu/prod/b', Type: 'String' }], $metadata: {} },
    ];
    // The paginator reuses one input object, so record each call's token as it is made.
    const seen: Array<{ token?: string; filters: unknown }> = [];
    mock.on(DescribeParametersCommand).callsFake((input: DescribeParametersCommandInput) => {
      seen.push({ token: input.NextToken, filters: structuredClone(input.ParameterFilters) });
      return pages[seen.length - 1];
    });
    const found = await describeParametersUnder(client, '/edu/prod');
    expect([...found.keys()]).toEqual(['/edu/prod/a', '/edu/prod/b']);
    expect(seen.map((c) => c.token)).toEqual([undefined, 't1', 't2']);
    expect(seen[0].filters).toEqual([{ Key: 'Path', Option: 'Recursive', Values: ['/edu/prod'] }]);
  });
});

describe('putSecret', () => {
  it('writes a tenant credential as SecureString with the environment key, without overwrite, tagged with its tenant', async () => {
    const { mock, ctx, stdout } = setup();
    mock.on(PutParameterCommand).resolves({ Version: 1 });
    const code = await putSecret(ctx, { name: 'lakeside_charter/secret', overwrite: false, input: piped(`${SENTINEL}\n`) });
    expect(code).toBe(0);
    const calls = mock.commandCalls(PutParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      Name: '/edu/prod/lakeside_charter/secret',
      Value: SENTINEL,
      Type: 'SecureString',
      KeyId: KEY,
      Overwrite: false,
      Description: 'Ed-Fi API secret for Lakeside Charter Network',
      Tags: [{ Key: 'tenant_code', Value: 'lakeside_charter' }],
    });
    expect(JSON.parse(stdout.text)).toMatchObject({ name: '/edu/prod/lakeside_charter/secret', action: 'created', version: 1, keyId: KEY });
  });

  it('with --overwrite, replaces an existing value without tags (Parameter Store refuses tags on overwrite)', async () => {
    const { mock, ctx } = setup();
    mock
      .on(PutParameterCommand, { Overwrite: false })
      .rejects(awsError('ParameterAlreadyExists', 'The parameter already exists.'))
      .on(PutParameterCommand, { Overwrite: true })
      .resolves({ Version: 4 });
    await expect(putSecret(ctx, { name: '/edu/prod/airflow/fernet-key', overwrite: true, input: piped(SENTINEL) })).resolves.toBe(0);
    const second = mock.commandCalls(PutParameterCommand)[1].args[0].input;
    expect(second).toMatchObject({ Overwrite: true, Type: 'SecureString', KeyId: KEY, Value: SENTINEL });
    expect(second.Tags).toBeUndefined();
  });

  it('without --overwrite, refuses to replace an existing value with exit 2', async () => {
    const { mock, ctx } = setup();
    mock.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists', 'The parameter already exists.'));
    const result = putSecret(ctx, { name: 'airflow/fernet-key', overwrite: false, input: piped(SENTINEL) });
    await expect(result).rejects.toThrow(/already has a value; nothing was written.*--overwrite/);
    await expect(result).rejects.toMatchObject({ exitCode: 2 });
    expect(mock.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it('refuses a value over the Standard-tier limit before calling AWS', async () => {
    const { mock, ctx } = setup();
    await expect(putSecret(ctx, { name: 'airflow/fernet-key', overwrite: false, input: piped('x'.repeat(4097)) })).rejects.toThrow(/4097 bytes/);
    expect(mock.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it.each([
    ['a validation error that echoes the value raw', awsError('ValidationException', `Value '${SENTINEL}' failed to satisfy constraint`)],
    ['a validation error that echoes it JSON-escaped', awsError('ValidationException', `Value ${JSON.stringify(SENTINEL)} failed`)],
    ['an access denial that quotes the request', awsError('AccessDeniedException', `not authorized to perform: kms:Encrypt with ${SENTINEL}`)],
    ['an unknown service error', awsError('InternalServerError', `boom ${SENTINEL}`)],
    ['a plain JavaScript error', new TypeError(`cannot read ${SENTINEL}`)],
  ])('never lets the value into the error: %s', async (_label, err) => {
    const { mock, ctx, stdout, stderr } = setup();
    mock.on(PutParameterCommand).rejects(err);
    const caught = await putSecret(ctx, { name: 'airflow/fernet-key', overwrite: false, input: piped(SENTINEL) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(caught).toBeInstanceOf(SecretsError);
    const e = caught as SecretsError;
    expect(e.exitCode).toBe(2);
    const visible = `${e.message}${e.stack ?? ''}${JSON.stringify(e)}${String(e.cause)}${stdout.text}${stderr.text}`;
    expect(visible).not.toContain(SENTINEL);
    expect(visible).not.toContain(JSON.stringify(SENTINEL).slice(1, -1));
    expect(visible).not.toContain('Sentinel');
  });

  it('names the denied action and the parameter ARN on AccessDenied', async () => {
    const { mock, ctx } = setup();
    mock.on(PutParameterCommand).rejects(awsError('AccessDeniedException', 'User: x is not authorized to perform: kms:Encrypt on resource: y'));
    await expect(putSecret(ctx, { name: 'airflow/fernet-key', overwrite: false, input: piped(SENTINEL) })).rejects.toThrow(
      'Access denied (request ID req-1): the caller lacks kms:Encrypt on arn:aws:ssm:us-east-1:222222222222:parameter/edu/prod/airflow/fernet-key (key alias/riverside-prod-secrets)',
    );
  });
});

describe('checkSecrets and listSecrets', () => {
  function allGood(lastModified: Date) {
    return [
      '/edu/prod/snowflake/loader-private-key',
      '/edu/prod/snowflake/loader-private-key-passphrase',
      '/edu/prod/airflow/fernet-key',
      '/edu/prod/alerts/slack-webhook-url',
      ...['riverside_isd', 'lakeside_charter'].flatMap((t) => ['key', 'secret', 'url'].map((p) => `/edu/prod/${t}/${p}`)),
    ].map((Name) => ({ Name, Type: 'SecureString' as const, KeyId: KEY, LastModifiedDate: lastModified, Version: 1 }));
  }

  it('passes with exit 0 when every declared secret is right, exactly at its maximum age', async () => {
    const { mock, ctx, stdout } = setup();
    mock.on(DescribeParametersCommand).resolves({ Parameters: allGood(new Date(NOW.getTime() - 90 * 86_400_000)) });
    await expect(checkSecrets(ctx)).resolves.toBe(0);
    expect(JSON.parse(stdout.text)).toMatchObject({ ok: true, declared: 10, problems: [] });
  });

  it('fails with exit 1 one millisecond past the maximum age (SECRET-4)', async () => {
    const { mock, ctx, stdout } = setup();
    mock.on(DescribeParametersCommand).resolves({ Parameters: allGood(new Date(NOW.getTime() - 90 * 86_400_000 - 1)) });
    await expect(checkSecrets(ctx)).resolves.toBe(1);
    const report = JSON.parse(stdout.text) as { problems: Array<{ name: string; control: string }> };
    expect(report.problems.map((p) => `${p.control} ${p.name}`)).toEqual([
      'SECRET-4 /edu/prod/snowflake/loader-private-key',
      'SECRET-4 /edu/prod/snowflake/loader-private-key-passphrase',
    ]);
  });

  it('does not accept the same alias in another account', async () => {
    const { mock, ctx, stdout } = setup();
    const params = allGood(NOW);
    params[2] = { ...params[2], KeyId: `arn:aws:kms:us-east-1:111111111111:${KEY}` };
    mock.on(DescribeParametersCommand).resolves({ Parameters: params });
    await expect(checkSecrets(ctx)).resolves.toBe(1);
    expect(JSON.parse(stdout.text).problems).toEqual([expect.objectContaining({ name: '/edu/prod/airflow/fernet-key', kind: 'wrong-key' })]);
  });

  it('turns AccessDenied on DescribeParameters into exit-2 SecretsError naming the permission', async () => {
    const { mock, ctx } = setup();
    mock.on(DescribeParametersCommand).rejects(awsError('AccessDeniedException', 'denied'));
    await expect(listSecrets(ctx)).rejects.toThrow(/lacks ssm:DescribeParameters/);
  });

  it('lists missing parameters without type, key or age', async () => {
    const { mock, ctx, stdout } = setup();
    mock.on(DescribeParametersCommand).resolves({ Parameters: [] });
    await expect(listSecrets(ctx)).resolves.toBe(0);
    const listed = JSON.parse(stdout.text) as { parameters: Array<Record<string, unknown>> };
    expect(listed.parameters).toHaveLength(10);
    expect(listed.parameters[4]).toEqual({
      name: '/edu/prod/riverside_isd/key',
      purpose: 'Ed-Fi API key for Riverside Independent School District',
      tenantCode: 'riverside_isd',
      maxAgeDays: 365,
      status: 'missing',
      check: ['missing'],
      problems: [expect.objectContaining({ kind: 'missing', control: 'SECRET-1' })],
    });
  });

  it('list shows what check would say for each parameter, and the same problems', async () => {
    const { mock, ctx, stdout } = setup();
    const params = allGood(NOW);
    params[0] = { ...params[0], LastModifiedDate: new Date(NOW.getTime() - 91 * 86_400_000) }; // overdue (max 90)
    params[1] = { ...params[1], Type: 'String' as never, KeyId: undefined as never }; // plain String
    params[2] = { ...params[2], KeyId: 'alias/aws/ssm' }; // wrong key
    params.splice(3, 1); // the Slack webhook is missing
    mock.on(DescribeParametersCommand).resolves({ Parameters: params });
    await expect(listSecrets(ctx)).resolves.toBe(0);
    const listed = JSON.parse(stdout.text) as { parameters: Array<{ name: string; check: string[]; problems: unknown[] }> };
    expect(Object.fromEntries(listed.parameters.slice(0, 5).map((p) => [p.name, p.check]))).toEqual({
      '/edu/prod/snowflake/loader-private-key': ['overdue'],
      '/edu/prod/snowflake/loader-private-key-passphrase': ['plain String'],
      '/edu/prod/airflow/fernet-key': ['wrong key'],
      '/edu/prod/alerts/slack-webhook-url': ['missing'],
      '/edu/prod/riverside_isd/key': ['ok'],
    });
    // The same findings as check: list never says ok where check fails.
    const checked = setup();
    checked.mock.on(DescribeParametersCommand).resolves({ Parameters: params });
    await expect(checkSecrets(checked.ctx)).resolves.toBe(1);
    const report = JSON.parse(checked.stdout.text) as { problems: unknown[] };
    expect(listed.parameters.flatMap((p) => p.problems)).toEqual(report.problems);
  });

  it('list names parameters under the root that the config does not declare, in text and JSON, without values', async () => {
    const { mock, ctx, stdout } = setup({ format: 'text' });
    const stray = [
      { Name: '/edu/prod/old/db-password', Type: 'String' as const, LastModifiedDate: NOW, Version: 3 },
      { Name: '/edu/prod/airflow/fernet-key-backup', Type: 'SecureString' as const, KeyId: KEY, LastModifiedDate: NOW, Version: 1 },
    ];
    mock.on(DescribeParametersCommand).resolves({ Parameters: [...allGood(NOW), ...stray] });
    await expect(listSecrets(ctx)).resolves.toBe(0);
    expect(stdout.text).toContain('10 declared: 10 ok\n');
    expect(stdout.text).toMatch(/UNDECLARED UNDER \/edu\/prod\s+TYPE/);
    expect(stdout.text).toMatch(/\/edu\/prod\/airflow\/fernet-key-backup\s+SecureString/);
    expect(stdout.text).toMatch(/\/edu\/prod\/old\/db-password\s+String\s+-/);
    expect(stdout.text).toContain('2 parameter(s) under /edu/prod are not declared in the config');
    const json = setup();
    json.mock.on(DescribeParametersCommand).resolves({ Parameters: [...allGood(NOW), ...stray] });
    await listSecrets(json.ctx);
    expect((JSON.parse(json.stdout.text) as { undeclared: Array<{ name: string }> }).undeclared.map((u) => u.name)).toEqual([
      '/edu/prod/airflow/fernet-key-backup',
      '/edu/prod/old/db-password',
    ]);
  });

  it('list in text: the CHECK column and a summary that points to check', async () => {
    const { mock, ctx, stdout } = setup({ format: 'text' });
    const params = allGood(NOW);
    params[2] = { ...params[2], KeyId: 'alias/aws/ssm' };
    mock.on(DescribeParametersCommand).resolves({ Parameters: params });
    await listSecrets(ctx);
    expect(stdout.text).toMatch(/\/edu\/prod\/airflow\/fernet-key\s+wrong key\s+SecureString\s+alias\/aws\/ssm/);
    expect(stdout.text).toContain('10 declared: 9 ok, 1 wrong key (secrets check --env prod fails; it shows each fix)');
    expect(stdout.text).not.toContain('UNDECLARED');
  });
});
