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
  public readonly trail: cloudtrail.CfnTrail;
  public readonly trailBucket: s3.Bucket;

  /** An IAM role of this stack's account by name (the role may be created by a later stack). */
  private roleArn(roleName: string): string {
    return `arn:${this.partition}:iam::${this.account}:role/${roleName}`;
  }

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, names } = props;

    // DATA-4: the account root administers the data key but cannot use it, so an IAM policy
    // with kms:Decrypt on "*" does not reach student data. KMS requires the account to keep
    // administration ("Default key policy", AWS KMS Developer Guide: a policy without it makes
    // the key unmanageable and PutKeyPolicy's lockout check refuses it); use is granted below
    // (EFS) and by the DataLake (the named lake principals, through S3 only).
    const dataKey = new CustomerManagedKey(this, 'DataKey', {
      alias: names.dataKeyAlias.replace(/^alias\//, ''),
      description: `Student data at rest in ${names.prefix}: lake objects and temporary files`,
      rootAccess: 'administration',
    });
    // The temporary file system: the actions "Amazon EFS key policies for AWS KMS" lists
    // (Amazon EFS User Guide, "Using AWS KMS keys for Amazon EFS"), only through EFS and only
    // for this account, the way the AWS managed key aws/elasticfilesystem is scoped.
    dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TemporaryFilesThroughEfs',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:CreateGrant', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `elasticfilesystem.${this.region}.amazonaws.com`, 'kms:CallerAccount': this.account } },
      }),
    );
    this.lake = new DataLake(this, 'Lake', {
      bucketName: names.lakeBucket,
      accessLogBucketName: names.lakeAccessLogBucket,
      encryptionKey: dataKey,
      tenantCodes: config.tenants.map((t) => t.code),
      // DATA-4: the roles are created by the access stack, which depends on this one, so they
      // are named by constructed ARN (fixed role names from lib/config/derived.ts), never imported.
      objectAccessPrincipalArns: [
        this.roleArn(names.orchestrationRole),
        this.roleArn(names.warehouseRole),
        names.breakGlassRoleArn,
      ],
    });

    this.tempFileSystem = new TempFileSystem(this, 'TempFileSystem', {
      vpc: props.vpc,
      encryptionKey: dataKey,
      fileSystemName: `${names.prefix}-airflow-tmp`,
      transitionToIA: EFS_TRANSITION[config.deployment.efsTransitionDays],
      // TEMP-2: the access point runs every request as the Airflow user.
      posixUser: { uid: String(props.environment.airflowPosixUser.uid), gid: String(props.environment.airflowPosixUser.gid) },
    });
    this.tempFileSystem.allowClientsFrom(props.orchestrationSecurityGroup);

    const trailName = `${names.prefix}-trail`;
    // The trail's ARN written out, not read from the trail: the key, bucket policy and role
    // must exist before the trail, so a reference would be a cycle.
    const trailArn = `arn:${this.partition}:cloudtrail:${this.region}:${this.account}:trail/${trailName}`;
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': trailArn } };
    const trailKey = new CustomerManagedKey(this, 'TrailKey', {
      alias: `${names.prefix}-trail`,
      description: `CloudTrail log files of ${names.prefix}`,
    });
    // DEPLOY-1: the key policy AWS documents for a trail ("Configure AWS KMS key policies for
    // CloudTrail", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html):
    // - GenerateDataKey* for log files of this account's trails, pinned to this trail by aws:SourceArn
    //   (AWS recommends aws:SourceArn; aws:SourceAccount is "supported, but not recommended");
    // - DescribeKey with no encryption-context condition: DescribeKey carries no encryption
    //   context, so such a condition never matches and CreateTrail fails with
    //   InsufficientEncryptionPolicyException;
    // - Decrypt, because the trail bucket uses an S3 Bucket Key: "If you are using an existing S3
    //   bucket with an S3 Bucket Key, kms:Decrypt permissions are required to create or update a
    //   trail with SSE-KMS encryption enabled."
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsThisTrail',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ...fromThisTrail,
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${this.partition}:cloudtrail:*:${this.account}:trail/*` },
        },
      }),
    );
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: fromThisTrail,
      }),
    );
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDecryptsBucketKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisTrail,
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
    // IAM-3: the bucket policy AWS documents for CloudTrail, with aws:SourceArn of this trail
    // ("Amazon S3 bucket policy for CloudTrail",
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
    this.trailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [this.trailBucket.bucketArn],
        conditions: fromThisTrail,
      }),
    );
    this.trailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.trailBucket.arnForObjects(`AWSLogs/${this.account}/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
      }),
    );

    const trailLogs = new SanitizedLogGroup(this, 'TrailLogs', {
      logGroupName: `${names.logGroupPrefix}/cloudtrail`,
      retention: retentionFor(props.environment.logRetentionDays),
      encryptionKey: trailKey,
      // Network and audit records need their addresses (LOG-2); credentials and PII are still masked.
      maskIpAddresses: false,
      studentIdentifierPattern: props.config.deployment.studentIdPattern,
    });
    // IAM-3: only this trail may assume the delivery role. CloudTrail documents aws:SourceArn as
    // "the ARN of the trail ... that is using the resource" ("Cross-service confused deputy
    // prevention", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html).
    const trailLogsRole = new iam.Role(this, 'TrailLogsRole', {
      description: `CloudTrail delivers ${trailName} to its CloudWatch Logs group`,
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': trailArn },
      }),
    });
    // "Role policy document for CloudTrail to use CloudWatch Logs for monitoring": streams of this group only.
    trailLogsRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${trailLogs.logGroup.logGroupArn}`],
      }),
    );

    // L1: the L2 Trail writes its own bucket statements and delivery role without aws:SourceArn.
    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName,
      s3BucketName: this.trailBucket.bucketName,
      kmsKeyId: trailKey.keyArn,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      // Delivery to CloudWatch Logs makes API activity searchable and alarmable within minutes.
      cloudWatchLogsLogGroupArn: trailLogs.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: trailLogsRole.roleArn,
      // AUDIT-1: who read or wrote which student-data object.
      eventSelectors: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResources: [{ type: 'AWS::S3::Object', values: [`${this.lake.bucket.bucketArn}/`] }],
        },
      ],
    });
    // CloudTrail checks the bucket policy, key policy and role when the trail is created.
    this.trail.node.addDependency(this.trailBucket.policy!, trailKey, trailLogsRole);
  }
}
