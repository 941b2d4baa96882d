import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataLake, DataLakeProps } from '../../constructs/data-lake';

const TENANTS = ['riverside_isd', 'lakeside_charter'];
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-lake-test-'));
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const PRINCIPALS = ['arn:aws:iam::111122223333:role/orchestration', 'arn:aws:iam::111122223333:role/warehouse'];

function newStack(): Stack {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  return new Stack(app, 'Lake', { env: { account: '111122223333', region: 'us-east-1' } });
}

function build(props: Partial<DataLakeProps> = {}): { stack: Stack; lake: DataLake } {
  const stack = newStack();
  const lake = new DataLake(stack, 'Lake', { tenantCodes: TENANTS, bucketName: 'lake-bucket', accessLogBucketName: 'lake-logs', objectAccessPrincipalArns: PRINCIPALS, ...props });
  return { stack, lake };
}

type Json = Record<string, unknown>;

function resourcesOfType(template: Template, type: string): Record<string, Json> {
  return template.findResources(type) as Record<string, Json>;
}

function bucketByName(template: Template, name: string): { id: string; resource: Json; props: Json } {
  const matches = Object.entries(resourcesOfType(template, 'AWS::S3::Bucket')).filter(
    ([, r]) => (r.Properties as Json).BucketName === name,
  );
  expect(matches).toHaveLength(1);
  const [id, resource] = matches[0];
  return { id, resource, props: resource.Properties as Json };
}

/** Grants name the lake by its literal name (no cross-stack import). */
const LAKE_ARN = 'arn:Ref:AWS::Partition:s3:::lake-bucket';

function policyStatementsFor(template: Template, bucketId: string): Json[] {
  const policies = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy')).filter(
    (p) => JSON.stringify((p.Properties as Json).Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  expect(policies).toHaveLength(1);
  return ((policies[0].Properties as Json).PolicyDocument as Json).Statement as Json[];
}

function expectTlsDenies(statements: Json[]): void {
  const denies = statements.filter((s) => s.Effect === 'Deny');
  expect(denies).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      expect.objectContaining({
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
    ]),
  );
  // No Allow may go to an unconditioned public principal (DATA-3).
  for (const s of statements.filter((st) => st.Effect === 'Allow')) {
    const principal = JSON.stringify(s.Principal);
    expect(principal === '"*"' || principal === '{"AWS":"*"}').toBe(false);
  }
}

const BLOCK_ALL = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

/** The identity-policy statements attached to a role, flattened. */
function roleStatements(template: Template, roleId: string): Json[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p.Properties as Json).Roles).includes(roleId))
    .flatMap((p) => ((p.Properties as Json).PolicyDocument as Json).Statement as Json[]);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Renders `{Fn::Join: ['', [{Fn::GetAtt: [X, 'Arn']}, '/suffix']]}` as `X/suffix`. */
function renderArn(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(renderArn).join(join[0]);
  const getAtt = (value as Json)['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return `${getAtt[0]}.${getAtt[1]}`;
  const ref = (value as Json).Ref;
  if (typeof ref === 'string') return `Ref:${ref}`;
  return JSON.stringify(value);
}

describe('DataLake bucket (DATA-1, DATA-2, DATA-3, DATA-5, KEEP-1)', () => {
  const { stack } = build();
  const template = Template.fromStack(stack);
  const lake = bucketByName(template, 'lake-bucket');
  const logs = bucketByName(template, 'lake-logs');

  test('is SSE-KMS with the construct key and a bucket key', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(lake.props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        },
      ],
    });
  });

  test('the key rotates yearly and is retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365 }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('bucket policy denies non-TLS and TLS < 1.2', () => {
    expectTlsDenies(policyStatementsFor(template, lake.id));
  });

  test('blocks all public access and disables ACLs', () => {
    expect(lake.props.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    expect(lake.props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(lake.props.AccessControl).toBeUndefined();
  });

  test('is versioned and retained on delete and replace', () => {
    expect(lake.props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(lake.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(lake.resource.UpdateReplacePolicy).toBe('Retain');
  });

  test('lifecycle expires noncurrent versions only and aborts multipart uploads', () => {
    const rules = (lake.props.LifecycleConfiguration as Json).Rules as Json[];
    expect(rules).toEqual([
      {
        Id: 'expire-noncurrent-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('ExpirationInDays');
      expect(rule).not.toHaveProperty('ExpirationDate');
      expect(rule).not.toHaveProperty('Transitions');
    }
  });

  test('noncurrent expiration is configurable and must be positive', () => {
    const t = Template.fromStack(build({ noncurrentVersionExpiration: Duration.days(90) }).stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'lake-bucket',
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
    });
    expect(() => build({ noncurrentVersionExpiration: Duration.hours(1) })).toThrow(/at least 1 day/);
    expect(() => build({ noncurrentVersionExpiration: Duration.days(0) })).toThrow(/at least 1 day/);
  });

  test('server access logs go to the separate log bucket', () => {
    expect(lake.props.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs.id },
      LogFilePrefix: 'lake/',
    });
  });

  test('log bucket: SSE-S3 (required by S3 logging), TLS-only, private, versioned, retained', () => {
    expect(logs.props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(logs.props.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    expect(logs.props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logs.props.AccessControl).toBeUndefined();
    expect(logs.props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(logs.resource.UpdateReplacePolicy).toBe('Retain');
    expectTlsDenies(policyStatementsFor(template, logs.id));
  });

  test('log delivery is a bucket-policy grant scoped to the lake bucket, not an ACL', () => {
    const allow = policyStatementsFor(template, logs.id).filter((s) => s.Effect === 'Allow');
    expect(allow).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [lake.id, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': '111122223333' },
        },
      }),
    ]);
  });

  test('nothing auto-deletes objects', () => {
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });

  test('no tenant tag on the shared bucket', () => {
    expect(JSON.stringify(lake.props.Tags ?? [])).not.toContain('tenant_code');
  });

  test('an existing key is used instead of creating one', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Existing', 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000');
    const lake2 = new DataLake(stack, 'Lake', { tenantCodes: TENANTS, encryptionKey: key, objectAccessPrincipalArns: PRINCIPALS });
    const t = Template.fromStack(stack);
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toHaveLength(0);
    expect(lake2.encryptionKey).toBe(key);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn } }),
        ],
      },
    });
  });
});

