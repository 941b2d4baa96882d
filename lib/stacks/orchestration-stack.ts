import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlertTopic } from '../../constructs/alert-topic';
import { SshOnlyInstance } from '../../constructs/ssh-only-instance';
import { TempFileSystem } from '../../constructs/temp-file-system';
import { BaselineStackProps } from './common';

/** Where the temporary file system is mounted on the Airflow host. */
export const TEMP_MOUNT_POINT = '/mnt/edu-tmp';

/** The Airflow user on the host; its uid/gid are the access point's POSIX identity (TEMP-2). */
export const AIRFLOW_USER = 'airflow';

/**
 * User data that creates the Airflow user with the configured uid/gid, mounts the temporary
 * file system through its access point over TLS with IAM authorization (TEMP-2), proves the
 * Airflow user can write there, and schedules the clean-up of leftovers (TEMP-3). Runs under
 * the hardening's `set -euo pipefail`: any failure fails the boot signal (DEPLOY-5).
 */
export function tempMountCommands(temp: TempFileSystem, user: { uid: number; gid: number }): string[] {
  const fileSystemId = temp.fileSystem.fileSystemId;
  const accessPointId = temp.accessPoint.accessPointId;
  const probe = `${TEMP_MOUNT_POINT}/.edu-baseline-boot-check`;
  return [
    'dnf install -y amazon-efs-utils',
    `getent group ${AIRFLOW_USER} >/dev/null || groupadd --gid ${user.gid} ${AIRFLOW_USER}`,
    `id -u ${AIRFLOW_USER} >/dev/null 2>&1 || useradd --uid ${user.uid} --gid ${user.gid} --create-home ${AIRFLOW_USER}`,
    `mkdir -p ${TEMP_MOUNT_POINT}`,
    // TEMP-2: through the access point (POSIX identity of the Airflow user, its own root
    // directory), over TLS, with IAM authorization; never plain NFS, never the file system's root.
    `echo "${fileSystemId}:/ ${TEMP_MOUNT_POINT} efs _netdev,tls,iam,accesspoint=${accessPointId} 0 0" >> /etc/fstab`,
    `mount ${TEMP_MOUNT_POINT}`,
    `mountpoint -q ${TEMP_MOUNT_POINT}`,
    `runuser -u ${AIRFLOW_USER} -- touch ${probe}`,
    `runuser -u ${AIRFLOW_USER} -- rm ${probe}`,
    // TEMP-3: DAGs delete files after moving them to the lake; this removes anything a failed task left behind for a day.
    `echo "e ${TEMP_MOUNT_POINT} - - - 1d" > /etc/tmpfiles.d/edu-baseline-temp.conf`,
  ];
}

/** Properties of {@link OrchestrationStack}. */
export interface OrchestrationStackProps extends BaselineStackProps {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly role: iam.IRole;
  readonly tempFileSystem: TempFileSystem;
  readonly alerts: AlertTopic;
}

/**
 * The Airflow host (EC2-1, EC2-2, TEMP-2, TEMP-3, DEPLOY-5): SSH keys only,
 * IMDSv2, encrypted disks, no public address, a pinned image, the temporary
 * file system mounted through its access point over TLS, a boot signal that
 * fails the deploy when hardening or the mount fail, and an alarm to the
 * alert topic when the host fails its status checks.
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
      // DEPLOY-5: the configured image, or the lookup recorded in cdk.context.json (the construct's default).
      machineImage: environment.amiId ? ec2.MachineImage.genericLinux({ [environment.region]: environment.amiId }) : undefined,
    });
    this.host.addUserDataCommands(...tempMountCommands(props.tempFileSystem, environment.airflowPosixUser));

    const statusCheck = new cloudwatch.Alarm(this, 'HostStatusAlarm', {
      alarmName: names.alarmNames.hostStatus,
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
