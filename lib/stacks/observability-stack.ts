import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlertTopic } from '../../constructs/alert-topic';
import { CustomerManagedKey } from '../../constructs/customer-managed-key';
import { SanitizedLogGroup } from '../../constructs/sanitized-log-group';
import { BaselineStackProps, retentionFor } from './common';

// Alarm and dashboard names are derived (and checked against AWS's limits) in lib/config/derived.ts.
export { BASELINE_ALARMS, PLATFORM_DASHBOARD } from '../config/derived';

/** Metric namespace of the task outcome metrics derived from task logs. */
export const TASK_METRIC_NAMESPACE = 'EduBaseline/Airflow';

/**
 * Logs and alerts (LOG-1..3, LOG-5): sanitized log groups for Airflow, an
 * encrypted topic for task success/failure metadata, alarms and a
 * dashboard that shows counts and health, never student data.
 */
export class ObservabilityStack extends Stack {
  public readonly alerts: AlertTopic;
  public readonly taskLogs: SanitizedLogGroup;
  public readonly schedulerLogs: SanitizedLogGroup;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    const { environment, names } = props;

    this.alerts = new AlertTopic(this, 'Alerts', { topicName: names.alertsTopic, keyAlias: names.alertsKeyAlias.replace(/^alias\//, '') });

    const logsKey = new CustomerManagedKey(this, 'LogsKey', {
      alias: names.airflowLogsKeyAlias.replace(/^alias\//, ''),
      description: `Airflow task and scheduler logs of ${names.prefix}`,
    });
    const retention = retentionFor(environment.logRetentionDays);
    this.taskLogs = new SanitizedLogGroup(this, 'TaskLogs', {
      logGroupName: names.taskLogGroup,
      retention,
      encryptionKey: logsKey,
      studentIdentifierPattern: props.config.deployment.studentIdPattern,
    });
    this.schedulerLogs = new SanitizedLogGroup(this, 'SchedulerLogs', {
      logGroupName: names.schedulerLogGroup,
      retention,
      encryptionKey: logsKey,
      studentIdentifierPattern: props.config.deployment.studentIdPattern,
      // One place for the masking audit findings of all Airflow logs.
      findingsLogGroup: this.taskLogs.findingsLogGroup,
    });

    // Task outcomes become metrics; the alarm and the dashboard read counts, not log lines.
    const outcome = (state: 'failed' | 'success'): cloudwatch.Metric => {
      new logs.MetricFilter(this, `Task${state === 'failed' ? 'Failures' : 'Successes'}`, {
        logGroup: this.taskLogs.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.state', '=', state),
        metricNamespace: TASK_METRIC_NAMESPACE,
        metricName: `Task${state === 'failed' ? 'Failed' : 'Succeeded'}`,
        metricValue: '1',
        defaultValue: 0,
      });
      return new cloudwatch.Metric({
        namespace: TASK_METRIC_NAMESPACE,
        metricName: `Task${state === 'failed' ? 'Failed' : 'Succeeded'}`,
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    };
    const failed = outcome('failed');
    const succeeded = outcome('success');
    const failures = new cloudwatch.Alarm(this, 'TaskFailureAlarm', {
      alarmName: names.alarmNames.taskFailures,
      alarmDescription: 'An Airflow task failed. See the task log group; the alert carries no task data.',
      metric: failed,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    failures.addAlarmAction(this.alerts.alarmAction);
    failures.addOkAction(this.alerts.alarmAction);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names.dashboardName,
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Airflow task outcomes', left: [succeeded, failed], width: 12 }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [failures], width: 12 }),
        ],
      ],
    });
  }
}
