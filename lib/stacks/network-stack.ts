import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AllowList } from '../../constructs/allow-list';
import { ADMIN_NETWORK_KINDS, ALLOW_LIST_KINDS, AllowListKind } from '../../constructs/conventions';
import { CustomerManagedKey } from '../../constructs/customer-managed-key';
import { EgressFirewall } from '../../constructs/egress-firewall';
import { SanitizedLogGroup } from '../../constructs/sanitized-log-group';
import { allowListFor, availabilityZonesOf, configSourceOf, DEFAULT_SECURITY_GROUP_RULE_QUOTA, prefixListCapacityFor, VPC_SUBNET_MASKS } from '../config';
import { CONFIG_SOURCE_METADATA } from '../policy/source-locations';
import { RULE_QUOTA_METADATA } from '../cfn/quotas';
import { BaselineStackProps, retentionFor } from './common';

/** Properties of {@link NetworkStack}. */
export interface NetworkStackProps extends BaselineStackProps {
  /** The date allow-list expiry is judged against (YYYY-MM-DD); default today. */
  readonly today?: string;
}

/**
 * Which account condition an interface endpoint's policy carries (NET-4):
 * `principal` admits only this account's principals (aws:PrincipalAccount),
 * `principal+resource` also only this account's resources
 * (aws:ResourceAccount), for services whose every resource is the
 * deployment's own (its KMS keys, its log groups). SSM (AWS-owned documents
 * and public parameters), STS (GetCallerIdentity has no resource) and
 * CloudWatch metrics (PutMetricData has no resource) keep the principal
 * condition only, so they do not break. `none`: left at the default policy;
 * Session Manager's message channels carry only the agent's own sessions,
 * which the instance role already limits, and not every service supports
 * endpoint policies (AWS PrivateLink Guide, "AWS services that integrate with
 * AWS PrivateLink"), so they are not given one blind.
 */
type EndpointPolicy = 'principal' | 'principal+resource' | 'none';

/** Interface endpoints that keep AWS API traffic off the internet (NET-3), with their endpoint policy (NET-4). */
const INTERFACE_ENDPOINTS: ReadonlyArray<[string, ec2.InterfaceVpcEndpointAwsService, EndpointPolicy, string]> = [
  // [construct name, service, policy, IAM action prefix of the service]
  ['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM, 'principal', 'ssm'],
  ['SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, 'none', 'ssmmessages'],
  ['Ec2Messages', ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES, 'none', 'ec2messages'],
  ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS, 'principal+resource', 'kms'],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, 'principal+resource', 'logs'],
  ['Monitoring', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, 'principal', 'cloudwatch'],
  ['Sts', ec2.InterfaceVpcEndpointAwsService.STS, 'principal', 'sts'],
];

/**
 * The S3 bucket that Amazon Linux 2023's dnf reads its packages from in a
 * region (`dnf repolist -v` on AL2023 shows
 * al2023-repos-<region>-de612dc2.s3.dualstack.<region>.amazonaws.com; AWS
 * Application Migration Service's notes on AL2023 name
 * arn:aws:s3:::al2023-repos-<region>-de612dc2/* as the bucket a restrictive
 * S3 endpoint policy must allow). Exact, not `al2023-repos-<region>-*`: bucket
 * names are global, and a wildcard would admit any bucket someone else names so.
 */
export function al2023RepositoryObjects(region: string): string {
  return `arn:aws:s3:::al2023-repos-${region}-de612dc2/*`;
}

/**
 * Domains the Airflow host's boot needs beyond the VPC endpoints, always on
 * the egress firewall's list:
 * - `cdn.amazonlinux.com`: Amazon Linux 2023's dnf reads its mirror list from
 *   https://cdn.amazonlinux.com/al2023/core/mirrors/$releasever/$basearch/mirror.list
 *   (the `amazonlinux` repository's `mirrorlist`); without it `dnf install`
 *   of aws-cfn-bootstrap and amazon-efs-utils fails and the host never signals;
 * - `cloudformation.<region>.amazonaws.com`: cfn-signal (DEPLOY-5) calls
 *   CloudFormation's public endpoint; the VPC has no interface endpoint for it.
 */
export function hostBootDomains(region: string): string[] {
  return ['cdn.amazonlinux.com', `cloudformation.${region}.amazonaws.com`];
}

/** The subnet group of the egress firewall's endpoints. */
const FIREWALL_SUBNET_GROUP = 'firewall';

/** What the platform does with its own buckets through the S3 endpoint. */
const DEPLOYMENT_BUCKET_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:PutObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:GetBucketLocation',
];

/**
 * The private network (NET-1..4, LOG-4): workloads in private subnets with
 * no public addresses, AWS APIs through VPC endpoints, flow logs to a
 * sanitized log group, allow-lists as managed prefix lists, and the
 * orchestration security group whose egress is HTTPS only.
 */
