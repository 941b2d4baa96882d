import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';
import { secureBucketProps } from './secure-bucket';

/**
 * The shape a tenant code must have to be used in a lake path. Characters such
 * as `/`, `*` or `?` would let one tenant's prefix or IAM pattern reach into
 * another's, so they are refused here even if a caller skipped config validation.
 */
const TENANT_CODE_PATTERN = /^[a-z0-9_]{1,32}$/;

/** Properties of a {@link DataLake}. */
export interface DataLakeProps {
  /**
   * Tenant codes whose data the lake holds; each tenant's objects live under
   * `tenant_code=<code>/` (DATA-4, TENANT-1). Grants name one of these codes.
   */
  readonly tenantCodes: readonly string[];
  /**
   * The only principals that may read or write lake objects (DATA-4): IAM role
   * ARNs of this account, e.g. the orchestration role, the warehouse
   * integration role and a break-glass administrator role; `*` wildcards as in
   * `ArnLike`. The bucket policy denies object access to every other principal
   * (`aws:PrincipalArn`), and a key the construct can change names the same
   * principals (through S3 only). Written as ARNs, not role objects, so the
   * roles may live in a stack that depends on this one.
   */
  readonly objectAccessPrincipalArns: readonly string[];
  /**
   * Physical name of the lake bucket.
   * @default a CloudFormation-generated name
   */
  readonly bucketName?: string;
  /**
   * Physical name of the server access log bucket.
   * @default a CloudFormation-generated name
   */
  readonly accessLogBucketName?: string;
  /**
   * Key that encrypts the lake (DATA-1). Pass the environment's data key to
   * share it; a key imported by ARN keeps whatever key policy it already has.
   * @default a new {@link CustomerManagedKey} (yearly rotation, retained, the account
   * administers it and only `objectAccessPrincipalArns` use it, through S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Alias of the key the construct creates when `encryptionKey` is not given,
   * with or without the `alias/` prefix. Ignored when `encryptionKey` is set.
   * @default `<unique construct name>-lake`
   */
  readonly keyAlias?: string;
  /**
   * How long a replaced or deleted object version is kept before S3 expires
   * it. Current versions never expire (DATA-5).
   * @default Duration.days(365)
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * How long an unfinished multipart upload may hold storage before S3 aborts it.
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;
  /**
   * Key prefix of the lake's server access log objects in the log bucket.
   * @default 'lake/'
   */
  readonly accessLogsPrefix?: string;
  /**
   * What happens to the buckets when they leave the stack or a failed create
   * rolls back (KEEP-1, DEPLOY-2). RETAIN_ON_UPDATE_OR_DELETE keeps them on
   * stack deletion and replacement but lets a rolled-back first deploy delete
   * the (empty) buckets it just created, so a named bucket does not block the retry.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The student-data lake: one SSE-KMS bucket shared by all tenants, each
 * tenant's objects under `tenant_code=<code>/`, plus the bucket that receives
 * its server access logs.
 *
 * - DATA-1: SSE-KMS with a customer-managed key and an S3 bucket key. The access
 *   log bucket uses SSE-S3 because S3 server access logging cannot deliver to
 *   a bucket whose default encryption is SSE-KMS; the stack acknowledges DATA-1
 *   for {@link accessLogBucket} with that reason.
 * - DATA-2: both buckets deny requests without TLS and below TLS 1.2.
 * - DATA-3: Block Public Access (all four flags), BucketOwnerEnforced (ACLs off).
 * - DATA-4 / TENANT-1: access only through the `grant*` methods, which scope
 *   object ARNs and `s3:ListBucket` to tenant prefixes; the bucket policy
 *   denies object reads and writes to every principal but
 *   `objectAccessPrincipalArns`, and the key (when the construct may change
 *   its policy) allows only those principals to use it, through S3.
 * - DATA-5 / KEEP-1: versioned, retained on delete and replace (buckets and
 *   key), lifecycle expires noncurrent versions only, access logs to a
 *   separate bucket.
 *
 * Nothing tenant-specific is tagged on the buckets: they are shared, and a
 * single `tenant_code` tag would misdescribe them.
 */
export class DataLake extends Construct {
  /** The lake bucket. */
  public readonly bucket: s3.Bucket;
  /**
   * The bucket receiving the lake's server access logs (SSE-S3, see the class
   * comment). Exposed so the stack can acknowledge DATA-1 for it.
   */
  public readonly accessLogBucket: s3.Bucket;
  /** The key that encrypts the lake. */
  public readonly encryptionKey: kms.IKey;
  /** The tenant codes the lake was created with. */
  public readonly tenantCodes: readonly string[];
  /**
   * The lake's ARN as grants write it: built from the bucket name when that is
   * known, so a role in another stack names the bucket literally instead of
   * importing an export (reviewers and rule sets can read it).
   */
  private readonly grantArn: string;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);

