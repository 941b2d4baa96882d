import { createHash } from 'node:crypto';
import { Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { AccessLevel, BaselineConfig, EnvironmentConfig, environmentNames, EnvironmentNames, PeopleGroup } from '../config';
import { TAG } from './common';
import { BASELINE_ALARMS, PLATFORM_DASHBOARD } from './observability-stack';

/*
 * DEPLOY-3: why people's access lives in a stage of its own.
 *
 * Permission sets and account assignments can be managed only from the organization's
 * management account or the one member account registered as IAM Identity Center's
 * delegated administrator ("Delegated administration", AWS IAM Identity Center User Guide,
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html; "Register a
 * member account", .../delegated-admin-how-to-register.html). A workload account's stack that
 * declares AWS::SSO::* fails to deploy there, and moving the workload stacks to the identity
 * account cannot work either (they hold the workload's roles and same-account references). So
 * the Identity Center resources of every environment deploy in one stack to the identity
 * account named in the config, and that stack holds nothing else and imports nothing: every
 * workload resource a policy names is written as an ARN built from the config's names
 * (bucket names, log-group prefix, alarm and dashboard names, the KMS alias), which is also
 * what an auditor can read without resolving a cross-account reference (CloudFormation
 * exports do not cross accounts).
 */

/** Properties of {@link IdentityStage}. */
export interface IdentityStageProps extends StageProps {
  readonly config: BaselineConfig;
}

/**
 * The identity stage (named `identity` by the app: `cdk deploy 'identity/*'`): one stack in the identity account and the
 * region where IAM Identity Center is enabled.
 */
export class IdentityStage extends Stage {
  public readonly identity: IdentityStack;

  constructor(scope: Construct, id: string, props: IdentityStageProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { account: config.identity.account, region: config.identity.region } });
    this.identity = new IdentityStack(this, 'Identity', {
      config,
      stackName: `${config.deployment.name}-identity`,
      // The permission sets are how people reach production; deleting the stack would cut them off.
      terminationProtection: true,
      description: `IAM Identity Center permission sets and assignments of ${config.deployment.name} (DEPLOY-3, IAM-2, IAM-4)`,
    });
  }
}

/** Properties of {@link IdentityStack}. */
export interface IdentityStackProps extends StackProps {
  readonly config: BaselineConfig;
}

/** What one permission set gives, per environment and group. */
export interface PermissionSetRecord {
  readonly environment: EnvironmentConfig;
  readonly group: PeopleGroup;
  readonly level: Exclude<AccessLevel, 'none'>;
  readonly permissionSet: sso.CfnPermissionSet;
  readonly assignment: sso.CfnAssignment;
}

/**
 * Identity Center resources only (DEPLOY-3): for each environment and each people group with
 * access there, a permission set holding the baseline's own policy for the group's level and
 * one assignment of the group to the environment's account (TargetId = account ID). IAM-4:
 * production permission sets carry no AWS-managed policy at all; `view` and `read` are the
 * inline policies of {@link viewStatements} and {@link readStatements}.
 */
export class IdentityStack extends Stack {
  public readonly permissionSets: PermissionSetRecord[] = [];

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config } = props;
    for (const environment of config.environments) {
      const names = environmentNames(config, environment);
      for (const group of config.people) {
        const level = group.access[environment.name] ?? 'none';
        if (level === 'none') continue;
        this.permissionSets.push(this.addPermissionSet(config, environment, names, group, level));
      }
    }
  }

  private addPermissionSet(
    config: BaselineConfig,
    environment: EnvironmentConfig,
    names: EnvironmentNames,
    group: PeopleGroup,
    level: Exclude<AccessLevel, 'none'>,
  ): PermissionSetRecord {
    const id = `${environment.name}-${group.name}`;
    const policy = permissionSetPolicy(this.partition, environment, names, config, level);
    const permissionSet = new sso.CfnPermissionSet(this, `PermissionSet-${id}`, {
      instanceArn: config.identity.instanceArn,
      name: permissionSetName(`${names.prefix}-${group.name}`),
      description: `${group.name}: ${level} access to ${environment.name} (${environment.account})`,
      sessionDuration: level === 'admin' ? 'PT1H' : 'PT4H',
      // Development administrators only: validation refuses write levels in production (IAM-4).
      managedPolicies: level === 'admin' ? [`arn:${this.partition}:iam::aws:policy/AdministratorAccess`] : undefined,
      inlinePolicy: policy,
      // The policy rules read these tags to know which permission sets are production (IAM-4);
      // the stage has no environment of its own, so each set carries its environment's tags.
      tags: [
        { key: 'access_level', value: level },
        { key: TAG.environment, value: environment.name },
        { key: TAG.production, value: String(environment.production) },
      ],
    });
    const assignment = new sso.CfnAssignment(this, `Assignment-${id}`, {
      instanceArn: config.identity.instanceArn,
      permissionSetArn: permissionSet.attrPermissionSetArn,
      principalId: group.groupId,
      principalType: 'GROUP',
      targetId: environment.account,
      targetType: 'AWS_ACCOUNT',
    });
    return { environment, group, level, permissionSet, assignment };
  }
}

/** The inline policy of a permission set of the given level, or undefined for admin (managed policy only). */
export function permissionSetPolicy(
  partition: string,
  environment: EnvironmentConfig,
  names: EnvironmentNames,
  config: BaselineConfig,
  level: Exclude<AccessLevel, 'none'>,
): iam.PolicyDocument | undefined {
  const arns = new WorkloadArns(partition, environment, names);
  switch (level) {
    case 'view':
      return new iam.PolicyDocument({ statements: viewStatements(arns) });
    case 'read':
      return new iam.PolicyDocument({ statements: [...viewStatements(arns), ...readStatements(arns)] });
    case 'developer':
      return new iam.PolicyDocument({ statements: [...viewStatements(arns), ...readStatements(arns), ...developerStatements(arns, config)] });
    case 'admin':
      return undefined;
  }
}

