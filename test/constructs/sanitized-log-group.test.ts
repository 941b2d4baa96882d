import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SanitizedLogGroup, SanitizedLogGroupProps } from '../../constructs/sanitized-log-group';

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

  test.each(['EdFiApiSecret', 'EdFiAuthorizationHeader'])('custom identifier %s is defined, audited and masked', (name) => {
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

describe('Ed-Fi custom identifier expressions', () => {
  // Characters CloudWatch Logs accepts in a custom identifier regex.
  const ALLOWED = /^[A-Za-z0-9_#=@/;, ^$?[\]{}|\\*+.-]+$/;
  const regexes = SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => ({ name: c.name, re: new RegExp(c.regex) }));
  const matchesAny = (line: string): boolean => regexes.some(({ re }) => re.test(line));

  test.each(SanitizedLogGroup.CUSTOM_IDENTIFIERS.map((c) => [c.name, c.regex]))('%s fits the CloudWatch Logs constraints', (name, regex) => {
    expect(regex.length).toBeLessThanOrEqual(200);
    expect(regex).toMatch(ALLOWED);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(EXPECTED_MANAGED).not.toContain(name);
  });

  test.each([
    'POST /oauth/token grant_type=client_credentials&client_id=abc&client_secret=Zx9vQ2pLm8TuW4rY',
    '{"client_secret": "Zx9vQ2pLm8TuW4rY"}',
    'EDFI_API_SECRET=Zx9vQ2pLm8TuW4rY',
    'Authorization: Basic YWJjZGVmZ2g6aWprbG1ub3BxcnN0',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig',
  ])('masks %s', (line) => {
    expect(matchesAny(line)).toBe(true);
  });

  test.each([
    'task load_students tenant_code=riverside_isd status=success',
    'read parameter /edu/prod/riverside_isd/secret from SSM',
    'wrote s3 key tenant_code=riverside_isd/students/2024.jsonl',
  ])('leaves %s alone', (line) => {
    expect(matchesAny(line)).toBe(false);
  });
});
