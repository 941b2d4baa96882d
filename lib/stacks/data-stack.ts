import { Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../../constructs/customer-managed-key';
import { secureBucketProps } from '../../constructs/secure-bucket';
import { DataLake } from '../../constructs/data-lake';
import { TempFileSystem } from '../../constructs/temp-file-system';
import { SanitizedLogGroup } from '../../constructs/sanitized-log-group';
import { BaselineStackProps, retentionFor } from './common';

/** TEMP-3: the config's idle days before files leave EFS standard storage. */
const EFS_TRANSITION: Record<1 | 7 | 14 | 30, efs.LifecyclePolicy> = {
  1: efs.LifecyclePolicy.AFTER_1_DAY,
  7: efs.LifecyclePolicy.AFTER_7_DAYS,
  14: efs.LifecyclePolicy.AFTER_14_DAYS,
  30: efs.LifecyclePolicy.AFTER_30_DAYS,
};

/** Properties of {@link DataStack}. */
export interface DataStackProps extends BaselineStackProps {
  readonly vpc: ec2.IVpc;
  /** The only clients allowed to mount the temporary file system (TEMP-2). */
  readonly orchestrationSecurityGroup: ec2.ISecurityGroup;
}

/**
 * Where student data rests: the S3 lake with its access-log bucket
 * (DATA-1..5), the EFS drive for temporary files (TEMP-1..3), and the
 * CloudTrail trail that records every read and write of lake objects
 * (AUDIT-1).
 */
export class DataStack extends Stack {
  public readonly lake: DataLake;
  public readonly tempFileSystem: TempFileSystem;
  public readonly trail: cloudtrail.Trail;
  public readonly trailBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, names } = props;

    const dataKey = new CustomerManagedKey(this, 'DataKey', {
      alias: names.dataKeyAlias.replace(/^alias\//, ''),
      description: `Student data at rest in ${names.prefix}: lake objects and temporary files`,
    });
    this.lake = new DataLake(this, 'Lake', {
      bucketName: names.lakeBucket,
      accessLogBucketName: names.lakeAccessLogBucket,
      encryptionKey: dataKey,
      tenantCodes: config.tenants.map((t) => t.code),
    });

    this.tempFileSystem = new TempFileSystem(this, 'TempFileSystem', {
      vpc: props.vpc,
      encryptionKey: dataKey,
      fileSystemName: `${names.prefix}-airflow-tmp`,
      transitionToIA: EFS_TRANSITION[config.deployment.efsTransitionDays],
    });
    this.tempFileSystem.allowClientsFrom(props.orchestrationSecurityGroup);

    const trailKey = new CustomerManagedKey(this, 'TrailKey', {
      alias: `${names.prefix}-trail`,
      description: `CloudTrail log files of ${names.prefix}`,
    });
    // CloudTrail encrypts log files with the key; it needs to generate data keys for this trail only.
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsThisTrail',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${this.partition}:cloudtrail:*:${this.account}:trail/*` },
        },
      }),
    );
    this.trailBucket = new s3.Bucket(this, 'TrailBucket', {
      ...secureBucketProps(),
      bucketName: names.trailBucket,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: trailKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.lake.accessLogBucket,
      serverAccessLogsPrefix: 'trail/',
    });

    const trailLogs = new SanitizedLogGroup(this, 'TrailLogs', {
      logGroupName: `${names.logGroupPrefix}/cloudtrail`,
      retention: retentionFor(props.environment.logRetentionDays),
      encryptionKey: trailKey,
      // Network and audit records need their addresses (LOG-2); credentials and PII are still masked.
      maskIpAddresses: false,
      studentIdentifierPattern: props.config.deployment.studentIdPattern,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: `${names.prefix}-trail`,
      bucket: this.trailBucket,
      encryptionKey: trailKey,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      // Delivery to CloudWatch Logs makes API activity searchable and alarmable within minutes.
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: trailLogs.logGroup,
    });
    // AUDIT-1: who read or wrote which student-data object.
    this.trail.addS3EventSelector([{ bucket: this.lake.bucket }], {
      readWriteType: cloudtrail.ReadWriteType.ALL,
      includeManagementEvents: true,
    });
  }
}
