import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ALL_RULE_SETS, acknowledgeableRuleName } from './gate';
import { BaselineConfig, EnvironmentConfig, environmentNames, parameterRoot } from '../config';
import { ControlId } from './rule';

/**
 * One accepted exception to a rule of the gate. The evidence report lists
 * every entry with its reason.
 */
export interface Acknowledgment {
  /**
   * The namespaced finding ID, `<RuleSet>::<RuleId>[<finding>]`, e.g.
   * `AwsSolutions::AwsSolutions-IAM5[Resource:*]` or
   * `EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]`.
   * A bare ID (no namespace) is refused: cdk-nag would hide the finding
   * without any record in the validation report.
   */
  readonly id: string;
  /**
   * Construct path below the stage naming one resource
   * (`Data/Lake/AccessLogBucket/Resource`, or the L2 `Data/Lake/AccessLogBucket`
   * whose default child is that resource), or a subtree below a stack ending
   * in `/*` (`Data/Lake/*`). Never a stack or the stage itself.
   */
  readonly scope: string;
  /** Why the exception is acceptable; shown in the validation report and the evidence report. */
  readonly reason: string;
  /** The control the acknowledged rule enforces, for the evidence report. */
  readonly control?: ControlId;
  /**
   * Stage names (e.g. `Prod`) the entry applies to.
   * @default every stage the registry is applied to
   */
  readonly stages?: readonly string[];
}

const ACCESS_LOG_BUCKET_SSE_S3 =
  'Server access log delivery requires SSE-S3 on the target bucket. It holds request logs, not student records, and is TLS-only, ' +
  'private, versioned and retained; controls.md allows this one exception to DATA-1.';
const GRANT_POLICY =
  'An AWS::IAM::Policy written by grant methods and attached to exactly one role; a customer-managed policy would carry the same ' +
  'statements and add no control.';
const PREFIX_LISTS_UNREADABLE =
  'Control Tower cannot read managed prefix lists (its own fix text says so): SSH comes only from the VPN and agency prefix lists built ' +
  'from the allow-list (NET-1, EC2-1), never from a CIDR.';

