import { Names, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';
import { privateSubnets } from './private-subnets';

/** NFS, the only port a mount target listens on. */
const NFS_PORT = 2049;

/** Properties of a {@link TempFileSystem}. */
export interface TempFileSystemProps {
  /** VPC that holds the mount targets. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the mount targets. Public subnets are refused (TEMP-2, NET-3).
   * @default { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the compute that mounts the file system (the
   * orchestration host). More can be added with `allowClientsFrom`.
   * @default none: nothing can mount until a client group is allowed
   */
  readonly clients?: readonly ec2.ISecurityGroup[];
  /**
   * Key that encrypts the file system (TEMP-1).
   * @default a new {@link CustomerManagedKey}
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Alias of the key created when `encryptionKey` is not given.
   * @default `<unique construct name>-temp-fs`
   */
  readonly keyAlias?: string;
  /**
   * After how long without access a file leaves Standard storage (TEMP-3).
   * Files never move back on access (`outOfInfrequentAccessPolicy` unset): a
   * file read again is about to be moved to the lake and deleted anyway.
   * @default efs.LifecyclePolicy.AFTER_7_DAYS
   */
  readonly transitionToIA?: efs.LifecyclePolicy;
  /**
   * What happens to the file system (and the key the construct creates) when it
   * leaves the stack. KEEP-1 requires RETAIN in production.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * File system name (the `Name` tag).
   * @default the construct path
   */
  readonly fileSystemName?: string;
  /**
   * Whether AWS Backup copies the file system. Off by default: a backup would
   * keep student files the TEMP-3 contract says are deleted once in the lake.
   * @default false
   */
  readonly enableAutomaticBackups?: boolean;
  /**
   * The POSIX identity every request through the access point runs as, whatever user the
   * client is (TEMP-2): the workload's user, so files are writable without root (root is
   * squashed: no principal is granted ClientRootAccess).
   * @default { uid: 50000, gid: 50000 } (the uid of Airflow's official image)
   */
  readonly posixUser?: efs.PosixUser;
  /**
   * Directory the access point exposes as `/`. EFS creates it on the first mount, owned by
   * `posixUser` with `rootDirectoryPermissions`.
   * @default '/temp'
   */
  readonly rootDirectoryPath?: string;
  /**
   * Mode of the access point's root directory when EFS creates it.
   * @default '0750' (the workload user writes, its group reads, nobody else)
   */
  readonly rootDirectoryPermissions?: string;
}

/** The POSIX identity of the access point when none is given: Airflow's official image runs as uid 50000. */
export const DEFAULT_TEMP_POSIX_USER: efs.PosixUser = { uid: '50000', gid: '50000' };

/**
 * EFS for temporary files of the orchestration host (TEMP-1..3, KEEP-1).
 *
 * - TEMP-1: encrypted at rest with a customer-managed key.
 * - TEMP-2: a file-system policy denies every request that does not use TLS
 *   and every request that does not come through an access point; it allows
 *   nothing, to anyone. With a policy in place EFS no longer applies its open
 *   default, so NFS clients that do not authenticate with IAM are refused, and
 *   IAM clients need an identity-policy grant (`grantReadWriteThroughAccessPoint`),
 *   scoped to the access point, and must mount with `-o tls,iam,accesspoint=<id>`.
 *   The access point runs every request as the workload's POSIX user and
 *   exposes a directory EFS creates owned by that user, so the drive is
 *   writable and cleanable without root, while root stays squashed (no
 *   ClientRootAccess anywhere). The mount targets sit in private subnets
 *   behind a security group that admits only TCP 2049 from the client groups
 *   and sends nothing out.
 * - TEMP-3: idle files move to Infrequent Access. The contract with the
 *   orchestration host: files live here only until they are written to the
 *   lake, then the task deletes them. Alerts and logs name files, never their
 *   contents.
 *
 * About aws-cdk-lib's `allowAnonymousAccess`: when it is false (the default
 * once any grant is made or the `@aws-cdk/aws-efs:denyAnonymousAccess` flag is
 * set), CDK appends an Allow to principal `*` of ClientWrite and
 * ClientRootAccess, conditioned only on the mount target, which would hand
 * root to any IAM principal that can mount. This construct sets it to true,
 * which only stops CDK from adding that statement: the policy below still
 * grants nothing to anonymous clients, so they cannot mount.
 */
export class TempFileSystem extends Construct {
  /** The file system. */
  public readonly fileSystem: efs.FileSystem;
  /** The mount targets' security group: ingress TCP 2049 from client groups only, no egress. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The key that encrypts the file system. */
  public readonly encryptionKey: kms.IKey;
  /** The only way in: the workload's POSIX identity and its own root directory (TEMP-2). */
  public readonly accessPoint: efs.AccessPoint;

  constructor(scope: Construct, id: string, props: TempFileSystemProps) {
    super(scope, id);

    const vpcSubnets = privateSubnets(`TempFileSystem ${this.node.path} mount targets`, props.vpc, props.vpcSubnets, 'TEMP-2, NET-3');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.encryptionKey =
      props.encryptionKey ??
      new CustomerManagedKey(this, 'Key', {
        alias: props.keyAlias ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-temp-fs`,
        description: `Encrypts the temporary file system ${this.node.path}`,
        removalPolicy,
      });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'EFS mount targets: NFS from orchestration compute only',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });

    this.fileSystem = new efs.FileSystem(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets,
      securityGroup: this.securityGroup,
      encrypted: true,
      kmsKey: this.encryptionKey,
      fileSystemName: props.fileSystemName,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      lifecyclePolicy: props.transitionToIA ?? efs.LifecyclePolicy.AFTER_7_DAYS,
      removalPolicy,
      enableAutomaticBackups: props.enableAutomaticBackups ?? false,
      allowAnonymousAccess: true,
      fileSystemPolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'DenyWithoutTls',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['*'],
            conditions: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          // Without an access point a client would act as its own (squashed) uid on the file
          // system's root directory. elasticfilesystem:AccessPointArn is absent from requests
          // made without one ("Using access points in IAM policies", Amazon EFS User Guide,
          // https://docs.aws.amazon.com/efs/latest/ug/access-points-iam-policy.html). The
          // policy cannot name this access point's ARN: the access point depends on the file
          // system, so the grant does (grantReadWriteThroughAccessPoint).
          new iam.PolicyStatement({
            sid: 'DenyWithoutAccessPoint',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
            conditions: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
          }),
        ],
      }),
    });

    // EFS creates the root directory with CreationInfo on the first mount; without it a mount
    // through an access point whose path does not exist fails ("AWS::EFS::AccessPoint
    // CreationInfo", AWS CloudFormation Template Reference).
    const posixUser = props.posixUser ?? DEFAULT_TEMP_POSIX_USER;
    this.accessPoint = this.fileSystem.addAccessPoint('AccessPoint', {
      path: props.rootDirectoryPath ?? '/temp',
      posixUser,
      createAcl: { ownerUid: posixUser.uid, ownerGid: posixUser.gid, permissions: props.rootDirectoryPermissions ?? '0750' },
    });

    for (const client of props.clients ?? []) {
      this.allowClientsFrom(client);
    }
  }

  /**
   * Admits NFS (TCP 2049) from a client security group. When that group
   * restricts egress, the matching egress rule is added to it as well.
   */
  public allowClientsFrom(securityGroup: ec2.ISecurityGroup): void {
    this.fileSystem.connections.allowFrom(securityGroup, ec2.Port.tcp(NFS_PORT), 'NFS: orchestration compute to temporary file system');
  }

  /**
   * Lets an IAM principal mount and write through the access point only (not root access,
   * not the file system's root directory). The client mounts with
   * `-o tls,iam,accesspoint=<accessPoint.accessPointId>`.
   */
  public grantReadWriteThroughAccessPoint(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      resourceArns: [this.fileSystem.fileSystemArn],
      conditions: {
        Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
        StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPoint.accessPointArn },
      },
    });
  }
}
