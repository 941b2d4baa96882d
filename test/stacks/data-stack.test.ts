import { Match } from 'aws-cdk-lib/assertions';
import { buildStages, templateOf } from '../support/example-app';

const stages = buildStages();
const prod = templateOf(stages.prod.data);

interface BucketResource {
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

function bucketNamed(name: string): { logicalId: string; resource: BucketResource } {
  const [logicalId, resource] = Object.entries(prod.findResources('AWS::S3::Bucket', { Properties: { BucketName: name } }))[0];
  return { logicalId, resource: resource as BucketResource };
}

test('snapshot is stable', () => {
  expect(prod.toJSON()).toMatchSnapshot();
});

describe('the lake (DATA-1..5, KEEP-1)', () => {
  const lake = bucketNamed('riverside-prod-lake-222222222222');

  test('DATA-1 SSE-KMS with the customer-managed data key and a bucket key', () => {
    expect(lake.resource.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
        },
      ],
    });
  });

  test('DATA-2 the bucket policy denies non-TLS and TLS below 1.2', () => {
    prod.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: lake.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('DATA-3 no public access', () => {
    expect(lake.resource.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(lake.resource.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('DATA-5 versioned, retained, access-logged, only noncurrent versions expire', () => {
    expect(lake.resource.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(lake.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(lake.resource.UpdateReplacePolicy).toBe('Retain');
    const logs = bucketNamed('riverside-prod-lake-access-logs-222222222222');
    expect(lake.resource.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs.logicalId }, LogFilePrefix: expect.any(String) });
    const rules = (lake.resource.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    for (const rule of rules) {
      expect(rule.ExpirationInDays).toBeUndefined();
      expect(rule.ExpirationDate).toBeUndefined();
    }
    expect(rules.some((r) => r.NoncurrentVersionExpiration)).toBe(true);
  });

  test('KEEP-1 keys are retained and rotate', () => {
    const keys = prod.findResources('AWS::KMS::Key');
    expect(Object.keys(keys).length).toBeGreaterThanOrEqual(2);
    for (const key of Object.values(keys)) {
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
  });
});

describe('temporary file system (TEMP-1..3)', () => {
  test('TEMP-1 encrypted with the data key', () => {
    prod.hasResource('AWS::EFS::FileSystem', {
      Properties: { Encrypted: true, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('TEMP-2 TLS-only policy and mounts only from the orchestration group on 2049', () => {
    prod.hasResourceProperties('AWS::EFS::FileSystem', {
      FileSystemPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    const ingress = Object.values(prod.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: { 'Fn::ImportValue': expect.stringMatching(/OrchestrationSecurityGroup/) } });
  });

  test('TEMP-3 idle files leave standard storage after the configured days', () => {
    prod.hasResourceProperties('AWS::EFS::FileSystem', { LifecyclePolicies: Match.arrayWith([{ TransitionToIA: 'AFTER_7_DAYS' }]) });
  });
});

describe('audit trail (AUDIT-1)', () => {
  test('multi-region, validated, CMK-encrypted, logging, with S3 data events for the lake', () => {
    const lake = bucketNamed('riverside-prod-lake-222222222222');
    prod.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: Match.anyValue(),
      S3BucketName: Match.anyValue(),
      EventSelectors: Match.arrayWith([
        Match.objectLike({
          DataResources: [{ Type: 'AWS::S3::Object', Values: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [lake.logicalId, 'Arn'] }, '/']] }] }],
          ReadWriteType: 'All',
        }),
      ]),
    });
  });

  test('the trail bucket is encrypted, retained and access-logged', () => {
    const trail = bucketNamed('riverside-prod-trail-222222222222');
    expect(trail.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(trail.resource.Properties.LoggingConfiguration).toBeDefined();
    expect(JSON.stringify(trail.resource.Properties.BucketEncryption)).toContain('aws:kms');
  });
});

/** A template value as JSON with `Fn::Join ['', [...]]` of literals and the partition collapsed into one string. */
const render = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/\{"Ref":"AWS::Partition"\}/g, '"${AWS::Partition}"')
    .replace(/\{"Fn::Join":\["",\[("[^\]]*")\]\]\}/g, (_m, parts: string) => JSON.stringify((JSON.parse(`[${parts}]`) as string[]).join('')));

function statementsOfKey(alias: string): Array<Record<string, unknown>> {
  const aliasResource = Object.values(prod.findResources('AWS::KMS::Alias', { Properties: { AliasName: alias } }))[0] as { Properties: { TargetKeyId: { 'Fn::GetAtt': string[] } } };
  const keyId = aliasResource.Properties.TargetKeyId['Fn::GetAtt'][0];
  return prod.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
}

describe('keys and service principals (DEPLOY-1, IAM-3)', () => {
  const trailArn = 'arn:${AWS::Partition}:cloudtrail:us-east-1:222222222222:trail/riverside-prod-trail';

  test('the trail key: DescribeKey and Decrypt without an encryption-context condition, every statement pinned to the trail', () => {
    const cloudtrail = statementsOfKey('alias/riverside-prod-trail').filter((s) => JSON.stringify(s.Principal).includes('cloudtrail'));
    expect(cloudtrail.map((s) => s.Action)).toEqual(['kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:Decrypt']);
    for (const s of cloudtrail) expect(render(s.Condition)).toContain(`"aws:SourceArn":"${trailArn}"`);
    expect(JSON.stringify(cloudtrail[1].Condition)).not.toContain('EncryptionContext');
    expect(JSON.stringify(cloudtrail[2].Condition)).not.toContain('EncryptionContext');
  });

  test('the trail bucket policy and delivery role trust only this trail', () => {
    const trail = bucketNamed('riverside-prod-trail-222222222222');
    const policy = Object.values(prod.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: trail.logicalId } } }))[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } };
    const cloudtrail = policy.Properties.PolicyDocument.Statement.filter((s) => JSON.stringify(s.Principal).includes('cloudtrail'));
    expect(cloudtrail).toHaveLength(2);
    for (const s of cloudtrail) expect(render(s.Condition)).toContain(`"aws:SourceArn":"${trailArn}"`);
    const role = Object.values(prod.findResources('AWS::IAM::Role')).find((r) => JSON.stringify(r).includes('cloudtrail.amazonaws.com')) as { Properties: { AssumeRolePolicyDocument: unknown } };
    expect(render(role.Properties.AssumeRolePolicyDocument)).toContain(`"aws:SourceAccount":"222222222222","aws:SourceArn":"${trailArn}"`);
  });
});

