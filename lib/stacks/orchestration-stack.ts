import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlertTopic } from '../../constructs/alert-topic';
import { SshOnlyInstance } from '../../constructs/ssh-only-instance';
import { TempFileSystem } from '../../constructs/temp-file-system';
import { BaselineStackProps } from './common';
import { BASELINE_ALARMS } from './observability-stack';

/** Where the temporary file system is mounted on the Airflow host. */
export const TEMP_MOUNT_POINT = '/mnt/edu-tmp';

/** Properties of {@link OrchestrationStack}. */
export interface OrchestrationStackProps extends BaselineStackProps {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly role: iam.IRole;
  readonly tempFileSystem: TempFileSystem;
  readonly alerts: AlertTopic;
}

/**
 * The Airflow host (EC2-1, EC2-2, TEMP-3): SSH keys only, IMDSv2, encrypted
 * disks, no public address, the temporary file system mounted over TLS, and
 * an alarm to the alert topic when the host fails its status checks.
 */
export class OrchestrationStack extends Stack {
  public readonly host: SshOnlyInstance;

  constructor(scope: Construct, id: string, props: OrchestrationStackProps) {
    super(scope, id, props);
    const { environment, names } = props;

    this.host = new SshOnlyInstance(this, 'AirflowHost', {
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      role: props.role,
      keyPairName: environment.sshKeyPairName,
      instanceType: new ec2.InstanceType(environment.instanceType),
      terminationProtection: environment.production,
      instanceName: `${names.prefix}-airflow`,
      volumeKeyAlias: `${names.prefix}-airflow-ebs`,
    });
    const fileSystemId = props.tempFileSystem.fileSystem.fileSystemId;
    this.host.addUserDataCommands(
      'dnf install -y amazon-efs-utils',
      `mkdir -p ${TEMP_MOUNT_POINT}`,
      // TEMP-2: mount over TLS with IAM authorization, never plain NFS.
      `echo "${fileSystemId}:/ ${TEMP_MOUNT_POINT} efs _netdev,tls,iam 0 0" >> /etc/fstab`,
      `mount -a -t efs`,
      // TEMP-3: DAGs delete files after moving them to the lake; this removes anything a failed task left behind for a day.
      `echo "e ${TEMP_MOUNT_POINT} - - - 1d" > /etc/tmpfiles.d/edu-baseline-temp.conf`,
    );

    const statusCheck = new cloudwatch.Alarm(this, 'HostStatusAlarm', {
      alarmName: `${names.prefix}-${BASELINE_ALARMS[1]}`,
      alarmDescription: 'The Airflow host failed an EC2 status check.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/EC2',
        metricName: 'StatusCheckFailed',
        dimensionsMap: { InstanceId: this.host.instance.instanceId },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    statusCheck.addAlarmAction(props.alerts.alarmAction);
  }
}