/** Exceptions every environment of the baseline has, each naming one resource or a small subtree. */
const STATIC_ACKNOWLEDGMENTS: readonly Acknowledgment[] = [
  { id: 'EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]', scope: 'Data/Lake/AccessLogBucket', reason: ACCESS_LOG_BUCKET_SSE_S3, control: 'DATA-1' },
  { id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS', scope: 'Data/Lake/AccessLogBucket', reason: ACCESS_LOG_BUCKET_SSE_S3, control: 'DATA-1' },
  { id: 'ControlTower::CT.S3.PR.10', scope: 'Data/Lake/AccessLogBucket', reason: ACCESS_LOG_BUCKET_SSE_S3, control: 'DATA-1' },
  {
    id: 'ControlTower::CT.S3.PR.2',
    scope: 'Data/Lake/AccessLogBucket',
    reason: 'This is the access-log target of the lake and trail buckets; logging it into itself would log its own log deliveries without end.',
    control: 'DATA-5',
  },
  ...['Data/Lake/Bucket', 'Data/Lake/AccessLogBucket', 'Data/TrailBucket'].map((scope) => ({
    id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
    scope,
    reason:
      'Single-region deployment: durability comes from S3, versioning and Retain. Cross-region replication would copy student data to a ' +
      'second region, which the district\'s data-sharing agreement has to approve first.',
    control: 'DATA-5' as const,
  })),
  {
    id: 'NIST.800.53.R5::NIST.800.53.R5-EFSInBackupPlan',
    scope: 'Data/TempFileSystem/Resource',
    reason: 'Holds only temporary files that are deleted once they reach the lake (TEMP-3); a backup would keep student data the design says must not persist.',
    control: 'TEMP-3',
  },
  ...['Network/FlowLogsRole/DefaultPolicy', 'Data/TrailLogsRole/DefaultPolicy', 'Access/OrchestrationRole/DefaultPolicy', 'Access/WarehouseIntegrationRole/DefaultPolicy', 'Access/MonitoringRole/DefaultPolicy'].map(
    (scope) => ({ id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', scope, reason: GRANT_POLICY, control: 'IAM-1' as const }),
  ),
  {
    id: 'NIST.800.53.R5::NIST.800.53.R5-EC2InstancesInVPC',
    scope: 'Orchestration/AirflowHost/Instance',
    reason:
      'False positive: the host is in a private subnet set in NetworkInterfaces[0].SubnetId (CDK writes it there when associatePublicIpAddress ' +
      'is explicit); the rule reads only the top-level SubnetId.',
    control: 'NET-3',
  },
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource:*]',
    scope: 'Access/MonitoringRole/DefaultPolicy',
    reason: 'cloudwatch:GetMetricData and cloudwatch:ListMetrics have no resource-level permissions in IAM; read-only metrics for view-only staff (LOG-5).',
    control: 'IAM-1',
  },
  {
    id: 'EduSecurityChecks::EduSecurity-IAM1-ResourcelessWildcard[PolicyDocument.Statement[0].Resource=*]',
    scope: 'Access/MonitoringRole/DefaultPolicy',
    reason: 'cloudwatch:GetMetricData and cloudwatch:ListMetrics have no resource-level permissions in IAM; read-only metrics for view-only staff (LOG-5).',
    control: 'IAM-1',
  },
  // Reported only when auditing cdk.out: loaded with cloudformation-include the provider becomes typed L1 resources that cdk-nag inspects.
  ...[
    'AwsSolutions::AwsSolutions-IAM4[Policy:arn:<AWS:Partition>:iam:aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
    'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
    'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
    'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
  ].map((id) => ({
    id,
    scope: 'Network/Custom::VpcRestrictDefaultSGCustomResourceProvider/*',
    reason:
      "CDK's custom resource that strips every rule from the VPC's default security group (NIST VPCDefaultSecurityGroupClosed). It runs " +
      'once per deployment, may only revoke rules of that one group, and handles no student data.',
    control: 'NET-4' as const,
  })),
  ...['ControlTower::CT.EC2.PR.3', 'ControlTower::CT.EC2.PR.4'].map((id) => ({ id, scope: 'Network/OrchestrationSecurityGroup/*', reason: PREFIX_LISTS_UNREADABLE, control: 'NET-1' as const })),
];

/**
 * The registry of accepted exceptions for one environment of the baseline:
 * the fixed entries above plus those whose finding IDs name configured values
 * (tenant prefixes, parameter paths, the warehouse account, admin groups).
 */
export function baselineAcknowledgments(config: BaselineConfig, environment: EnvironmentConfig): Acknowledgment[] {
  const names = environmentNames(config, environment);
  const entries: Acknowledgment[] = [...STATIC_ACKNOWLEDGMENTS];
  const zones = environment.availabilityZones?.length ?? 2;
  for (let i = 1; i <= zones; i++) {
    entries.push({
      id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      scope: `Network/Vpc/natSubnet${i}/DefaultRoute`,
      reason: 'Public subnets hold only the NAT gateways; no workload runs there and no subnet maps public IPs (NET-3).',
      control: 'NET-3',
    });
  }
  for (const tenant of config.tenants) {
    for (const role of ['OrchestrationRole', 'WarehouseIntegrationRole']) {
      entries.push({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource:arn:<AWS:Partition>:s3:${names.lakeBucket}/tenant_code=${tenant.code}/*]`,
        // The subtree: with many tenants CDK moves statements into OverflowPolicy<N> managed policies.
        scope: `Access/${role}/*`,
        reason: `Object wildcard confined to tenant ${tenant.code}'s prefix of the lake; lake paths are per tenant (DATA-4, TENANT-1).`,
        control: 'DATA-4',
      });
    }
  }
  entries.push({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource:arn:<AWS:Partition>:ssm:${environment.region}:${environment.account}:parameter${parameterRoot(config, environment)}/*]`,
    scope: 'Access/OrchestrationRole/*',
    reason: 'Airflow reads every secret of its own environment (each tenant\'s Ed-Fi credentials, the loader key, the Fernet key); the wildcard is confined to the environment root (SECRET-3).',
    control: 'SECRET-3',
  });
  entries.push({
    id: `EduSecurityChecks::EduSecurity-ENV1-ForeignAccountReference[AssumeRolePolicyDocument.Statement[0].Principal:account=${environment.warehouse.snowflakeUserArn.split(':')[4]}]`,
    scope: 'Access/WarehouseIntegrationRole',
    reason: 'The Snowflake account\'s IAM user from the storage integration, trusted only with its sts:ExternalId (IAM-3).',
    control: 'IAM-3',
  });
  if (!environment.production) {
    entries.push({
      id: 'AwsSolutions::AwsSolutions-EC29',
      scope: 'Orchestration/AirflowHost/Instance',
      reason: 'The development host is rebuilt freely; production hosts have termination protection (EC2-2).',
      control: 'EC2-2',
    });
  }
  return entries;
}

const RESOURCE_LESS_READS =
  'CloudWatch metric reads (GetMetricData, GetMetricStatistics, ListMetrics) and the describe/list calls of EC2, CloudWatch Logs ' +
  'groups, KMS aliases and SSM parameter metadata have no resource type in IAM, so Resource must be *; none returns data, log ' +
  'events, parameter values or key material (IAM-4).';

/**
 * The registry of accepted exceptions of the identity stage (DEPLOY-3): the development
 * administrators' AdministratorAccess and the resource-less read statements of every
 * permission set, each scoped to one permission set.
 */
export function identityAcknowledgments(config: BaselineConfig): Acknowledgment[] {
  const entries: Acknowledgment[] = [];
  for (const environment of config.environments) {
    for (const group of config.people) {
      const level = group.access[environment.name] ?? 'none';
      if (level === 'none') continue;
      const scope = `Identity/PermissionSet-${environment.name}-${group.name}`;
      if (level === 'admin') {
        entries.push({
          id: 'EduSecurityChecks::EduSecurity-IAM1-NoBroadManagedPolicies[ManagedPolicies[0]=AdministratorAccess]',
          scope,
          reason: `${group.name} administers the development account ${environment.name} through SSO sessions of one hour; config validation forbids admin in production (IAM-4).`,
          control: 'IAM-1',
        });
        continue;
      }
      if (level === 'developer') {
        entries.push({
          id: `EduSecurityChecks::EduSecurity-IAM1-LeastPrivilege[InlinePolicy.Statement[11].Resource=arn:\${AWS:Partition}:kms:${environment.region}:${environment.account}:key/*(every-kms-resource)]`,
          scope,
          reason:
            'The lake key\'s ID exists only once the data stack does and the identity stack may not import it (DEPLOY-3); the statement ' +
            'admits only the key carrying the lake\'s alias (kms:ResourceAliases) and only through S3 (kms:ViaService), in development only (IAM-4).',
          control: 'IAM-1',
        });
      }
      // Statements 0 (metrics) and, from read up, 5 (describe/list) are on Resource *.
      const wildcardStatements = level === 'view' ? [0] : [0, 5];
      for (const index of wildcardStatements) {
        entries.push({
          id: `EduSecurityChecks::EduSecurity-IAM1-ResourcelessWildcard[InlinePolicy.Statement[${index}].Resource=*]`,
          scope,
          reason: RESOURCE_LESS_READS,
          control: 'IAM-1',
        });
      }
    }
  }
  return entries;
}

/** An entry applied to a construct. */
export interface AppliedAcknowledgment {
  readonly entry: Acknowledgment;
  /** The ID as recorded (finding part normalised like the gate reports it). */
  readonly id: string;
  readonly constructPath: string;
}

/** Why an acknowledgment cannot be applied. */
export class AcknowledgmentError extends Error {
  constructor(entry: Acknowledgment, problem: string) {
    super(`Acknowledgment '${entry.id}' at '${entry.scope}': ${problem}`);
    this.name = 'AcknowledgmentError';
  }
}

/**
 * Applies the registry to a stage with `Validations.of(construct).acknowledge`.
 * Throws when an entry is malformed, names no construct (a stale
 * acknowledgment must not linger) or would cover a whole stack.
 */
export function applyAcknowledgments(stage: Stage, entries: readonly Acknowledgment[]): AppliedAcknowledgment[] {
  const applied: AppliedAcknowledgment[] = [];
  for (const entry of entries) {
    if (entry.stages && !entry.stages.includes(stage.stageName)) continue;
    const id = qualifiedId(entry);
    if (entry.reason.trim().length < 10) {
      throw new AcknowledgmentError(entry, 'give a reason (at least 10 characters) that an auditor can check.');
    }
    const target = resolveScope(stage, entry);
    Validations.of(target).acknowledge({ id, reason: entry.reason });
    applied.push({ entry, id, constructPath: target.node.path });
  }
  return applied;
}

/** Validates the namespace and normalises the finding part exactly as the gate does. */
function qualifiedId(entry: Acknowledgment): string {
  const sep = entry.id.indexOf('::');
  if (sep <= 0) {
    throw new AcknowledgmentError(entry, `the ID must be namespaced as '<RuleSet>::<RuleId>' with a rule set of ${ALL_RULE_SETS.join(', ')}; a bare ID would hide the finding without a record.`);
  }
  const namespace = entry.id.slice(0, sep);
  if (!(ALL_RULE_SETS as readonly string[]).includes(namespace)) {
    throw new AcknowledgmentError(entry, `unknown rule set '${namespace}'; expected one of ${ALL_RULE_SETS.join(', ')}.`);
  }
  const rule = entry.id.slice(sep + 2);
  if (rule.length === 0) throw new AcknowledgmentError(entry, 'the rule ID is empty.');
  return `${namespace}::${acknowledgeableRuleName(rule)}`;
}

function resolveScope(stage: Stage, entry: Acknowledgment): IConstruct {
  const subtree = entry.scope.endsWith('/*');
  const path = subtree ? entry.scope.slice(0, -2) : entry.scope;
  if (path === '' || path.startsWith('/') || path.includes('*')) {
    throw new AcknowledgmentError(entry, "the scope must be a construct path below the stage, optionally ending in '/*'; wildcards elsewhere are not allowed.");
  }
  const target = path.split('/').reduce<IConstruct | undefined>((c, id) => c?.node.tryFindChild(id), stage);
  if (!target) {
    throw new AcknowledgmentError(entry, `no construct '${path}' in stage '${stage.stageName}'; remove the stale entry or fix its path.`);
  }
  if (Stack.isStack(target) || Stage.isStage(target)) {
    throw new AcknowledgmentError(entry, 'acknowledging a rule for a whole stack is not allowed; name the resource or a subtree below the stack.');
  }
  if (!subtree && !isSingleResource(target)) {
    throw new AcknowledgmentError(entry, `'${path}' is not a single resource; end the scope with '/*' to acknowledge its whole subtree deliberately.`);
  }
  return target;
}

function isSingleResource(construct: IConstruct): boolean {
  const child = construct.node.defaultChild;
  return CfnResource.isCfnResource(construct) || (child !== undefined && CfnResource.isCfnResource(child));
}