describe('named principals (DATA-4)', () => {
  const roles = [
    'arn:${AWS::Partition}:iam::222222222222:role/riverside-prod-orchestration',
    'arn:${AWS::Partition}:iam::222222222222:role/riverside-prod-warehouse-integration',
    'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_RiversideBreakGlass_*',
  ];

  test('the lake bucket policy denies object access to all but the orchestration, warehouse and break-glass roles', () => {
    const lake = bucketNamed('riverside-prod-lake-222222222222');
    const policy = Object.values(prod.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: lake.logicalId } } }))[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } };
    const deny = policy.Properties.PolicyDocument.Statement.find((s) => s.Sid === 'DenyObjectAccessToAllButNamedPrincipals');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(render(deny?.Condition)).toBe(JSON.stringify({ ArnNotLike: { 'aws:PrincipalArn': roles } }));
  });

  test('the data key: the account administers it, nobody decrypts except through S3 (named roles) or EFS', () => {
    const statements = statementsOfKey('alias/riverside-prod-data');
    expect(statements.map((s) => s.Sid)).toEqual(['AccountAdministersKey', 'TemporaryFilesThroughEfs', 'LakeObjectsThroughS3ForNamedPrincipals']);
    expect(JSON.stringify(statements[0].Action)).not.toMatch(/kms:\*|Decrypt|Encrypt|GenerateDataKey|CreateGrant/);
    expect(statements[1].Condition).toMatchObject({ StringEquals: { 'kms:ViaService': 'elasticfilesystem.us-east-1.amazonaws.com' } });
    expect(statements[2].Condition).toMatchObject({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    expect(render(statements[2].Condition)).toContain(JSON.stringify({ 'aws:PrincipalArn': roles }));
  });
});
