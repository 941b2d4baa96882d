import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomerManagedKey } from '../../../../constructs/customer-managed-key';
import { DataLake } from '../../../../constructs/data-lake';
import { lakeNamedPrincipalsRule as rule } from '../../../../lib/policy/rules/data/lake-named-principals';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, violations } from '../../../support/policy';

const ROLES = ['arn:aws:iam::123456789012:role/orchestration', 'arn:aws:iam::123456789012:role/warehouse', 'arn:aws:iam::123456789012:role/break-glass'];

describe('DATA4-LakeNamedPrincipals', () => {
  it('L2: DataLake passes; a plain SSE-KMS bucket with a default key fails on the bucket policy and the key', () => {
    const stack = testStack();
    new DataLake(stack, 'Lake', { tenantCodes: ['north'], objectAccessPrincipalArns: ROLES });
    new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'PlainKey', { enableKeyRotation: true }), enforceSSL: true });
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Plain[0-9A-F]+: BucketPolicy\.DenyObjectAccessToAllButNamedPrincipals=absent$/),
      expect.stringMatching(/^Plain[0-9A-F]+: KMSMasterKeyID=PlainKey[0-9A-F]+\.KeyPolicy\.Statement\[0\]-decrypt-for-the-whole-account$/),
    ]);
  });

  it('L2: a DataLake sharing a default-policy key fails on the key only; an administration-only key passes', () => {
    const stack = testStack();
    new DataLake(stack, 'Open', { tenantCodes: ['north'], objectAccessPrincipalArns: ROLES, encryptionKey: new kms.Key(stack, 'OpenKey') });
    new DataLake(stack, 'Closed', {
      tenantCodes: ['north'],
      objectAccessPrincipalArns: ROLES,
      encryptionKey: new CustomerManagedKey(stack, 'ClosedKey', { alias: 'closed', description: 'lake', rootAccess: 'administration' }),
    });
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^OpenBucket[0-9A-F]+: KMSMasterKeyID=OpenKey[0-9A-F]+\.KeyPolicy\.Statement\[0\]-decrypt-for-the-whole-account$/)]);
  });

  it('log destinations (trail and access-log buckets) are not lakes', () => {
    const stack = testStack();
    const logs = new s3.Bucket(stack, 'Logs');
    new s3.Bucket(stack, 'Source', { serverAccessLogsBucket: logs }).addToResourcePolicy(
      new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:*'], resources: ['*'], conditions: { ArnNotLike: { 'aws:PrincipalArn': ROLES } } }),
    );
    expect(violations(stack, rule).filter((v) => v.startsWith('Logs'))).toEqual([]);
  });

  describe('hand-written bucket policies', () => {
    const deny = (extra: object = {}, condition: object = { ArnNotLike: { 'aws:PrincipalArn': ROLES } }): object => ({
      Effect: 'Deny', Principal: '*', Action: ['s3:GetObject*', 's3:PutObject*'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::edu-lake/*' }, Condition: condition, ...extra,
    });
    const template = (statement: object, bucketRef: unknown = { Ref: 'Lake' }): CfnTemplate =>
      templateOf({
        Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'edu-lake' } },
        Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: bucketRef, PolicyDocument: { Statement: [statement] } } },
      });

    it('accepts the Deny with ArnNotLike, ArnNotEquals or StringNotLike, a literal or Fn::Join resource, s3:* actions', () => {
      expect(violations(template(deny()), rule)).toEqual([]);
      expect(violations(template(deny({}, { ArnNotEquals: { 'aws:PrincipalArn': ROLES[0] } }), 'edu-lake'), rule)).toEqual([]);
      expect(violations(template(deny({ Action: 's3:*', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lake', 'Arn'] }, '/*']] } }, { StringNotLike: { 'aws:PrincipalArn': ROLES } })), rule)).toEqual([]);
    });

    it('refuses a Deny that is narrowed, open, misses writes or objects, or an Allow instead', () => {
      const absent = ['Lake: BucketPolicy.DenyObjectAccessToAllButNamedPrincipals=absent'];
      expect(violations(template(deny({}, { ArnNotLike: { 'aws:PrincipalArn': ROLES }, Bool: { 'aws:SecureTransport': 'false' } })), rule)).toEqual(absent);
      expect(violations(template(deny({ Action: 's3:GetObject' })), rule)).toEqual(absent);
      expect(violations(template(deny({ Resource: 'arn:aws:s3:::edu-lake' })), rule)).toEqual(absent);
      expect(violations(template(deny({ Effect: 'Allow' })), rule)).toEqual(absent);
      expect(violations(template(deny({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } })), rule)).toEqual(absent);
      expect(violations(template(deny({}, { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*'] } })), rule)).toEqual([
        'Lake: BucketPolicy[Policy].Statement[0].aws:PrincipalArn=arn:aws:iam:*:role/*',
      ]);
    });
  });
});
