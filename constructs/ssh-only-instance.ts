import { Duration, Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AllowList } from './allow-list';
import { AllowListKind } from './conventions';
import { CustomerManagedKey } from './customer-managed-key';
import { privateSubnets } from './private-subnets';
import { sshdHardeningCommands } from './sshd-hardening';

/** Properties of an {@link SshOnlyInstance}. */
export interface SshOnlyInstanceProps {
  /** The VPC to launch into. */
  readonly vpc: ec2.IVpc;
  /**
   * Where to launch; public subnets are refused (NET-3).
   * @default - private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Instance type; its architecture picks the Amazon Linux 2023 image. */
  readonly instanceType: ec2.InstanceType;
  /** Name of an existing EC2 key pair; SSH accepts only its key (EC2-1). */
  readonly keyPairName: string;
  /**
   * Protects the instance from API termination (EC2-2 asks for it in production).
   * @default true
   */
  readonly terminationProtection?: boolean;
  /**
   * Key that encrypts the root volume (EC2-2).
   * @default - a new customer-managed key with alias `volumeKeyAlias`
   */
  readonly volumeKey?: kms.IKey;
  /**
   * Alias of the key created when `volumeKey` is not given, without `alias/`.
   * @default - derived from the construct path, suffixed `-ebs`
   */
  readonly volumeKeyAlias?: string;
  /**
   * Size of the root volume in GiB.
   * @default 30
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Role of the instance. Whatever the caller passes must not carry managed admin policies (IAM-1).
   * @default - a new role for EC2 with no policies; callers add what the workload needs through grants
   */
  readonly role?: iam.IRole;
  /**
   * Prefix-list peers admitted on SSH (22). Only `ec2.Peer.prefixList(...)` peers are accepted (NET-1, EC2-1).
   * @default - none; use `allowSshFrom` with an AllowList
   */
  readonly sshFrom?: readonly ec2.IPeer[];
  /**
   * Security group of the host. Pass one when another stack must reference it
   * before the host exists (e.g. a file system that admits the host); it must
   * have been created with `allowAllOutbound: false` (NET-4).
   * @default - a new group with no egress and no ingress
   */
  readonly securityGroup?: ec2.ISecurityGroup;
  /**
   * Name tag of the instance.
   * @default - the construct path
   */
  readonly instanceName?: string;
  /**
   * The image (DEPLOY-5). A change of image replaces the instance, so pin it: pass
   * `ec2.MachineImage.genericLinux({ [region]: 'ami-...' })` from configuration, or keep the
   * default, which looks the image up once and records it in cdk.context.json.
   * @default - the latest Amazon Linux 2023 image for the instance type's architecture,
   *   resolved at synth time and cached in context (`cachedInContext: true`), never at deploy time
   */
  readonly machineImage?: ec2.IMachineImage;
  /**
   * How long CloudFormation waits for the boot signal (DEPLOY-5). The instance is created
   * with a CreationPolicy and its user data signals the exit status of the whole script, so
   * the stack succeeds only when sshd hardening, its verification and every command callers
   * add (e.g. mounts) succeeded; a failure or no signal within the timeout fails the deploy.
   * @default Duration.minutes(15)
   */
  readonly signalTimeout?: Duration;
}

/** Port SSH listens on. */
export const SSH_PORT = 22;

/**
 * An Amazon Linux 2023 host that admits SSH with keys only (EC2-1, EC2-2, NET-3):
 * private subnet and no public IP, a required key pair, sshd hardened and
 * verified by user data, IMDSv2 with hop limit 1 (containers on the host
 * cannot reach instance credentials), root volume encrypted with a CMK,
 * detailed monitoring, termination protection, and a security group with no
 * egress and SSH only from prefix lists.
 *
 * The default role has no policies. AmazonSSMManagedInstanceCore is
 * deliberately not attached: it grants `ssm:UpdateInstanceInformation`,
 * `ssmmessages:*` and `ec2messages:*` on `Resource: *`, which IAM-1 would
 * have to acknowledge, and EC2-1 already defines the way in (SSH from the
 * allow-list or VPN). A deployment that wants Session Manager passes its own role.
 */
