import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataLake } from '../../constructs/data-lake';
import { SecretParameters } from '../../constructs/secret-parameters';
import { TempFileSystem } from '../../constructs/temp-file-system';
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

/**
 * Who may do what (IAM-1..5, DATA-4, SECRET-3): the orchestration host's
 * role, the warehouse integration role and a read-only monitoring role. No
 * IAM users anywhere (IAM-2): people sign in through IAM Identity Center, whose
 * permission sets and assignments deploy from the identity account in a stack
 * of their own (DEPLOY-3, lib/stacks/identity-stack.ts), never from here.
 */
export class AccessStack extends Stack {
  public readonly orchestrationRole: iam.Role;
  public readonly warehouseRole: iam.Role;
  public readonly monitoringRole: iam.Role;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const { environment, names } = props;

    this.orchestrationRole = new iam.Role(this, 'OrchestrationRole', {
      roleName: names.orchestrationRole,
      description: 'Airflow host: reads and writes the lake per tenant, mounts the temporary file system, reads its own secrets.',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      maxSessionDuration: Duration.hours(1),
    });
    props.lake.grantReadWrite(this.orchestrationRole);
    props.tempFileSystem.grantReadWriteThroughAccessPoint(this.orchestrationRole);
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
        resources: Object.values(BASELINE_ALARMS).map((alarm) => `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:${prefix}-${alarm}`),
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
}
