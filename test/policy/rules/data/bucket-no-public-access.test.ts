import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import { bucketNoPublicAccessRule as rule } from '../../../../lib/policy/rules/data/bucket-no-public-access';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const SECURE_PROPS = {
  PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
};
const withPolicy = (statement: unknown): Record<string, TemplateResource> => ({
  Lake: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, BucketName: 'lake' } },
  Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'lake', PolicyDocument: { Statement: statement } } },
});
const allowAll = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*', ...extra,
});

describe('DATA3-BucketNoPublicAccess', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Good', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    const website = new s3.Bucket(stack, 'Website', {
      blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    website.grantPublicAccess();
    new s3.CfnBucket(stack, 'L1Acl', { ...{ publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } }, ownershipControls: { rules: [{ objectOwnership: 'ObjectWriter' }] }, accessControl: 'PublicRead' });
    const withRole = new s3.Bucket(stack, 'Shared', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    withRole.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [withRole.arnForObjects('*')], conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }));
    const found = violations(stack, rule);

    it('accepts BLOCK_ALL with BucketOwnerEnforced, and an Allow to * restricted by organisation', () => {
      expect(found.filter((f) => /^(Good|Shared)/.test(f))).toEqual([]);
    });
    it('fails grantPublicAccess with relaxed Block Public Access, and an L1 public canned ACL with ObjectWriter', () => {
      expect(found).toEqual([
        expect.stringMatching(/^Website[0-9A-F]+: PublicAccessBlockConfiguration.BlockPublicPolicy=false$/),
        expect.stringMatching(/^Website[0-9A-F]+: PublicAccessBlockConfiguration.RestrictPublicBuckets=false$/),
        expect.stringMatching(/^Website[0-9A-F]+: BucketPolicy\[WebsitePolicy[0-9A-F]+\].Statement\[0\].Principal=\*$/),
        'L1Acl: OwnershipControls.ObjectOwnership=ObjectWriter',
        'L1Acl: AccessControl=PublicRead',
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('fails missing Block Public Access and ownership controls, string "false" flags, and each public canned ACL', () => {
      const template = templateOf({
        Bare: { Type: 'AWS::S3::Bucket' },
        Strings: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, PublicAccessBlockConfiguration: { BlockPublicAcls: 'true', BlockPublicPolicy: 'false', IgnorePublicAcls: 'true', RestrictPublicBuckets: 'true' } } },
        Rw: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, AccessControl: 'PublicReadWrite' } },
        Auth: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, AccessControl: 'AuthenticatedRead' } },
        Private: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, AccessControl: 'Private' } },
      });
      expect(violations(template, rule)).toEqual([
        'Bare: PublicAccessBlockConfiguration=absent',
        'Bare: OwnershipControls=absent',
        'Strings: PublicAccessBlockConfiguration.BlockPublicPolicy=false',
        'Rw: AccessControl=PublicReadWrite',
        'Auth: AccessControl=AuthenticatedRead',
      ]);
    });

    it('fails an Allow to *, {"AWS":"*"} or a list with *, with NotPrincipal, or with a condition that does not restrict', () => {
      expect(violations(templateOf(withPolicy(allowAll())), rule)).toEqual(['Lake: BucketPolicy[Policy].Statement[0].Principal=*']);
      expect(violations(templateOf(withPolicy([allowAll({ Principal: { AWS: ['arn:aws:iam::111122223333:role/x', '*'] } })])), rule)).toEqual(['Lake: BucketPolicy[Policy].Statement[0].Principal=*']);
      expect(violations(templateOf(withPolicy([{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:*', Resource: '*' }])), rule)).toEqual(['Lake: BucketPolicy[Policy].Statement[0].NotPrincipal']);
      const weak = [
        allowAll({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
        allowAll({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } } }),
        allowAll({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }),
        allowAll({ Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } }),
        allowAll({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      ];
      expect(violations(templateOf(withPolicy(weak)), rule)).toEqual([0, 1, 2, 3, 4].map((i) => `Lake: BucketPolicy[Policy].Statement[${i}].Principal=*`));
    });

    it('accepts Allow to * restricted by aws:SourceArn, aws:SourceVpce or a specific aws:SourceIp, and service principals', () => {
      const ok = [
        allowAll({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/E1' } } }),
        allowAll({ Condition: { StringEquals: { 'aws:sourceVpce': ['vpce-1'] } } }),
        allowAll({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
        { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::lake/*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' },
      ];
      expect(violations(templateOf(withPolicy(ok)), rule)).toEqual([]);
    });

    it('checks a policy on a bucket outside the template on the policy, and warns on an imported ACL', () => {
      const template = templateOf({
        Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { 'Fn::ImportValue': 'bucket' }, PolicyDocument: { Statement: [allowAll()] } } },
        Acl: { Type: 'AWS::S3::Bucket', Properties: { ...SECURE_PROPS, AccessControl: { 'Fn::ImportValue': 'acl' } } },
      });
      expect(violations(template, rule)).toEqual(['Policy: Statement[0].Principal=*']);
      expect(unresolvedWarnings(template, rule)).toEqual(['Acl: AccessControl=unresolved']);
    });
  });
});

describe('DATA3-BucketNoPublicAccess: conditions that restrict nothing (red team)', () => {
  const bucket: TemplateResource = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    },
  };
  const withCondition = (condition: Record<string, unknown>): ReturnType<typeof templateOf> =>
    templateOf({
      Bucket: bucket,
      Policy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Bucket' },
          PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: condition }] },
        },
      },
    });

  it.each([
    ['aws:userid type prefixes', { StringLike: { 'aws:userid': ['AROA*:acme-sync-*', 'AIDA*'] } }],
    ['aws:userid of wildcards and separators', { StringLike: { 'aws:userid': '*:*' } }],
    ['aws:PrincipalArn in any account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }],
    ['aws:PrincipalArn in any account via Fn::Sub', { ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/*' } } }],
    ['aws:SourceArn of every bucket', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }],
    ['aws:PrincipalOrgID of any organisation', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
    ['aws:SourceIp wider than /8', { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1', '128.0.0.0/1'] } }],
  ])('fails an Allow to * whose only condition is %s', (_name, condition) => {
    expect(violations(withCondition(condition), rule)).toEqual(['Bucket: BucketPolicy[Policy].Statement[0].Principal=*']);
  });

  it.each([
    ['a full aws:userid', { StringEquals: { 'aws:userid': 'AROAEXAMPLEID123456789:sync' } }],
    ['a role-ID pattern', { StringLike: { 'aws:userid': 'AROAEXAMPLEID123456789:*' } }],
    ['a principal ARN pattern of the own account', { ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sync-*' } } }],
    ['an organisation ID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
  ])('accepts an Allow to * pinned by %s', (_name, condition) => {
    expect(violations(withCondition(condition), rule)).toEqual([]);
  });
});