export class SshOnlyInstance extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** The underlying instance. */
  public readonly instance: ec2.Instance;
  /** The instance's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The instance role. */
  public readonly role: iam.IRole;
  /** Key of the root volume. */
  public readonly volumeKey: kms.IKey;
  /** Connections of the instance, for egress rules the workload needs (NET-4). */
  public readonly connections: ec2.Connections;
  /** The instance role as a grant target. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: SshOnlyInstanceProps) {
    super(scope, id);
    // Reach the host over the VPN; it never sits where the internet can.
    const vpcSubnets = privateSubnets(`SshOnlyInstance ${this.node.path}`, props.vpc, props.vpcSubnets, 'NET-3');
    if (!props.keyPairName.trim()) {
      throw new Error(`SshOnlyInstance ${this.node.path}: keyPairName is required (EC2-1); name an existing EC2 key pair`);
    }
    const rootVolumeSize = props.rootVolumeSizeGiB ?? 30;
    if (!Number.isInteger(rootVolumeSize) || rootVolumeSize < 8) {
      throw new Error(`SshOnlyInstance ${this.node.path}: rootVolumeSizeGiB must be a whole number of at least 8 (the Amazon Linux 2023 image size)`);
    }

    this.volumeKey =
      props.volumeKey ??
      new CustomerManagedKey(this, 'VolumeKey', {
        alias: props.volumeKeyAlias ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-ebs`,
        description: `Encrypts the EBS volumes of ${this.node.path} (EC2-2)`,
      });

    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        description: `Instance role of ${this.node.path}; grants are added by the stacks that own the resources`,
      });

    this.securityGroup =
      props.securityGroup ??
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'SSH-only host: SSH from allow-listed prefix lists; egress only as granted (NET-1, NET-4)',
        allowAllOutbound: false,
        allowAllIpv6Outbound: false,
      });

    const userData = ec2.UserData.forLinux();
    // DEPLOY-5: cfn-signal comes with aws-cfn-bootstrap, which Amazon Linux 2023 does not
    // preinstall. Installed first, so every later failure can still be signalled.
    userData.addCommands('dnf install -y aws-cfn-bootstrap');
    userData.addCommands(...sshdHardeningCommands());

    const arm = props.instanceType.architecture === ec2.InstanceArchitecture.ARM_64;
    // DEPLOY-5: an image resolved at deploy time (an SSM parameter) changes whenever AWS
    // publishes a new one, and CloudFormation then replaces the instance on an unrelated deploy.
    const machineImage =
      props.machineImage ??
      ec2.MachineImage.latestAmazonLinux2023({ cpuType: arm ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64, cachedInContext: true });
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets,
      instanceType: props.instanceType,
      machineImage,
      keyPair: ec2.KeyPair.fromKeyPairName(this, 'KeyPair', props.keyPairName),
      securityGroup: this.securityGroup,
      role: this.role,
      userData,
      associatePublicIpAddress: false,
      // Set on the instance itself (not through requireImdsv2's launch template)
      // so the template shows the control on the resource an auditor reads.
      httpEndpoint: true,
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: false,
      detailedMonitoring: true,
      disableApiTermination: props.terminationProtection ?? true,
      propagateTagsToVolumeOnCreation: true,
      blockDevices: [
        {
          // Root device of Amazon Linux 2023 images.
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(rootVolumeSize, {
            encrypted: true,
            kmsKey: this.volumeKey,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
      instanceName: props.instanceName,
      // DEPLOY-5: CreationPolicy.ResourceSignal. "CreationPolicy attribute", AWS CloudFormation
      // User Guide: the resource is CREATE_COMPLETE only after the signal, and a failure signal
      // or a timeout fails it and rolls the stack back.
      resourceSignalTimeout: props.signalTimeout ?? Duration.minutes(15),
    });
    // The EXIT trap signals the script's exit status; with `set -euo pipefail` (first line of the
    // hardening) any failed command, the sshd verification included, exits non-zero.
    userData.addSignalOnExitCommand(this.instance);

    this.connections = this.instance.connections;
    this.grantPrincipal = this.instance.grantPrincipal;

    for (const peer of props.sshFrom ?? []) {
      this.allowSshFromPeer(peer, 'SSH from an allow-listed prefix list (EC2-1)');
    }
  }

  /** The user data, for callers that inspect it. */
  public get userData(): ec2.UserData {
    return this.instance.userData;
  }

  /**
   * Admits SSH from the allow-list's networks of the given kinds (one rule
   * per prefix list). Returns their weight against the rule quota (the MaxEntries of each list).
   */
  public allowSshFrom(allowList: AllowList, kinds: readonly AllowListKind[]): number {
    return allowList.allowFrom(this.securityGroup, ec2.Port.tcp(SSH_PORT), kinds, `SSH (EC2-1) from ${kinds.join('/')}`);
  }

  /**
   * Admits SSH from one managed prefix list (`ec2.Peer.prefixList(id)`). Any
   * other peer, above all `Peer.anyIpv4()`/`anyIpv6()`, is refused (NET-1).
   */
  public allowSshFromPeer(peer: ec2.IPeer, description: string): void {
    const rule = peer.toIngressRuleConfig();
    if (rule.cidrIp === '0.0.0.0/0' || rule.cidrIpv6 === '::/0') {
      throw new Error(`SshOnlyInstance ${this.node.path}: SSH from ${peer.uniqueId} opens the host to the internet (NET-1, EC2-1); admit an allow-list prefix list instead (AllowList.prefixLists or allowSshFrom)`);
    }
    if (rule.sourcePrefixListId === undefined) {
      throw new Error(`SshOnlyInstance ${this.node.path}: SSH is admitted only from managed prefix lists (NET-1); got ${peer.uniqueId}, use ec2.Peer.prefixList(id) from an AllowList`);
    }
    this.securityGroup.addIngressRule(peer, ec2.Port.tcp(SSH_PORT), description);
  }

  /**
   * Appends commands to the user data, after the sshd hardening, e.g. an EFS
   * mount with TLS: `mount -t efs -o tls,iam <fsid> /mnt/tmp`. Never put a
   * secret here: user data is readable by anyone who can describe the instance
   * (SECRET-2); read secrets from Parameter Store at run time instead.
   */
  public addUserDataCommands(...commands: string[]): void {
    this.instance.userData.addCommands(...commands);
  }
}
