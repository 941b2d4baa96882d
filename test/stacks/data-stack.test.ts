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
