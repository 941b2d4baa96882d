import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { customIdentifierRegexProblems, SanitizedLogGroup, SanitizedLogGroupProps } from '../../constructs/sanitized-log-group';

type Json = Record<string, unknown>;
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanitized-log-group-test-'));
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function newStack(): Stack {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  return new Stack(app, 'Logs', { env: { account: '111122223333', region: 'us-east-1' } });
}

function build(props: SanitizedLogGroupProps = {}): { stack: Stack; group: SanitizedLogGroup; template: Template } {
  const stack = newStack();
  const group = new SanitizedLogGroup(stack, 'Tasks', { logGroupName: '/riverside/prod/tasks', ...props });
  return { stack, group, template: Template.fromStack(stack) };
}

function logGroupNamed(template: Template, name: string): { id: string; resource: Json; props: Json } {
  const found = Object.entries(template.findResources('AWS::Logs::LogGroup') as Record<string, Json>).filter(
    ([, r]) => (r.Properties as Json).LogGroupName === name,
  );
  expect(found).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1], props: found[0][1].Properties as Json };
}

/** `{Fn::Join: ['', ['arn:', {Ref: 'AWS::Partition'}, ...]]}` rendered to a plain string. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  const join = (value as Json)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(render).join(join[0]);
  const ref = (value as Json).Ref;
  if (typeof ref === 'string') return `{${ref}}`;
  return JSON.stringify(value);
}

function statementsOf(policy: Json): Json[] {
  return policy.Statement as Json[];
}

/** Identifier names a statement covers: managed ARNs reduced to their name, custom names as is. */
function identifierNames(statement: Json): string[] {
  return (statement.DataIdentifier as unknown[]).map((d) => render(d).replace(/^arn:\{AWS::Partition\}:dataprotection::aws:data-identifier\//, ''));
}

const EXPECTED_MANAGED = [
  'EmailAddress',
  'Name',
  'Address',
  'Ssn-US',
  'DateOfBirth',
  'IpAddress',
  'AwsSecretKey',
  'OpenSshPrivateKey',
  'PgpPrivateKey',
  'PkcsPrivateKey',
  'PuttyPrivateKey',
];

describe('SanitizedLogGroup (LOG-1, KEEP-1)', () => {
  const { template } = build();
  const main = logGroupNamed(template, '/riverside/prod/tasks');

  test('is encrypted with the construct key', () => {
    const keys = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    expect(main.props.KmsKeyId).toEqual({ 'Fn::GetAtt': [keys[0], 'Arn'] });
  });

  test('keeps events one year by default, retained on delete and replace', () => {
    expect(main.props.RetentionInDays).toBe(365);
    expect(main.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(main.resource.UpdateReplacePolicy).toBe('Retain');
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the key policy lets regional CloudWatch Logs use the key only for this log group', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key') as Record<string, Json>);
    const statements = statementsOf((key.Properties as Json).KeyPolicy as Json);
    const logsStatements = statements.filter((s) => render((s.Principal as Json | undefined)?.Service) === 'logs.us-east-1.amazonaws.com');
    expect(logsStatements.length).toBeGreaterThan(0);
    const arns = logsStatements.map((s) => {
      const condition = (s.Condition as Json).ArnLike as Json;
      return render(condition['kms:EncryptionContext:aws:logs:arn']);
    });
    expect(arns).toContain('arn:{AWS::Partition}:logs:us-east-1:111122223333:log-group:/riverside/prod/tasks');
    for (const s of logsStatements) {
      expect(s.Action).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']));
      expect(s.Action).not.toContain('kms:*');
    }
    // Nothing but the account root (CDK default) and the logs service principal.
    for (const s of statements) {
      expect(JSON.stringify(s.Principal)).not.toBe('{"AWS":"*"}');
      expect(s.Principal).not.toBe('*');
    }
  });

  test('an unnamed group scopes the key to log groups of this account and region', () => {
    const stack = newStack();
    new SanitizedLogGroup(stack, 'Anon');
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key') as Record<string, Json>);
    const statements = statementsOf((key.Properties as Json).KeyPolicy as Json).filter((s) => s.Condition);
    expect(statements).toHaveLength(1);
    expect(render(((statements[0].Condition as Json).ArnLike as Json)['kms:EncryptionContext:aws:logs:arn'])).toBe(
      'arn:{AWS::Partition}:logs:us-east-1:111122223333:log-group:*',
    );
  });

  test('retention may be longer than a year', () => {
    const { template: t } = build({ retention: logs.RetentionDays.TWO_YEARS });
    expect(logGroupNamed(t, '/riverside/prod/tasks').props.RetentionInDays).toBe(731);
  });

  test('retention shorter than a year or infinite is rejected', () => {
    expect(() => build({ retention: logs.RetentionDays.SIX_MONTHS })).toThrow(/at least 365 days.*got 180 days/);
    expect(() => build({ retention: 366 as logs.RetentionDays })).toThrow(/not a period CloudWatch Logs supports/);
    expect(() => build({ retention: logs.RetentionDays.ONE_DAY })).toThrow(/at least 365 days/);
    expect(() => build({ retention: logs.RetentionDays.INFINITE })).toThrow(/set period.*INFINITE/);
  });

  test('an existing key is used and gets the logs statement', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Shared');
    const group = new SanitizedLogGroup(stack, 'G', { encryptionKey: key, logGroupName: 'g' });
    const t = Template.fromStack(stack);
    expect(group.encryptionKey).toBe(key);
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toHaveLength(1);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } } }),
        ]),
      },
    });
  });

  test('an imported key leaves a warning that its policy must allow CloudWatch Logs', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000');
    new SanitizedLogGroup(stack, 'G', { encryptionKey: key, findingsLogGroup: logs.LogGroup.fromLogGroupName(stack, 'F', 'findings') });
    Annotations.fromStack(stack).hasWarning('/Logs/G', Match.stringLikeRegexp('must allow logs.<region>.amazonaws.com'));
  });
});