describe('DataLake named principals (DATA-4)', () => {
  const { stack } = build();
  const template = Template.fromStack(stack);
  const lake = bucketByName(template, 'lake-bucket');

  test('the bucket policy denies object reads, writes and listings to every other principal', () => {
    const deny = policyStatementsFor(template, lake.id).find((s) => s.Sid === 'DenyObjectAccessToAllButNamedPrincipals');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { ArnNotLike: { 'aws:PrincipalArn': PRINCIPALS } } });
    expect(deny?.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket']));
    expect(JSON.stringify(deny?.Resource)).toContain('/*');
  });

  test('the key names the same principals, through S3 only', () => {
    const [key] = Object.values(resourcesOfType(template, 'AWS::KMS::Key'));
    const statements = ((key.Properties as Json).KeyPolicy as Json).Statement as Json[];
    expect(statements.find((s) => s.Sid === 'LakeObjectsThroughS3ForNamedPrincipals')).toMatchObject({
      Effect: 'Allow',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, ArnLike: { 'aws:PrincipalArn': PRINCIPALS } },
    });
  });

  test('needs at least one principal and refuses what is not a role ARN', () => {
    expect(() => build({ objectAccessPrincipalArns: [] })).toThrow(/at least one role ARN/);
    expect(() => build({ objectAccessPrincipalArns: ['arn:aws:iam::111122223333:user/bob'] })).toThrow(/must be an IAM role ARN/);
  });

  test('an imported key is left alone, with a warning', () => {
    const stack2 = newStack();
    const key = kms.Key.fromKeyArn(stack2, 'Existing', 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000');
    new DataLake(stack2, 'Lake', { tenantCodes: TENANTS, encryptionKey: key, objectAccessPrincipalArns: PRINCIPALS });
    Annotations.fromStack(stack2).hasWarning('*', Match.stringLikeRegexp('named principals'));
  });
});