/** ARNs of an environment's resources, built from the config's names (never imported, DEPLOY-3). */
class WorkloadArns {
  constructor(
    private readonly partition: string,
    readonly environment: EnvironmentConfig,
    readonly names: EnvironmentNames,
  ) {}

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; region '' for global resources. */
  arn(service: string, resource: string, region: string = this.environment.region, account: string = this.environment.account): string {
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  bucket(name: string): string {
    return `arn:${this.partition}:s3:::${name}`;
  }
}

/**
 * `view` (IAM-4, LOG-5): the environment's dashboards, alarms and metrics and the status of its
 * stacks. No log events, no data, no configuration.
 */
function viewStatements(a: WorkloadArns): iam.PolicyStatement[] {
  const prefix = a.names.prefix;
  return [
    new iam.PolicyStatement({
      sid: 'ViewMetrics',
      // No resource type in IAM for these read actions (Service Authorization Reference,
      // "Actions defined by Amazon CloudWatch"): Resource must be *.
      actions: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ViewAlarms',
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      resources: Object.values(BASELINE_ALARMS).map((alarm) => a.arn('cloudwatch', `alarm:${prefix}-${alarm}`)),
    }),
    new iam.PolicyStatement({
      sid: 'ViewDashboards',
      actions: ['cloudwatch:GetDashboard'],
      resources: [a.arn('cloudwatch', `dashboard/${prefix}-${PLATFORM_DASHBOARD}`, '')],
    }),
    new iam.PolicyStatement({
      sid: 'ViewStackStatus',
      actions: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:ListStackResources'],
      resources: [a.arn('cloudformation', `stack/${prefix}-*/*`)],
    }),
  ];
}

/**
 * `read` adds (IAM-4): the platform's log events, which the log groups' data-protection policy
 * masks for anyone without `logs:Unmask` (never granted here), and the configuration of the
 * environment's resources: network (EC2 describe), bucket, role, trail and topic settings, key
 * aliases and parameter metadata, never their contents. No s3:GetObject/ListBucket, no
 * ssm:GetParameter*, no kms:Decrypt. Key and file-system settings are left out: their IDs exist
 * only once the data stack does, and `key/*` or `file-system/*` would name every key or file
 * system of the account (IAM-1).
 */
function readStatements(a: WorkloadArns): iam.PolicyStatement[] {
  const { names } = a;
  const logGroups = a.arn('logs', `log-group:${names.logGroupPrefix}/*`);
  return [
    new iam.PolicyStatement({
      sid: 'ReadMaskedLogEvents',
      actions: ['logs:DescribeLogStreams', 'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:GetDataProtectionPolicy'],
      resources: [logGroups],
    }),
    new iam.PolicyStatement({
      sid: 'ListConfiguration',
      // Resource-less describe/list actions (Service Authorization Reference): Resource must be *.
      actions: ['logs:DescribeLogGroups', 'ec2:Describe*', 'kms:ListAliases', 'ssm:DescribeParameters'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadBucketConfiguration',
      // Bucket-level configuration only: these actions apply to the bucket resource type, never to objects.
      actions: [
        's3:GetBucketPolicy',
        's3:GetBucketPolicyStatus',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
        's3:GetBucketLogging',
        's3:GetBucketOwnershipControls',
        's3:GetBucketTagging',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
      ],
      resources: [names.lakeBucket, names.lakeAccessLogBucket, names.trailBucket].map((bucket) => a.bucket(bucket)),
    }),
    new iam.PolicyStatement({
      sid: 'ReadRoleConfiguration',
      actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies'],
      resources: [a.arn('iam', `role/${names.prefix}-*`, '')],
    }),
    new iam.PolicyStatement({
      sid: 'ReadTrailAndTopicConfiguration',
      actions: ['cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'sns:GetTopicAttributes'],
      resources: [a.arn('cloudtrail', `trail/${names.prefix}-trail`), a.arn('sns', `${names.prefix}-*`)],
    }),
  ];
}

/**
 * `developer` (development only, IAM-4): read and write every tenant's prefix of the lake, the
 * same shape as DataLake.grantReadWrite, written with ARNs built from the config. The lake key's
 * ID is not known before the data stack exists, so its grant names any key of the account and
 * admits only the one carrying the lake's alias (`kms:ResourceAliases`, "AWS KMS condition
 * keys", AWS KMS Developer Guide) and only through S3 (`kms:ViaService`).
 */
function developerStatements(a: WorkloadArns, config: BaselineConfig): iam.PolicyStatement[] {
  const { names, environment } = a;
  const prefixes = config.tenants.map((t) => `tenant_code=${t.code}/`);
  return [
    new iam.PolicyStatement({
      sid: 'LakeObjectsPerTenant',
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: prefixes.map((p) => `${a.bucket(names.lakeBucket)}/${p}*`),
    }),
    new iam.PolicyStatement({
      sid: 'LakeListPerTenant',
      actions: ['s3:ListBucket'],
      resources: [a.bucket(names.lakeBucket)],
      conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
    }),
    new iam.PolicyStatement({
      sid: 'LakeKeyThroughS3',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [a.arn('kms', 'key/*')],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${environment.region}.amazonaws.com` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.dataKeyAlias },
      },
    }),
  ];
}

/** Permission-set names are at most 32 characters; long ones keep a hash suffix to stay unique. */
export function permissionSetName(name: string): string {
  if (name.length <= 32) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, 25)}-${hash}`;
}
