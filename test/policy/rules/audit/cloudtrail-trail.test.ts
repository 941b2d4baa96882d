import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { cloudTrailTrailRule as rule } from '../../../../lib/policy/rules/audit/cloudtrail-trail';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const TRAIL_PROPS = {
  IsLogging: true, IsMultiRegionTrail: true, EnableLogFileValidation: true, KMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', S3BucketName: { Ref: 'TrailBucket' },
};
const withTrail = (props: Record<string, unknown>): CfnTemplate =>
  templateOf({
    Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake', LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } } } },
    Logs: { Type: 'AWS::S3::Bucket' },
    TrailBucket: { Type: 'AWS::S3::Bucket' },
    Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { ...TRAIL_PROPS, ...props } },
  });
const s3Objects = (values: unknown[], readWriteType?: string): Record<string, unknown> => ({
  EventSelectors: [{ ...(readWriteType ? { ReadWriteType: readWriteType } : {}), DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }],
});

describe('AUDIT1-CloudTrailTrail', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const lake = new s3.Bucket(stack, 'Lake');
    const good = new cloudtrail.Trail(stack, 'Good', { encryptionKey: key });
    good.addS3EventSelector([{ bucket: lake }]);
    const stack2 = testStack('Weak');
    new s3.Bucket(stack2, 'Lake');
    new cloudtrail.Trail(stack2, 'Weak', { isMultiRegionTrail: false, enableFileValidation: false });

    it('accepts a CMK-encrypted multi-region trail with data events for the lake', () => {
      expect(violations(stack, rule)).toEqual([]);
    });
    it('fails a single-region, unvalidated, unencrypted trail without data events', () => {
      expect(violations(stack2, rule)).toEqual([
        expect.stringMatching(/^Weak[0-9A-F]+: IsMultiRegionTrail=false$/),
        expect.stringMatching(/^Weak[0-9A-F]+: EnableLogFileValidation=false$/),
        expect.stringMatching(/^Weak[0-9A-F]+: KMSKeyId=absent$/),
        expect.stringMatching(/^Weak[0-9A-F]+: S3DataEvents.Lake[0-9A-F]+=absent$/),
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('accepts data events by literal ARN, all buckets, Fn::Sub, and advanced selectors', () => {
      expect(violations(withTrail(s3Objects(['arn:aws:s3:::lake/'])), rule)).toEqual([]);
      expect(violations(withTrail(s3Objects(['arn:aws:s3'])), rule)).toEqual([]);
      expect(violations(withTrail(s3Objects([{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Lake}/' }])), rule)).toEqual([]);
      const advanced = {
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lake', 'Arn'] }, '/']] }] }] }],
      };
      expect(violations(withTrail(advanced), rule)).toEqual([]);
      const everything = { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] };
      expect(violations(withTrail(everything), rule)).toEqual([]);
    });

    it('fails string "false" flags, a missing bucket, a prefix-only or write-only selector, and a NotStartsWith exclusion', () => {
      expect(violations(withTrail({ IsLogging: 'false', S3BucketName: undefined, ...s3Objects(['arn:aws:s3:::lake/tenant_code=a/']) }), rule)).toEqual([
        'Trail: IsLogging=false',
        'Trail: S3BucketName=absent',
        'Trail: S3DataEvents.Lake=absent',
        // No longer the trail's bucket, so its objects count as data to record.
        'Trail: S3DataEvents.TrailBucket=absent',
      ]);
      expect(violations(withTrail(s3Objects(['arn:aws:s3:::lake/'], 'WriteOnly')), rule)).toEqual(['Trail: S3DataEvents.Lake=WriteOnly']);
      const excluded = {
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::lake/'] }] }],
      };
      expect(violations(withTrail(excluded), rule)).toEqual(['Trail: S3DataEvents.Lake=absent']);
      const readOnly = {
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['true'] }] }],
      };
      expect(violations(withTrail(readOnly), rule)).toEqual(['Trail: S3DataEvents.Lake=ReadOnly']);
    });

    it('does not require data events for the trail and access-log buckets, and counts all trails together', () => {
      const template = withTrail({});
      const resources = { ...template.Resources, Data: { Type: 'AWS::CloudTrail::Trail', Properties: { ...TRAIL_PROPS, ...s3Objects(['arn:aws:s3:::lake/']) } } };
      expect(violations({ Resources: resources }, rule)).toEqual([]);
    });

    it('warns on an imported key and unresolvable data-resource values', () => {
      const template = withTrail({ KMSKeyId: { 'Fn::ImportValue': 'trail-key' }, ...s3Objects([{ 'Fn::ImportValue': 'lake-arn' }]) });
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Trail: KMSKeyId=Fn:ImportValue_trail-key', 'Trail: S3DataEvents.Lake=unresolved']);
    });
  });
});