export class NetworkStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly allowList: AllowList;
  /** The Airflow host's group: SSH in from the allow-list only, HTTPS out. */
  public readonly orchestrationSecurityGroup: ec2.SecurityGroup;
  public readonly flowLogs: SanitizedLogGroup;
  /** The optional egress firewall (NET-4), when the environment turns it on. */
  public readonly egressFirewall?: EgressFirewall;

  /**
   * IAM-3: only this account's flow logs may assume the delivery role, with the conditions the
   * VPC User Guide documents for it ("IAM role for publishing flow logs to CloudWatch Logs").
   * The flow log's ID is generated, so the ARN is this account's flow logs in this region.
   */
  private flowLogsRole(): iam.Role {
    return new iam.Role(this, 'FlowLogsRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account },
        ArnLike: { 'aws:SourceArn': `arn:${this.partition}:ec2:${this.region}:${this.account}:vpc-flow-log/*` },
      }),
    });
  }

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { environment, names } = props;

    const logsKey = new CustomerManagedKey(this, 'FlowLogsKey', {
      alias: `${names.prefix}-network-logs`,
      description: `VPC flow logs of ${names.prefix}`,
    });
    this.flowLogs = new SanitizedLogGroup(this, 'FlowLogs', {
      logGroupName: `${names.logGroupPrefix}/vpc-flow-logs`,
      retention: retentionFor(environment.logRetentionDays),
      encryptionKey: logsKey,
      // Network and audit records need their addresses (LOG-2); credentials and PII are still masked.
      maskIpAddresses: false,
      studentIdentifierPattern: props.config.deployment.studentIdPattern,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `${names.prefix}-vpc`,
      ipAddresses: ec2.IpAddresses.cidr(environment.vpcCidr),
      // Named zones: no context lookup, so synthesis is offline, runs once and never writes placeholder zones.
      availabilityZones: availabilityZonesOf(environment),
      natGateways: environment.natGateways,
      // Public subnets exist only for the NAT gateways; nothing there gets a public IP by default.
      subnetConfiguration: [
        { name: 'nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: VPC_SUBNET_MASKS.nat, mapPublicIpOnLaunch: false },
        { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: VPC_SUBNET_MASKS.workload },
        // Last, so turning the firewall on allocates new ranges and moves no existing subnet.
        ...(environment.egressFirewall
          ? [{ name: FIREWALL_SUBNET_GROUP, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: VPC_SUBNET_MASKS.firewall }]
          : []),
      ],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogs.logGroup, this.flowLogsRole()),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    if (environment.egressFirewall) {
      const alerts = new SanitizedLogGroup(this, 'EgressFirewallAlerts', {
        logGroupName: `${names.logGroupPrefix}/egress-firewall-alerts`,
        retention: retentionFor(environment.logRetentionDays),
        encryptionKey: logsKey,
        // Network records need their addresses (LOG-2), as the flow logs do.
        maskIpAddresses: false,
        studentIdentifierPattern: props.config.deployment.studentIdPattern,
        findingsLogGroup: this.flowLogs.findingsLogGroup,
      });
      this.egressFirewall = new EgressFirewall(this, 'EgressFirewall', {
        vpc: this.vpc,
        allowedDomains: [...new Set([...hostBootDomains(environment.region), ...environment.egressFirewall.allowedDomains])],
        alertLogGroup: alerts.logGroup,
        firewallSubnetGroupName: FIREWALL_SUBNET_GROUP,
        namePrefix: names.prefix,
      });
    }

    this.manageDefaultSecurityGroupRestrictorLogs(names.defaultSgRestrictorLogGroup, retentionFor(environment.logRetentionDays), logsKey);

    // NET-4: by default a gateway endpoint "allows access by any user or service within the VPC, using
    // credentials from any AWS account, to any Amazon S3 resource" (Amazon VPC User Guide, "Endpoints for
    // Amazon S3"): any bucket, any account, an open exfiltration path. The policy admits this deployment's
    // buckets (and only in this account) and the OS package repository, nothing else. It governs
    // same-region S3 only; other traffic leaves through the NAT gateway (docs/deploying.md, egress).
    const s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const buckets = [names.lakeBucket, names.lakeAccessLogBucket, names.trailBucket];
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeploymentBuckets',
        principals: [new iam.AnyPrincipal()],
        actions: DEPLOYMENT_BUCKET_ACTIONS,
        resources: buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
        conditions: { StringEquals: { 'aws:ResourceAccount': environment.account, 'aws:PrincipalAccount': environment.account } },
      }),
    );
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OsPackageRepositories',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [al2023RepositoryObjects(environment.region)],
      }),
    );
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    // The literal range, not the VPC's CidrBlock attribute, so every rule set can read it.
    endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(environment.vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [name, service, policy, actionPrefix] of INTERFACE_ENDPOINTS) {
      const endpoint = this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        privateDnsEnabled: true,
        // The shared group below admits HTTPS from the VPC range, written literally.
        open: false,
        securityGroups: [endpointSecurityGroup],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
      if (policy === 'none') continue;
      // NET-4: an endpoint policy "controls access from the endpoint to the specified service" and by default
      // allows full access (AWS PrivateLink Guide, "Control access to VPC endpoints using endpoint policies");
      // credentials of another account cannot use this VPC's endpoints to reach that account's resources.
      const accounts: Record<string, string> = { 'aws:PrincipalAccount': environment.account };
      if (policy === 'principal+resource') accounts['aws:ResourceAccount'] = environment.account;
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ThisAccountOnly',
          principals: [new iam.AnyPrincipal()],
          actions: [`${actionPrefix}:*`],
          resources: ['*'],
          conditions: { StringEquals: accounts },
        }),
      );
    }

    this.allowList = new AllowList(this, 'AllowList', {
      entries: allowListFor(props.config, environment),
      namePrefix: names.prefix,
      today: props.today,
      // DEPLOY-4: fixed sizes from the config, never the entry count (the validator checks headroom and the rule quota).
      capacity: Object.fromEntries(ALLOW_LIST_KINDS.map((kind) => [kind, prefixListCapacityFor(props.config, kind)])) as Record<AllowListKind, number>,
    });
    // A finding about a prefix list points at the config's first entry of its kind: the line a person edits.
    for (const list of this.allowList.node.findAll().filter((c): c is ec2.CfnPrefixList => c instanceof ec2.CfnPrefixList)) {
      const index = props.config.allowList.findIndex(
        (e) => list.node.id.startsWith(`${e.kind}-`) && (!e.environments || e.environments.includes(environment.name)),
      );
      const source = index === -1 ? undefined : configSourceOf(props.config, `allowList[${index}]`);
      if (source) list.node.addMetadata(CONFIG_SOURCE_METADATA, source);
    }

    this.orchestrationSecurityGroup = new ec2.SecurityGroup(this, 'OrchestrationSecurityGroup', {
      vpc: this.vpc,
      description: 'Airflow host: SSH from the administrator allow-lists (vpn, admin); HTTPS out to Ed-Fi APIs, the warehouse and AWS endpoints',
      allowAllOutbound: false,
    });
    // NET-4: the Ed-Fi APIs and Snowflake sit behind addresses we do not control, so egress
    // is limited by port (HTTPS only) rather than by address.
    this.orchestrationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Ed-Fi APIs, Snowflake and AWS endpoints');
    // NET-1: SSH only from administrator networks; agency, BI, contractor and orchestration
    // entries serve the warehouse network policy and never reach the host.
    this.allowList.allowFrom(this.orchestrationSecurityGroup, ec2.Port.tcp(22), ADMIN_NETWORK_KINDS, 'SSH from administrator networks');
    const quota = props.config.deployment.securityGroupRuleQuota;
    if (quota !== DEFAULT_SECURITY_GROUP_RULE_QUOTA) {
      // DEPLOY-4: the raised quota the config declares, read by the rule-quota rule.
      (this.orchestrationSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup).addMetadata(RULE_QUOTA_METADATA, quota);
    }
  }

  /**
   * NET-4 / LOG-1: `restrictDefaultSecurityGroup` strips every rule from the
   * VPC's default security group with a CDK custom-resource Lambda, which by
   * default writes to an auto-created `/aws/lambda/<function name>` group (no
   * CMK, no retention, no masking). The group cannot be created ahead under
   * that name without a circular reference, so the function is pointed at a
   * sanitized group of the baseline instead: AWS::Lambda::Function
   * LoggingConfig.LogGroup, "By default, Lambda functions send logs to a
   * default log group named /aws/lambda/<function name>. To use a different
   * log group, enter an existing log group" (CloudFormation Template
   * Reference, AWS::Lambda::Function LoggingConfig; the name must not start
   * with aws/, Lambda Developer Guide, "Configuring CloudWatch log groups").
   * The function depends on the group, so the group exists before the
   * provider first runs; the role's AWSLambdaBasicExecutionRole already
   * allows writing to it.
   */
  private manageDefaultSecurityGroupRestrictorLogs(logGroupName: string, retention: ReturnType<typeof retentionFor>, key: CustomerManagedKey): void {
    const handlers = this.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function' && c.node.path.includes('Custom::VpcRestrictDefaultSG'));
    if (handlers.length === 0) return;
    const logs = new SanitizedLogGroup(this, 'DefaultSecurityGroupRestrictorLogs', {
      logGroupName,
      retention,
      encryptionKey: key,
      findingsLogGroup: this.flowLogs.findingsLogGroup,
    });
    for (const handler of handlers) {
      handler.addPropertyOverride('LoggingConfig.LogGroup', logs.logGroup.logGroupName);
      handler.node.addDependency(logs.logGroup);
    }
  }
}