    // Without this flag the log bucket gets the LogDeliveryWrite ACL, which
    // needs ObjectWriter ownership and would undo BucketOwnerEnforced (DATA-3).
    // A construct must not depend on the app's cdk.json, so it pins the flag
    // for its own subtree (must happen before any child is added).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.tenantCodes = validateTenantCodes(props.tenantCodes);
    const principals = validatePrincipalArns(props.objectAccessPrincipalArns);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

    const noncurrentDays = props.noncurrentVersionExpiration ?? Duration.days(365);
    if (noncurrentDays.toDays({ integral: false }) < 1) {
      throw new Error('DataLake noncurrentVersionExpiration must be at least 1 day');
    }

    this.encryptionKey =
      props.encryptionKey ??
      new CustomerManagedKey(this, 'Key', {
        alias: props.keyAlias ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-lake`,
        description: `Encrypts the student-data lake ${this.node.path}`,
        // DATA-4: the account administers the key; only the named principals use it (below).
        rootAccess: 'administration',
      });

    // Access logs are audit evidence: current log objects never expire; overwritten versions do.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      ...secureBucketProps({ noncurrentVersionExpiration: noncurrentDays, removalPolicy }),
      bucketName: props.accessLogBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps({ noncurrentVersionExpiration: noncurrentDays, removalPolicy }),
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          enabled: true,
          noncurrentVersionExpiration: noncurrentDays,
          abortIncompleteMultipartUploadAfter: props.abortIncompleteMultipartUploadAfter ?? Duration.days(7),
        },
      ],
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix ?? 'lake/',
    });
    this.grantArn =
      props.bucketName !== undefined && !Token.isUnresolved(props.bucketName)
        ? Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: props.bucketName, arnFormat: ArnFormat.NO_RESOURCE_NAME })
        : this.bucket.bucketArn;
    this.restrictToNamedPrincipals(principals);
  }

  /**
   * DATA-4: an explicit Deny beats any Allow in any identity policy, so a role
   * that someone later gives `s3:*` on `*` still cannot read student records.
   * Object actions and key listings only: bucket administration (policy,
   * encryption, logging) stays with IAM, and the deploy role can still manage the bucket.
   * `ArnNotLike` on `aws:PrincipalArn` matches the role of an assumed-role
   * session ("AWS global condition context keys": aws:PrincipalArn). A service
   * principal has no aws:PrincipalArn, so the Deny applies to it too: no
   * AWS service writes into the lake on the baseline's behalf.
   */
  private restrictToNamedPrincipals(principals: readonly string[]): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyObjectAccessToAllButNamedPrincipals',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: LAKE_OBJECT_ACTIONS,
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [...principals] } },
      }),
    );
    if (!(this.encryptionKey instanceof kms.Key)) {
      Annotations.of(this).addWarningV2(
        'edu-baseline:dataLakeKeyPolicy',
        'The lake key is imported, so its key policy was not changed; it must allow only the named principals to use it, through S3 (DATA-4).',
      );
      return;
    }
    const region = Stack.of(this).region;
    // Through S3 only, and only for the named roles: the root principal with an
    // aws:PrincipalArn condition delegates to those roles' identity policies
    // (which DataLake.grant* write) without naming roles that may not exist
    // yet; KMS rejects a key policy whose Principal is a role that does not
    // exist ("Key policies in AWS KMS", Principal element).
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeObjectsThroughS3ForNamedPrincipals',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
          ArnLike: { 'aws:PrincipalArn': [...principals] },
        },
      }),
    );
  }

  /**
   * The key prefix of a tenant's data, `tenant_code=<code>/`.
   * @throws Error if the code is not one of {@link tenantCodes}
   */
  public tenantPrefix(tenantCode: string): string {
    this.assertTenant(tenantCode);
    return `tenant_code=${tenantCode}/`;
  }

  /** Read and write one tenant's prefix (per-tenant jobs). */
  public grantTenantReadWrite(grantee: iam.IGrantable, tenantCode: string): iam.Grant {
    return this.grantPrefixes(grantee, [this.tenantPrefix(tenantCode)], true);
  }

  /** Read one tenant's prefix. */
  public grantTenantRead(grantee: iam.IGrantable, tenantCode: string): iam.Grant {
    return this.grantPrefixes(grantee, [this.tenantPrefix(tenantCode)], false);
  }

  /** Read and write every tenant's prefix (the orchestration role). */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantPrefixes(grantee, this.allPrefixes(), true);
  }

  /** Read every tenant's prefix (the warehouse integration role). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantPrefixes(grantee, this.allPrefixes(), false);
  }

  private allPrefixes(): string[] {
    return this.tenantCodes.map((code) => this.tenantPrefix(code));
  }

  private assertTenant(tenantCode: string): void {
    if (!this.tenantCodes.includes(tenantCode)) {
      throw new Error(`Unknown tenant code "${tenantCode}" for ${this.node.path}; valid codes: ${this.tenantCodes.join(', ')}`);
    }
  }

  /**
   * Object actions on `<prefix>*`, ListBucket only for those prefixes, and the
   * key actions S3 performs on the caller's behalf. `s3:DeleteObjectVersion`
   * is never granted: a delete leaves a recoverable delete marker (DATA-5).
   *
   * Grants go to the grantee's identity policy only. The bucket and key
   * policies stay as the construct wrote them (the TLS denies, log delivery),
   * which also keeps stacks that hold roles from writing back into this one.
   * Principals of the deployment's own account are the only intended grantees.
   */
  private objectArn(keyPattern: string): string {
    return `${this.grantArn}/${keyPattern}`;
  }

  private grantPrefixes(grantee: iam.IGrantable, prefixes: readonly string[], write: boolean): iam.Grant {
    const objectActions = write
      ? ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']
      : ['s3:GetObject', 's3:GetObjectVersion'];
    const grants = [
      iam.Grant.addToPrincipal({
        grantee,
        actions: objectActions,
        resourceArns: prefixes.map((prefix) => this.objectArn(`${prefix}*`)),
      }),
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [this.grantArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      }),
      // Snowflake and most S3 clients look up the bucket region before anything
      // else; the action reveals no object data.
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetBucketLocation'],
        resourceArns: [this.grantArn],
      }),
      iam.Grant.addToPrincipal({
        grantee,
        actions: write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resourceArns: [this.encryptionKey.keyArn],
        // Only through S3: the grant must not become a general-purpose decrypt.
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    ];
    if (grants.some((grant) => !grant.success)) {
      throw new Error(
        `DataLake grants need a principal with an identity policy (a role, user or group of this account); ${grantee.grantPrincipal.toString()} cannot hold one`,
      );
    }
    return grants.reduce((all, grant) => all.combine(grant));
  }
}

/** Object reads and writes the lake's bucket policy reserves to the named principals. */
const LAKE_OBJECT_ACTIONS = [
  's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes',
  's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject', 's3:ReplicateObject',
  's3:AbortMultipartUpload', 's3:ListMultipartUploadParts',
  // Object keys carry tenant codes and file names: listing them is a read.
  's3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads',
];

function validatePrincipalArns(arns: readonly string[]): readonly string[] {
  if (arns.length === 0) {
    throw new Error('DataLake objectAccessPrincipalArns needs at least one role ARN: the bucket policy denies object access to everyone else');
  }
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/*-]+$/.test(arn)) {
      throw new Error(`DataLake objectAccessPrincipalArns entry "${arn}" must be an IAM role ARN such as arn:aws:iam::111122223333:role/name`);
    }
  }
  return [...arns];
}

function validateTenantCodes(codes: readonly string[]): readonly string[] {
  if (codes.length === 0) {
    throw new Error('DataLake needs at least one tenant code: every object lives under tenant_code=<code>/');
  }
  for (const code of codes) {
    if (!TENANT_CODE_PATTERN.test(code)) {
      throw new Error(`DataLake tenant code "${code}" must match ${TENANT_CODE_PATTERN.source}`);
    }
  }
  const duplicates = codes.filter((code, index) => codes.indexOf(code) !== index);
  if (duplicates.length > 0) {
    throw new Error(`DataLake tenant codes must be unique; repeated: ${[...new Set(duplicates)].join(', ')}`);
  }
  return [...codes];
}
