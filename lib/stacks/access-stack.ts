import { createHash } from 'node:crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct, DependencyGroup } from 'constructs';
import { DataLake } from '../../constructs/data-lake';
import { SecretParameters } from '../../constructs/secret-parameters';
import { TempFileSystem } from '../../constructs/temp-file-system';
import { AccessLevel, PeopleGroup } from '../config';
import { BaselineStackProps } from './common';
import { BASELINE_ALARMS, PLATFORM_DASHBOARD } from './observability-stack';

/** Properties of {@link AccessStack}. */
export interface AccessStackProps extends BaselineStackProps {
  readonly lake: DataLake;
  readonly tempFileSystem: TempFileSystem;
  readonly secrets: SecretParameters;
  /** Log groups the orchestration host writes task logs to. */
  readonly taskLogGroups: readonly logs.ILogGroup[];
}

/** AWS-managed job-function policies for people; never admin or power user in production (IAM-4). */
const MANAGED_POLICY_FOR: Record<Exclude<AccessLevel, 'none'>, string> = {
  view: 'job-function/ViewOnlyAccess',
  read: 'ReadOnlyAccess',
  developer: 'ReadOnlyAccess',
  admin: 'AdministratorAccess',
};

/**
 * Who may do what (IAM-1..5, DATA-4, SECRET-3): the orchestration host's
 * role, the warehouse integration role, a read-only monitoring role, and
 * IAM Identity Center permission sets for people. No IAM users anywhere
 * (IAM-2): people sign in through SSO.
 */
export class AccessStack extends Stack {
  public readonly orchestrationRole: iam.Role;
  public readonly warehouseRole: iam.Role;
  public readonly monitoringRole: iam.Role;
  public readonly permissionSets: sso.CfnPermissionSet[] = [];

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const { config, environment, names } = props;

    this.orchestrationRole = new iam.Role(this, 'OrchestrationRole', {
      roleName: names.orchestrationRole,
      description: 'Airflow host: reads and writes the lake per tenant, mounts the temporary file system, reads its own secrets.',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      maxSessionDuration: Duration.hours(1),
    });
    props.lake.grantReadWrite(this.orchestrationRole);
    props.tempFileSystem.grantMount(this.orchestrationRole);
    props.secrets.grantRead(this.orchestrationRole);
    for (const group of props.taskLogGroups) group.grantWrite(this.orchestrationRole);

    // IAM-3: only the configured Snowflake IAM user, and only with the external ID
    // Snowflake shows for this integration.
    this.warehouseRole = new iam.Role(this, 'WarehouseIntegrationRole', {
      roleName: names.warehouseRole,
      description: 'Snowflake storage integration: read-only access to the lake (DATA-4).',
      assumedBy: new iam.ArnPrincipal(environment.warehouse.snowflakeUserArn),
      externalIds: [environment.warehouse.externalId],
      maxSessionDuration: Duration.hours(1),
    });
    props.lake.grantRead(this.warehouseRole);

    this.monitoringRole = this.createMonitoringRole(names.prefix);

    for (const group of config.people) {
      const level = group.access[environment.name] ?? 'none';
      if (level === 'none') continue;
      this.addPermissionSet(group, level, props);
    }
  }

  /**
   * LOG-5: view-only staff watch dashboards and alarms. Only IAM Identity
   * Center sessions of this account may assume the role.
   */
  private createMonitoringRole(prefix: string): iam.Role {
    const role = new iam.Role(this, 'MonitoringRole', {
      roleName: `${prefix}-monitoring`,
      description: 'Read-only view of dashboards, alarms and metrics; no access to lake data or secrets.',
      assumedBy: new iam.AccountPrincipal(this.account).withConditions({
        ArnLike: { 'aws:PrincipalArn': `arn:${this.partition}:iam::${this.account}:role/aws-reserved/sso.amazonaws.com/*` },
      }),
      maxSessionDuration: Duration.hours(4),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ViewMetrics',
        // These read actions have no resource-level permissions in IAM, so Resource must be *.
        actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ViewBaselineAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: BASELINE_ALARMS.map((alarm) => `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:${prefix}-${alarm}`),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBaselineDashboards',
        actions: ['cloudwatch:GetDashboard'],
        resources: [`arn:${this.partition}:cloudwatch::${this.account}:dashboard/${prefix}-${PLATFORM_DASHBOARD}`],
      }),
    );
    return role;
  }

  private addPermissionSet(group: PeopleGroup, level: Exclude<AccessLevel, 'none'>, props: AccessStackProps): void {
    const { environment, config, names } = props;
    const managed = MANAGED_POLICY_FOR[level];
    const permissionSet = new sso.CfnPermissionSet(this, `PermissionSet-${group.name}`, {
      instanceArn: config.deployment.identityCenterInstanceArn,
      name: permissionSetName(`${names.prefix}-${group.name}`),
      description: `${group.name}: ${level} access to ${environment.name}`,
      sessionDuration: level === 'admin' ? 'PT1H' : 'PT4H',
      managedPolicies: [`arn:aws:iam::aws:policy/${managed}`],
      inlinePolicy: level === 'developer' ? this.developerPolicy(props) : undefined,
      tags: [{ key: 'access_level', value: level }],
    });
    this.permissionSets.push(permissionSet);
    new sso.CfnAssignment(this, `Assignment-${group.name}`, {
      instanceArn: config.deployment.identityCenterInstanceArn,
      permissionSetArn: permissionSet.attrPermissionSetArn,
      principalId: group.groupId,
      principalType: 'GROUP',
      targetId: environment.account,
      targetType: 'AWS_ACCOUNT',
    });
  }

  /** IAM-4: developers write in development only, to the lake and nothing else. */
  private developerPolicy(props: AccessStackProps): iam.PolicyDocument {
    const document = new iam.PolicyDocument();
    props.lake.grantReadWrite(new PolicyDocumentGrantee(document));
    return document;
  }
}

/**
 * Lets `grant*` methods write into a standalone policy document, such as a
 * permission set's inline policy, so grants stay in one place (the
 * construct that owns the resource) instead of being hand-written here.
 */
class PolicyDocumentGrantee extends iam.PrincipalBase {
  public readonly policyFragment = new iam.PrincipalPolicyFragment({});

  constructor(private readonly document: iam.PolicyDocument) {
    super();
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    // The document is embedded in the permission set, which depends on nothing it grants.
    return { statementAdded: true, policyDependable: new DependencyGroup() };
  }

  public dedupeString(): string | undefined {
    return undefined;
  }
}

/** Permission-set names are at most 32 characters; long ones keep a hash suffix to stay unique. */
export function permissionSetName(name: string): string {
  if (name.length <= 32) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, 25)}-${hash}`;
}
