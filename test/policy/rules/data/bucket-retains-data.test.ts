import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bucketRetainsDataRule as rule } from '../../../../lib/policy/rules/data/bucket-retains-data';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
const LOGS: TemplateResource = { Type: 'AWS::S3::Bucket', ...RETAIN, Properties: { BucketName: 'access-logs', VersioningConfiguration: { Status: 'Enabled' } } };
const lake = (props: Record<string, unknown> = {}, attributes: Record<string, unknown> = RETAIN): TemplateResource => ({
  Type: 'AWS::S3::Bucket',
  ...attributes,
  Properties: { VersioningConfiguration: { Status: 'Enabled' }, LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } }, ...props },
});

describe('DATA5-BucketRetainsData', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const logs = new s3.Bucket(stack, 'Logs', { versioned: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Good', {
      versioned: true, removalPolicy: RemovalPolicy.RETAIN, serverAccessLogsBucket: logs,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    new s3.Bucket(stack, 'Expiring', { versioned: true, removalPolicy: RemovalPolicy.RETAIN, serverAccessLogsBucket: logs, lifecycleRules: [{ expiration: Duration.days(30) }] });
    new s3.Bucket(stack, 'Defaults', { removalPolicy: RemovalPolicy.DESTROY });
    const found = violations(stack, rule);

    it('accepts a versioned, retained, logged bucket that expires only noncurrent versions, and its log bucket', () => {
      expect(found.filter((f) => /^(Good|Logs)/.test(f))).toEqual([]);
    });
    it('fails current-object expiration and a destroyable, unversioned, unlogged L2 bucket', () => {
      expect(found).toEqual([
        expect.stringMatching(/^Expiring[0-9A-F]+: LifecycleConfiguration.Rules\[0\].ExpirationInDays=30$/),
        expect.stringMatching(/^Defaults[0-9A-F]+: DeletionPolicy=Delete$/),
        expect.stringMatching(/^Defaults[0-9A-F]+: UpdateReplacePolicy=Delete$/),
        expect.stringMatching(/^Defaults[0-9A-F]+: VersioningConfiguration=absent$/),
        expect.stringMatching(/^Defaults[0-9A-F]+: LoggingConfiguration=absent$/),
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('recognises the log bucket by literal name and accepts RetainExceptOnCreate as DeletionPolicy', () => {
      const template = templateOf({
        Logs: LOGS,
        Lake: lake({ LoggingConfiguration: { DestinationBucketName: 'access-logs', LogFilePrefix: 'lake/' } }, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' }),
      });
      expect(violations(template, rule)).toEqual([]);
    });

    it('fails each missing or wrong piece separately', () => {
      const template = templateOf({
        Logs: LOGS,
        NoDelete: lake({}, { UpdateReplacePolicy: 'Retain' }),
        NoReplace: lake({}, { DeletionPolicy: 'Retain' }),
        Snapshot: lake({}, { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Delete' }),
        Suspended: lake({ VersioningConfiguration: { Status: 'Suspended' } }),
        Self: lake({ BucketName: 'self-logged', LoggingConfiguration: { DestinationBucketName: 'self-logged' } }),
        SelfRef: lake({ LoggingConfiguration: { DestinationBucketName: { Ref: 'SelfRef' } } }),
        Dated: lake({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }, { Status: 'Enabled', ExpirationDate: '2030-01-01T00:00:00Z' }, { Status: 'Disabled', ExpirationInDays: 1 }] } }),
        Conditional: lake({}, { DeletionPolicy: { 'Fn::If': ['IsProd', 'Retain', 'Delete'] }, UpdateReplacePolicy: 'Retain' }),
      });
      expect(violations(template, rule)).toEqual([
        'NoDelete: DeletionPolicy=absent',
        'NoReplace: UpdateReplacePolicy=absent',
        'Snapshot: DeletionPolicy=Snapshot',
        'Snapshot: UpdateReplacePolicy=Delete',
        'Suspended: VersioningConfiguration.Status=Suspended',
        'Self: LoggingConfiguration.DestinationBucketName=self',
        'SelfRef: LoggingConfiguration.DestinationBucketName=self',
        'Dated: LifecycleConfiguration.Rules[1].ExpirationDate=set',
        'Conditional: DeletionPolicy=Delete',
      ]);
    });

    it('warns on versioning status or policies it cannot read', () => {
      const template = templateOf({
        Logs: LOGS,
        Imported: lake({ VersioningConfiguration: { Status: { 'Fn::ImportValue': 'status' } } }, { DeletionPolicy: { 'Fn::ImportValue': 'p' }, UpdateReplacePolicy: 'Retain' }),
      });
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Imported: DeletionPolicy=unresolved', 'Imported: VersioningConfiguration.Status=unresolved']);
    });
  });
});