describe('SanitizedLogGroup data protection (LOG-2)', () => {
  const { template } = build();
  const main = logGroupNamed(template, '/riverside/prod/tasks');
  const findings = logGroupNamed(template, '/riverside/prod/tasks-data-protection-findings');
  const policy = main.props.DataProtectionPolicy as Json;
  const audit = statementsOf(policy).find((s) => (s.Operation as Json).Audit !== undefined) as Json;
  const deidentify = statementsOf(policy).find((s) => (s.Operation as Json).Deidentify !== undefined) as Json;

  test('has one Audit and one Deidentify (mask) statement', () => {
    expect(statementsOf(policy)).toHaveLength(2);
    expect(audit).toBeDefined();
    expect(deidentify).toBeDefined();
    expect((deidentify.Operation as Json).Deidentify).toEqual({ MaskConfig: {} });
  });

  test.each(EXPECTED_MANAGED)('managed identifier %s is audited and masked', (name) => {
    expect(identifierNames(audit)).toContain(name);
    expect(identifierNames(deidentify)).toContain(name);
  });

  test.each(SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => c.name))('custom identifier %s is defined, audited and masked', (name) => {
    expect(identifierNames(audit)).toContain(name);
    expect(identifierNames(deidentify)).toContain(name);
    const custom = ((policy.Configuration as Json).CustomDataIdentifier as Json[]).find((c) => c.Name === name);
    expect(custom?.Regex).toBe(SanitizedLogGroup.CUSTOM_IDENTIFIERS.find((c) => c.name === name)?.regex);
  });

  test('the static list is what the policy carries', () => {
    expect([...SanitizedLogGroup.MANAGED_IDENTIFIERS].sort()).toEqual([...EXPECTED_MANAGED].sort());
    expect(identifierNames(audit).sort()).toEqual(
      [...SanitizedLogGroup.MANAGED_IDENTIFIERS, ...SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => c.name)].sort(),
    );
  });

  test('findings go to the created findings log group', () => {
    expect((audit.Operation as Json).Audit).toEqual({
      FindingsDestination: { CloudWatchLogs: { LogGroup: { Ref: findings.id } } },
    });
    expect(main.resource.DependsOn).toContain(findings.id);
  });

  test('the created findings group is itself encrypted, kept a year, retained and masked', () => {
    expect(findings.props.KmsKeyId).toEqual(main.props.KmsKeyId);
    expect(findings.props.RetentionInDays).toBe(365);
    expect(findings.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(findings.resource.UpdateReplacePolicy).toBe('Retain');
    const statements = statementsOf(findings.props.DataProtectionPolicy as Json);
    const mask = statements.find((s) => (s.Operation as Json).Deidentify !== undefined) as Json;
    expect(identifierNames(mask)).toEqual(expect.arrayContaining(EXPECTED_MANAGED));
    const findingsAudit = statements.find((s) => (s.Operation as Json).Audit !== undefined) as Json;
    expect((findingsAudit.Operation as Json).Audit).toEqual({ FindingsDestination: {} });
  });

  test('a given findings log group or bucket is used and no findings group is created', () => {
    const stack = newStack();
    const shared = logs.LogGroup.fromLogGroupName(stack, 'Shared', 'shared-findings');
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'findings-bucket');
    new SanitizedLogGroup(stack, 'G', { logGroupName: 'g', findingsLogGroup: shared, findingsBucket: bucket });
    const t = Template.fromStack(stack);
    expect(Object.keys(t.findResources('AWS::Logs::LogGroup'))).toHaveLength(1);
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      DataProtectionPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Operation: { Audit: { FindingsDestination: { CloudWatchLogs: { LogGroup: 'shared-findings' }, S3: { Bucket: 'findings-bucket' } } } },
          }),
        ]),
      },
    });
  });

  test('additional identifiers are added to both statements', () => {
    const { template: t } = build({ additionalIdentifiers: [logs.DataIdentifier.PHONENUMBER_US] });
    const statements = statementsOf(logGroupNamed(t, '/riverside/prod/tasks').props.DataProtectionPolicy as Json);
    for (const s of statements) expect(identifierNames(s)).toContain('PhoneNumber-US');
  });
});

