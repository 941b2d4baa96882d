import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { dashboardShowsNoLogLinesRule as rule } from '../../../../lib/policy/rules/log/dashboard-shows-no-log-lines';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('LOG5-DashboardShowsNoLogLines', () => {
  test('a dashboard of metrics, alarms and text passes (L2)', () => {
    const stack = testStack();
    const metric = new cloudwatch.Metric({ namespace: 'X', metricName: 'Failed' });
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.Dashboard(stack, 'Dashboard', {
      widgets: [[new cloudwatch.GraphWidget({ left: [metric] }), new cloudwatch.AlarmStatusWidget({ alarms: [alarm] }), new cloudwatch.TextWidget({ markdown: '# Ops' })]],
    });
    expect(violations(stack, rule)).toEqual([]);
  });

  test('a Logs Insights widget fails (L2, body written with Fn::Join)', () => {
    const stack = testStack();
    const group = new logs.LogGroup(stack, 'Tasks');
    new cloudwatch.Dashboard(stack, 'Dashboard', {
      widgets: [[new cloudwatch.TextWidget({ markdown: 'x' }), new cloudwatch.LogQueryWidget({ logGroupNames: [group.logGroupName], queryLines: ['fields @message'] })]],
    });
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Dashboard[0-9A-F]+: widgets\[1\]\.type=log$/)]);
  });

  test('a hand-written body string with a log widget fails; an unreadable body warns', () => {
    const template = templateOf({
      Plain: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{"widgets":[{"type":"log","properties":{"query":"SOURCE \'/app\' | fields @message"}}]}' } },
      Computed: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: { 'Fn::ImportValue': 'shared-dashboard-body' } } },
    });
    expect(violations(template, rule)).toEqual(['Plain: widgets[0].type=log']);
    expect(unresolvedWarnings(template, rule)).toEqual(['Computed: DashboardBody:unreadable']);
  });
});
