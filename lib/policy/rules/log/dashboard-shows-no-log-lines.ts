import { flattenString } from '../../../cfn/values';
import { EduRule, RuleOutcome } from '../../rule';

/** Widget types that render metrics, alarms or static text, never log events. */
const METRIC_ONLY_WIDGETS = new Set(['metric', 'alarm', 'text', 'explorer']);

/**
 * LOG-5: the dashboard view-only staff watch shows counts and health, not
 * data. A Logs Insights widget (`"type": "log"`) renders raw log lines, which
 * may carry identifiers that masking missed, to everyone who can open the
 * dashboard. A dashboard body that cannot be read (computed at deploy time)
 * is reported as unresolved.
 */
export const dashboardShowsNoLogLinesRule: EduRule = {
  id: 'LOG5-DashboardShowsNoLogLines',
  control: 'LOG-5',
  severity: 'warning',
  resourceTypes: ['AWS::CloudWatch::Dashboard'],
  info:
    'A dashboard widget renders log events (a Logs Insights "log" widget), so anyone who can view the dashboard reads log lines. ' +
    'Show metrics instead: turn the query into a metric filter (logs.MetricFilter) and graph the metric with a GraphWidget or SingleValueWidget.',
  explanation:
    'The security overview lets view-only staff watch task status and resource health through dashboards; student data must never ' +
    'appear there, and log lines are the place it can slip through despite masking.',
  check(resource, context): RuleOutcome {
    const flat = flattenString(resource.Properties?.DashboardBody, context.template);
    let widgets: unknown;
    try {
      widgets = (JSON.parse(flat.text) as { widgets?: unknown }).widgets;
    } catch {
      return { violations: [], unresolved: ['DashboardBody:unreadable'] };
    }
    const violations = (Array.isArray(widgets) ? widgets : []).flatMap((widget: unknown, i) => {
      const type = typeof widget === 'object' && widget !== null ? (widget as { type?: unknown }).type : undefined;
      return typeof type === 'string' && !METRIC_ONLY_WIDGETS.has(type) ? [`widgets[${i}].type=${type}`] : [];
    });
    return { violations, unresolved: [] };
  },
};