describe('IP masking and the student-identifier pattern', () => {
  const namesOf = (t: Template, statementKind: 'Audit' | 'Deidentify'): string[] =>
    identifierNames(
      statementsOf(logGroupNamed(t, '/riverside/prod/tasks').props.DataProtectionPolicy as Json).find(
        (s) => (s.Operation as Json)[statementKind] !== undefined,
      ) as Json,
    );

  test('maskIpAddresses: false drops IpAddress and keeps every credential identifier', () => {
    const { template: t } = build({ maskIpAddresses: false });
    for (const kind of ['Audit', 'Deidentify'] as const) {
      expect(namesOf(t, kind)).not.toContain('IpAddress');
      expect(namesOf(t, kind)).toEqual(
        expect.arrayContaining(['AwsSecretKey', 'PkcsPrivateKey', 'OpenSshPrivateKey', ...SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => c.name)]),
      );
    }
    const findings = logGroupNamed(t, '/riverside/prod/tasks-data-protection-findings');
    expect(identifierNames(statementsOf(findings.props.DataProtectionPolicy as Json)[0])).not.toContain('IpAddress');
  });

  test('IpAddress is masked by default', () => {
    expect(namesOf(build().template, 'Deidentify')).toContain('IpAddress');
  });

  test('a student-identifier pattern becomes the StudentIdentifier custom identifier', () => {
    const { template: t } = build({ studentIdentifierPattern: 'S[0-9]{8}' });
    const policy = logGroupNamed(t, '/riverside/prod/tasks').props.DataProtectionPolicy as Json;
    expect((policy.Configuration as Json).CustomDataIdentifier).toContainEqual({ Name: 'StudentIdentifier', Regex: 'S[0-9]{8}' });
    expect(namesOf(t, 'Audit')).toContain('StudentIdentifier');
    expect(namesOf(t, 'Deidentify')).toContain('StudentIdentifier');
  });

  test.each([
    ['(S)[0-9]{8}', /does not accept/],
    ['S[0-9]{8', /does not compile/],
    ['[0-9]*', /matches the empty string/],
    ['S'.repeat(201), /201 characters long/],
  ])('a bad pattern %s throws', (pattern, message) => {
    expect(() => build({ studentIdentifierPattern: pattern })).toThrow(message);
  });

  test('more than 10 custom identifiers in one policy throws (CloudWatch Logs limit)', () => {
    const extra = [1, 2].map((i) => new logs.CustomDataIdentifier(`Extra${i}`, `X${i}[0-9]{4}`));
    expect(() => build({ studentIdentifierPattern: 'S[0-9]{8}', additionalIdentifiers: extra })).toThrow(/11 custom data identifiers; CloudWatch Logs allows 10/);
    expect(() => build({ studentIdentifierPattern: 'S[0-9]{8}', additionalIdentifiers: extra.slice(0, 1) })).not.toThrow();
  });
});

