import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bucketKmsEncryptionRule as rule } from '../../../../lib/policy/rules/data/bucket-kms-encryption';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const KEY = { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } };
const bucket = (encryption: unknown): TemplateResource => ({
  Type: 'AWS::S3::Bucket',
  Properties: encryption === undefined ? {} : { BucketEncryption: { ServerSideEncryptionConfiguration: [encryption] } },
});

describe('DATA1-BucketKmsEncryption', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new s3.Bucket(stack, 'Good', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'S3Managed', { encryption: s3.BucketEncryption.S3_MANAGED });
    new s3.Bucket(stack, 'AwsManagedKms', { encryption: s3.BucketEncryption.KMS_MANAGED, bucketKeyEnabled: true });
    new s3.Bucket(stack, 'NoBucketKey', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    new s3.CfnBucket(stack, 'L1Default');
    const found = violations(stack, rule);

    it('accepts SSE-KMS with a template key and a bucket key', () => {
      expect(found.filter((f) => f.startsWith('Good'))).toEqual([]);
    });
    it('fails SSE-S3, the AWS-managed key, a missing bucket key and no encryption', () => {
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^S3Managed[0-9A-F]+: SSEAlgorithm=AES256$/),
          expect.stringMatching(/^AwsManagedKms[0-9A-F]+: KMSMasterKeyID=absent$/),
          expect.stringMatching(/^NoBucketKey[0-9A-F]+: BucketKeyEnabled=absent$/),
          'L1Default: BucketEncryption=absent',
        ]),
      );
      expect(found).toHaveLength(4);
    });
  });

  describe('hand-written templates', () => {
    it('accepts a key ARN string, a Fn::Sub key ARN and DSSE-KMS without a bucket key', () => {
      const template = templateOf({
        ...KEY,
        Arn: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, BucketKeyEnabled: 'true' }),
        Sub: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}' } }, BucketKeyEnabled: true }),
        Dsse: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }),
      });
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual([]);
    });

    it('fails alias/aws/s3 by name, by ARN and through Fn::Join, and a false bucket key', () => {
      const template = templateOf({
        Alias: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }, BucketKeyEnabled: true }),
        AliasArn: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3' }, BucketKeyEnabled: true }),
        Joined: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:', { Ref: 'AWS::AccountId' }, ':alias/aws/s3']] } }, BucketKeyEnabled: 'false' }),
        Absent: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }),
        Aes: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }),
        Empty: bucket(undefined),
      });
      expect(violations(template, rule)).toEqual([
        'Alias: KMSMasterKeyID=alias/aws/s3',
        'AliasArn: KMSMasterKeyID=arn:aws:kms:us-east-1:111122223333:alias/aws/s3',
        'Joined: KMSMasterKeyID=arn:${AWS:Partition}:kms:us-east-1:${AWS:AccountId}:alias/aws/s3',
        'Joined: BucketKeyEnabled=false',
        'Absent: KMSMasterKeyID=absent',
        'Aes: SSEAlgorithm=AES256',
        'Empty: BucketEncryption=absent',
      ]);
    });

    it('checks every rule of a multi-rule configuration', () => {
      const template = templateOf({
        Two: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:key/k' }, BucketKeyEnabled: true },
                { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
              ],
            },
          },
        },
      });
      expect(violations(template, rule)).toEqual(['Two: ServerSideEncryptionConfiguration[1].SSEAlgorithm=AES256']);
    });

    it('warns instead of passing when the key or algorithm is an import or a parameter without default', () => {
      const template = templateOf(
        {
          Imported: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': 'shared-key' } }, BucketKeyEnabled: true }),
          Param: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'KeyArn' } }, BucketKeyEnabled: true }),
          Algo: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: { 'Fn::ImportValue': 'algo' } } }),
        },
        { Parameters: { KeyArn: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual([
        'Imported: KMSMasterKeyID=Fn:ImportValue_shared-key',
        'Param: KMSMasterKeyID=KeyArn',
        'Algo: SSEAlgorithm=unresolved',
      ]);
    });

    it('reads a parameter default', () => {
      const template = templateOf(
        { P: bucket({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'KeyArn' } }, BucketKeyEnabled: true }) },
        { Parameters: { KeyArn: { Type: 'String', Default: 'alias/aws/s3' } } },
      );
      expect(violations(template, rule)).toEqual(['P: KMSMasterKeyID=alias/aws/s3']);
    });
  });
});

describe('DATA1-BucketKmsEncryption: key alias kept in Mappings (red team)', () => {
  it('fails alias/aws/s3 read through Fn::FindInMap, and accepts a CMK ARN read the same way', () => {
    const bucket = (key: string): TemplateResource => ({
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::FindInMap': ['EnvSettings', 'prod', key] } }, BucketKeyEnabled: true },
          ],
        },
      },
    });
    const template = {
      ...templateOf({ Managed: bucket('S3KeyAlias'), Cmk: bucket('LakeKeyArn') }),
      Mappings: { EnvSettings: { prod: { S3KeyAlias: 'alias/aws/s3', LakeKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } } },
    };
    expect(violations(template, rule)).toEqual(['Managed: KMSMasterKeyID=alias/aws/s3']);
    expect(unresolvedWarnings(template, rule)).toEqual([]);
  });
});