describe('DataLake tenancy (DATA-4, TENANT-1)', () => {
  test('tenantPrefix is tenant_code=<code>/', () => {
    const { lake } = build();
    expect(lake.tenantPrefix('riverside_isd')).toBe('tenant_code=riverside_isd/');
  });

  test('unknown tenant code throws and names the valid codes', () => {
    const { stack, lake } = build();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    expect(() => lake.tenantPrefix('other')).toThrow(/Unknown tenant code "other".*riverside_isd, lakeside_charter/);
    expect(() => lake.grantTenantRead(role, 'other')).toThrow(/riverside_isd, lakeside_charter/);
    expect(() => lake.grantTenantReadWrite(role, 'riverside')).toThrow(/Unknown tenant code "riverside"/);
  });

  test('tenant codes are validated', () => {
    expect(() => build({ tenantCodes: [] })).toThrow(/at least one tenant/);
    expect(() => build({ tenantCodes: ['a/b'] })).toThrow(/must match/);
    expect(() => build({ tenantCodes: ['a*'] })).toThrow(/must match/);
    expect(() => build({ tenantCodes: ['a', 'a'] })).toThrow(/unique; repeated: a/);
  });

  function grantTemplate(grant: (lake: DataLake, role: iam.Role) => void): { statements: Json[]; template: Template; bucketId: string } {
    const { stack, lake } = build();
    const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    grant(lake, role);
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    return { statements: roleStatements(template, roleId), template, bucketId: bucketByName(template, 'lake-bucket').id };
  }

  function objectStatement(statements: Json[]): Json {
    const found = statements.filter((s) => asList(s.Action).includes('s3:GetObject'));
    expect(found).toHaveLength(1);
    return found[0];
  }

  function listStatement(statements: Json[]): Json {
    const found = statements.filter((s) => asList(s.Action).includes('s3:ListBucket'));
    expect(found).toHaveLength(1);
    return found[0];
  }

  test('grantTenantReadWrite: objects under one tenant prefix, list conditioned on it, key via S3', () => {
    const { statements } = grantTemplate((lake, role) => lake.grantTenantReadWrite(role, 'riverside_isd'));
    const objects = objectStatement(statements);
    expect(asList(objects.Resource).map(renderArn)).toEqual([`${LAKE_ARN}/tenant_code=riverside_isd/*`]);
    expect(asList(objects.Action)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
    expect(asList(objects.Action)).not.toContain('s3:DeleteObjectVersion');

    const list = listStatement(statements);
    expect(asList(list.Resource).map(renderArn)).toEqual([LAKE_ARN]);
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['tenant_code=riverside_isd/*'] } });

    const key = statements.find((s) => asList(s.Action).includes('kms:Decrypt'));
    expect(key).toBeDefined();
    expect(asList(key?.Action)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt']));
    expect(renderArn(key?.Resource)).toMatch(/^LakeKey[0-9A-F]+\.Arn$/);
    expect(key?.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });

    // Another tenant's prefix is not reachable from any statement.
    expect(JSON.stringify(statements)).not.toContain('lakeside_charter');
    // No statement on Resource '*'.
    for (const s of statements) expect(asList(s.Resource)).not.toContain('*');
  });

  test('grantTenantRead: read-only actions, one tenant', () => {
    const { statements } = grantTemplate((lake, role) => lake.grantTenantRead(role, 'lakeside_charter'));
    const objects = objectStatement(statements);
    expect(asList(objects.Action).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(asList(objects.Resource).map(renderArn)).toEqual([`${LAKE_ARN}/tenant_code=lakeside_charter/*`]);
    expect(listStatement(statements).Condition).toEqual({ StringLike: { 's3:prefix': ['tenant_code=lakeside_charter/*'] } });
    const keyActions = statements.filter((s) => JSON.stringify(s.Action).includes('kms:')).flatMap((s) => asList(s.Action));
    expect(keyActions).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(statements)).not.toContain('riverside_isd');
  });

  test('grantReadWrite (orchestration): every tenant prefix, never the whole bucket', () => {
    const { statements } = grantTemplate((lake, role) => lake.grantReadWrite(role));
    const objects = objectStatement(statements);
    expect(asList(objects.Action)).toContain('s3:PutObject');
    expect(asList(objects.Resource).map(renderArn).sort()).toEqual([
      `${LAKE_ARN}/tenant_code=lakeside_charter/*`,
      `${LAKE_ARN}/tenant_code=riverside_isd/*`,
    ]);
    expect(listStatement(statements).Condition).toEqual({
      StringLike: { 's3:prefix': ['tenant_code=riverside_isd/*', 'tenant_code=lakeside_charter/*'] },
    });
  });

  test('grantRead (warehouse): every tenant prefix, read only', () => {
    const { statements } = grantTemplate((lake, role) => lake.grantRead(role));
    const objects = objectStatement(statements);
    expect(asList(objects.Action).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(asList(objects.Resource).map(renderArn).sort()).toEqual([
      `${LAKE_ARN}/tenant_code=lakeside_charter/*`,
      `${LAKE_ARN}/tenant_code=riverside_isd/*`,
    ]);
    const allActions = statements.flatMap((s) => asList(s.Action));
    for (const action of ['s3:PutObject', 's3:DeleteObject', 'kms:GenerateDataKey', 'kms:Encrypt']) {
      expect(allActions).not.toContain(action);
    }
  });

  test('grants never edit the bucket policy or the key policy', () => {
    const { template, bucketId } = grantTemplate((lake, role) => {
      lake.grantReadWrite(role);
      lake.grantTenantRead(role, 'riverside_isd');
    });
    expect(policyStatementsFor(template, bucketId).filter((s) => s.Effect === 'Allow')).toEqual([]);
    const [key] = Object.values(resourcesOfType(template, 'AWS::KMS::Key'));
    // The account root and the named-principals statement the construct writes; grants add nothing.
    expect(((key.Properties as Json).KeyPolicy as Json).Statement).toHaveLength(2);
  });

  test('a grantee that cannot hold an identity policy is refused', () => {
    const { lake } = build();
    expect(() => lake.grantRead(new iam.AccountPrincipal('444455556666'))).toThrow(/identity policy/);
  });

  test('a tenant whose code is a prefix of another does not reach it', () => {
    const { stack, lake } = build({ tenantCodes: ['river', 'riverside'] });
    const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    lake.grantTenantRead(role, 'river');
    const t = Template.fromStack(stack);
    const statements = roleStatements(t, stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
    const rendered = JSON.stringify(statements.map((s) => asList(s.Resource).map(renderArn)));
    expect(rendered).toContain('tenant_code=river/*');
    expect(rendered).not.toContain('tenant_code=riverside');
    expect(JSON.stringify(statements)).not.toMatch(/tenant_code=river\*/);
  });
});
