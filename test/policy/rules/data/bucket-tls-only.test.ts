import * as s3 from 'aws-cdk-lib/aws-s3';
import { bucketTlsOnlyRule as rule } from '../../../../lib/policy/rules/data/bucket-tls-only';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const ARN = { 'Fn::GetAtt': ['Lake', 'Arn'] };
const OBJECTS = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lake', 'Arn'] }, '/*']] };
const secureTransport = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [ARN, OBJECTS], Condition: { Bool: { 'aws:SecureTransport': 'false' } }, ...extra,
});
const tlsVersion = (version: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [ARN, OBJECTS], Condition: { NumericLessThan: { 's3:TlsVersion': version } }, ...extra,
});
const lakeWith = (statement: unknown, bucket: unknown = { Ref: 'Lake' }): Record<string, TemplateResource> => ({
  Lake: { Type: 'AWS::S3::Bucket', Properties: {} },
  Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: bucket, PolicyDocument: { Version: '2012-10-17', Statement: statement } } },
});

describe('DATA2-BucketTlsOnly', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Good', { enforceSSL: true, minimumTLSVersion: 1.2 });
    new s3.Bucket(stack, 'Tls13', { enforceSSL: true, minimumTLSVersion: 1.3 });
    new s3.Bucket(stack, 'SslOnly', { enforceSSL: true });
    new s3.Bucket(stack, 'NoPolicy');
    new s3.CfnBucket(stack, 'L1');
    const found = violations(stack, rule);

    it('accepts enforceSSL with minimumTLSVersion 1.2 or higher', () => {
      expect(found.filter((f) => /^(Good|Tls13)/.test(f))).toEqual([]);
    });
    it('fails a bucket without the TLS-version deny and buckets without a policy', () => {
      expect(found).toEqual([
        expect.stringMatching(/^SslOnly[0-9A-F]+: TlsVersionDeny=absent$/),
        expect.stringMatching(/^NoPolicy[0-9A-F]+: BucketPolicy=absent$/),
        'L1: BucketPolicy=absent',
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('accepts both denies written with a literal bucket name, Fn::Sub ARNs and a numeric/string version', () => {
      const template = templateOf({
        Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'district-lake' } },
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'district-lake',
            PolicyDocument: {
              Statement: [
                { Effect: 'Deny', Principal: '*', Action: '*', Resource: ['arn:aws:s3:::district-lake', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::district-lake/*' }], Condition: { Bool: { 'aws:SecureTransport': false } } },
                { Effect: 'Deny', Principal: { AWS: ['*'] }, Action: ['s3:*'], Resource: 'arn:aws:s3:::district-lake*', Condition: { NumericLessThan: { 's3:TlsVersion': '1.3' } } },
              ],
            },
          },
        },
      });
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual([]);
    });

    it('accepts a single statement object (not a list) per policy aspect in Fn::Sub form with Ref', () => {
      const sub = { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Lake}' };
      const subObjects = { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Lake}/*' };
      const template = templateOf(
        lakeWith([secureTransport({ Resource: [sub, subObjects] }), tlsVersion([1.2], { Resource: [sub, subObjects] })]),
      );
      expect(violations(template, rule)).toEqual([]);
    });

    it('fails a TLS floor below 1.2, a deny narrowed by another condition, a deny on objects only, a deny for one principal or one action', () => {
      expect(violations(templateOf(lakeWith([secureTransport(), tlsVersion(1.1)])), rule)).toEqual(['Lake: TlsVersionDeny.NumericLessThan=1.1']);
      const narrowed = secureTransport({ Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceVpce': 'vpce-1' } } });
      expect(violations(templateOf(lakeWith([narrowed, tlsVersion(1.2)])), rule)).toEqual(['Lake: SecureTransportDeny=absent']);
      expect(violations(templateOf(lakeWith([secureTransport({ Resource: OBJECTS }), tlsVersion(1.2)])), rule)).toEqual(['Lake: SecureTransportDeny=absent']);
      expect(violations(templateOf(lakeWith([secureTransport({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), tlsVersion(1.2)])), rule)).toEqual(['Lake: SecureTransportDeny=absent']);
      expect(violations(templateOf(lakeWith([secureTransport({ Action: 's3:GetObject' }), tlsVersion(1.2)])), rule)).toEqual(['Lake: SecureTransportDeny=absent']);
      expect(violations(templateOf(lakeWith([secureTransport({ Effect: 'Allow' }), tlsVersion(1.2)])), rule)).toEqual(['Lake: SecureTransportDeny=absent']);
    });

    it('fails a combined condition (ANDed: a plain-HTTP request has no TLS version, so nothing is denied)', () => {
      const combined = secureTransport({ Condition: { Bool: { 'aws:SecureTransport': 'false' }, NumericLessThan: { 's3:TlsVersion': 1.2 } } });
      expect(violations(templateOf(lakeWith(combined)), rule)).toEqual(['Lake: SecureTransportDeny=absent', 'Lake: TlsVersionDeny=absent']);
    });

    it('matches a policy attached by literal name only to the bucket with that name', () => {
      const template = templateOf({
        Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake-a' } },
        Other: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake-b' } },
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'lake-a',
            PolicyDocument: {
              Statement: [
                { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::lake-a', 'arn:aws:s3:::lake-a/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
                { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::lake-b', 'arn:aws:s3:::lake-b/*'], Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } },
              ],
            },
          },
        },
      });
      expect(violations(template, rule)).toEqual(['Lake: TlsVersionDeny=absent', 'Other: BucketPolicy=absent']);
    });

    it('checks a policy for a bucket outside the template on the policy itself', () => {
      const template = templateOf({
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'existing-bucket',
            PolicyDocument: { Statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::existing-bucket', 'arn:aws:s3:::existing-bucket/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } } },
          },
        },
      });
      expect(violations(template, rule)).toEqual(['Policy: TlsVersionDeny=absent']);
    });

    it('warns when resources or the policy target cannot be resolved', () => {
      const imported = { 'Fn::ImportValue': 'lake-arn' };
      const template = templateOf(lakeWith([secureTransport({ Resource: imported }), tlsVersion(1.2, { Resource: imported })]));
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Lake: SecureTransportDeny.Resource=unresolved', 'Lake: TlsVersionDeny.Resource=unresolved']);
      const unknownTarget = templateOf({
        Lake: { Type: 'AWS::S3::Bucket', Properties: {} },
        Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { 'Fn::ImportValue': 'bucket' }, PolicyDocument: { Statement: [] } } },
      });
      // The bucket may be the imported one: warn on it. The policy itself protects nothing, wherever it points.
      expect(unresolvedWarnings(unknownTarget, rule)).toEqual(['Lake: BucketPolicy=Policy.Bucket=${Fn:ImportValue}']);
      expect(violations(unknownTarget, rule)).toEqual(['Policy: SecureTransportDeny=absent', 'Policy: TlsVersionDeny=absent']);
    });
  });
});