describe('credential identifier expressions (read as JavaScript RegExp)', () => {
  // CloudWatch Logs' guide lists accepted characters but no dialect; the expressions use only
  // classes, \s \S \w, escaped dots and quantifiers, which JavaScript, Java and RE2 read alike.
  const ALLOWED = /^[A-Za-z0-9_#=@/;, ^$?[\]{}|\\*+.-]+$/;
  const spec = (name: string): RegExp => {
    const found = SanitizedLogGroup.CUSTOM_IDENTIFIERS.find((c) => c.name === name);
    if (!found) throw new Error(`no identifier ${name}`);
    return new RegExp(found.regex);
  };
  const regexes = SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => ({ name: c.name, re: new RegExp(c.regex) }));
  const matchesAny = (line: string): boolean => regexes.some(({ re }) => re.test(line));

  test.each(SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => [c.name, c.regex]))('%s fits the CloudWatch Logs constraints', (name, regex) => {
    expect(regex.length).toBeLessThanOrEqual(200);
    expect(regex).toMatch(ALLOWED);
    expect(customIdentifierRegexProblems(regex)).toEqual([]);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(EXPECTED_MANAGED).not.toContain(name);
  });

  test('the baseline leaves room for a student-identifier pattern within 10 per policy', () => {
    expect(SanitizedLogGroup.CUSTOM_IDENTIFIERS.length + 1).toBeLessThanOrEqual(SanitizedLogGroup.MAX_CUSTOM_IDENTIFIERS);
  });

  // 32 bytes in URL-safe base64, as Fernet.generate_key() writes them.
  const FERNET = 'q3Jm8Zt_xW2vN5bYc-1LpK9dRfHsUeA0oGiT7nMwE4k=';
  // [identifier, log line, the secret part that must lie inside the match]
  const POSITIVE: Array<[string, string, string]> = [
    ['CredentialPassword', 'connecting with password=Tr0ub4dor&3 to warehouse', 'Tr0ub4dor'],
    ['CredentialPassword', 'INFO db_password: hunter2hunter2', 'hunter2'],
    ['CredentialPassword', '{"user": "etl", "password": "Zx9-vQ2pLm"}', 'Zx9-vQ2pLm'],
    ['CredentialPassword', 'password = s3cr3t!pw (from airflow.cfg)', 's3cr3t!pw'],
    ['CredentialPassword', "PGPASSWORD='p@ss w0rd' psql -h db", "p@ss"],
    ['CredentialPassword', 'snowflake private_key_passphrase: correct-horse-battery', 'correct-horse'],
    ['CredentialPassword', 'Passwd=abc123', 'abc123'],
    ['CredentialToken', 'POST /oauth/token grant_type=client_credentials&client_id=abc&client_secret=Zx9vQ2pLm8TuW4rY', 'Zx9vQ2pLm8TuW4rY'],
    ['CredentialToken', '{"client_secret": "Zx9vQ2pLm8TuW4rY"}', 'Zx9vQ2pLm8TuW4rY'],
    ['CredentialToken', 'EDFI_API_SECRET=Zx9vQ2pLm8TuW4rY', 'Zx9vQ2pLm8TuW4rY'],
    ['CredentialToken', 'refresh_token=1//0gAbCdEfGhIjKlMn', '0gAbCdEf'],
    ['CredentialToken', '{"access_token":"eyJhbGciOi.payload.sig","expires_in":3600}', 'eyJhbGciOi'],
    ['CredentialToken', 'X-Api-Key: 4f1c2d3e4f5a6b7c', '4f1c2d3e4f5a6b7c'],
    ['CredentialToken', 'apikey=AbCdEf123456', 'AbCdEf123456'],
    ['CredentialUri', 'conn snowflake://etl_user:S3cret!pw@xy12345.us-east-1/EDU?warehouse=LOAD', 'S3cret!pw'],
    ['CredentialUri', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql+psycopg2://airflow:hunter2@localhost/airflow', 'hunter2'],
    ['CredentialUri', 'fetching https://svc:pa55word@edfi.example.org/api/data/v3', 'pa55word'],
    ['CredentialUri', 'postgres://u:p@h:5432/db', 'u:p'],
    ['WebhookUrl', 'alert posted to https://hooks.slack.com/services/T0000AAAA/B0000BBBB/XXXXXXXXXXXXXXXXXXXXXXXX', 'XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['WebhookUrl', 'slack workflow https://hooks.slack.com/workflows/T0AAA/A0BBB/123456/abcdefABCDEF', 'abcdefABCDEF'],
    ['WebhookUrl', 'POST https://discord.com/api/webhooks/1234567890/AbCdEfGhIjKlMnOp-qrstu', 'AbCdEfGhIjKlMnOp'],
    ['WebhookUrl', 'teams https://contoso.webhook.office.com/webhookb2/abc-123@def-456/IncomingWebhook/0a1b2c/ff00', 'IncomingWebhook/0a1b2c'],
    ['WebhookUrl', 'https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=AbCdEfGhIjKlMnOpQr', 'AbCdEfGhIjKlMnOpQr'],
    ['AirflowSecretEnv', `AIRFLOW__CORE__FERNET_KEY=${FERNET}`, FERNET],
    ['AirflowSecretEnv', 'AIRFLOW__CORE__FERNET_KEY=not-a-valid-key', 'not-a-valid-key'],
    ['AirflowSecretEnv', 'AIRFLOW__WEBSERVER__SECRET_KEY=8f7e6d5c4b3a', '8f7e6d5c4b3a'],
    ['AirflowSecretEnv', '"AIRFLOW__SMTP__SMTP_PASSWORD": "mailpw123"', 'mailpw123'],
    ['AirflowSecretEnv', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET=sql_alchemy_conn', 'sql_alchemy_conn'],
    ['FernetKey', `fernet_key = ${FERNET}`, FERNET],
    ['FernetKey', `Fernet key: ${FERNET}`, FERNET],
    ['PemPrivateKey', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7x'],
    ['PemPrivateKey', '{"key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0B\\n"}', 'MIIEvQIBADANBgkqhkiG9w0B'],
    ['PemPrivateKey', '-----BEGIN ENCRYPTED PRIVATE KEY-----MIIFHDBOBgkqhkiG9w0BBQ0w', 'MIIFHDBOBgkqhkiG9w0BBQ0w'],
    ['PemPrivateKey', '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA', 'b3BlbnNzaC1rZXktdjEAAAAA'],
    ['HttpAuthorizationHeader', 'Authorization: Basic YWJjZGVmZ2g6aWprbG1ub3BxcnN0', 'YWJjZGVmZ2g6aWprbG1ub3BxcnN0'],
    ['HttpAuthorizationHeader', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ];

  test.each(POSITIVE)('%s masks the secret in %j', (name, line, secret) => {
    const match = spec(name).exec(line);
    expect(match).not.toBeNull();
    const start = match?.index ?? 0;
    const at = line.indexOf(secret);
    expect(at).toBeGreaterThanOrEqual(start);
    expect(at + secret.length).toBeLessThanOrEqual(start + (match?.[0].length ?? 0));
  });

  test.each(POSITIVE.map(([name]) => name).filter((n, i, all) => all.indexOf(n) === i))('%s has positive samples', (name) => {
    expect(SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => c.name)).toContain(name);
  });

  test('every identifier has positive samples', () => {
    expect(new Set(POSITIVE.map(([name]) => name))).toEqual(new Set(SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => c.name)));
  });

  test.each([
    'task load_students tenant_code=riverside_isd status=success',
    'read parameter /edu/prod/riverside_isd/secret from SSM',
    'wrote s3 key tenant_code=riverside_isd/students/2024.jsonl',
    'password rotation completed for tenant riverside_isd',
    'Passwords must be at least 12 characters',
    'password_file=/run/secrets/db',
    'token_count=42 tokens consumed',
    'rotating secret parameter for riverside_isd',
    'GET https://api.ed-fi.example.org/data/v3/ed-fi/students?limit=100',
    'git clone ssh://git@github.com/district/dags.git',
    'https://hooks.slack.com is reachable',
    'AIRFLOW__CORE__PARALLELISM=32',
    'AIRFLOW__SECRETS__BACKEND=airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
    'fernet encryption enabled',
    '-----BEGIN CERTIFICATE-----MIIDdzCCAl+gAwIBAgIE',
    '-----BEGIN PUBLIC KEY-----MIIBIjANBgkqhkiG9w0B',
    'basic auth disabled; bearer tokens required',
    'VPC flow 10.0.1.15 -> 10.0.2.20 ACCEPT',
  ])('leaves %j alone', (line) => {
    expect(regexes.filter(({ re }) => re.test(line)).map(({ name }) => name)).toEqual([]);
    expect(matchesAny(line)).toBe(false);
  });
});
