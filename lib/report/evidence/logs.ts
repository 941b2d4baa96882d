import { resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { statementsOf } from '../../cfn/branches';
import { props, referrers, refersTo, renderStatement, renderValue, valueAt } from './values';

const LOG_GROUP = 'AWS::Logs::LogGroup';

/** `arn:${AWS::Partition}:dataprotection::aws:data-identifier/EmailAddress` → `EmailAddress`. */
function identifierName(value: unknown): string {
  const text = renderValue(value);
  const slash = text.lastIndexOf('data-identifier/');
  return slash === -1 ? text : text.slice(slash + 'data-identifier/'.length);
}

function dataProtection(policy: unknown): EvidenceProperty[] {
  if (policy === undefined) return [{ name: 'DataProtectionPolicy', value: '(not set)' }];
  const statements = Array.isArray(valueAt(policy, 'Statement')) ? (valueAt(policy, 'Statement') as unknown[]) : [];
  const out: EvidenceProperty[] = [{ name: 'DataProtectionPolicy.Name', value: renderValue(valueAt(policy, 'Name')) }];
  statements.forEach((s, i) => {
    const ids = valueAt(s, 'DataIdentifier');
    const operation = Object.keys((valueAt(s, 'Operation') ?? {}) as object).join(', ') || '(none)';
    out.push({ name: `DataProtectionPolicy.Statement[${i}] ${operation}`, value: Array.isArray(ids) ? ids.map(identifierName).join(', ') : renderValue(ids) });
  });
  return out;
}

export const logExtractors: readonly ControlExtractor[] = [
  {
    control: 'LOG-1',
    governs: [LOG_GROUP],
    extract: ({ env }) => resourcesOfType(env, LOG_GROUP).map((g) => evidenceOf(g, props(g, ['KmsKeyId', 'RetentionInDays']))),
  },
  {
    control: 'LOG-2',
    governs: [LOG_GROUP],
    extract: ({ env }) => resourcesOfType(env, LOG_GROUP).map((g) => evidenceOf(g, dataProtection(g.resource.Properties?.DataProtectionPolicy))),
  },
  {
    control: 'LOG-3',
    governs: ['AWS::SNS::Topic'],
    beyondTemplates: 'That alert payloads carry metadata only is a property of the alarms and tasks that publish; the alarms in the templates publish CloudWatch alarm state changes (no log content).',
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::SNS::Topic').map((t) => {
        const properties = props(t, ['KmsMasterKeyId']);
        for (const policy of referrers(env, t, 'AWS::SNS::TopicPolicy', 'Topics')) {
          statementsOf(policy.resource.Properties?.PolicyDocument).forEach((s) =>
            properties.push({ name: `${policy.logicalId} PolicyDocument.Statement[${s.index}]`, value: renderStatement(s) }));
        }
        return evidenceOf(t, properties);
      }),
  },
  {
    control: 'LOG-4',
    governs: ['AWS::EC2::VPC'],
    // Implementing resources are the flow logs: a VPC without one implements nothing.
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::EC2::FlowLog').map((log) => {
        const properties = props(log, ['ResourceType', 'ResourceId', 'TrafficType', 'LogDestinationType', 'LogGroupName', 'LogDestination'])
          .filter((p) => p.value !== '(not set)');
        const group = env.resources.find((g) => g.type === LOG_GROUP && g.stack === log.stack && refersTo(log.resource.Properties?.LogGroupName, g.logicalId));
        if (group) properties.push({ name: `${group.logicalId} KmsKeyId`, value: renderValue(group.resource.Properties?.KmsKeyId) });
        return evidenceOf(log, properties);
      }),
  },
  {
    control: 'LOG-5',
    governs: ['AWS::CloudWatch::Dashboard'],
    inScope: ({ env }) => env.resources.some((r) => r.type === 'AWS::CloudWatch::Dashboard' || r.type === 'AWS::EC2::Instance' || r.type === 'AWS::SNS::Topic'),
    beyondTemplates: 'That the dashboard shows no student data follows from its widgets: metrics only (task success and failure counts, host status), no log-query widgets; the metric names are listed here.',
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::CloudWatch::Dashboard').map((d) => {
        const body = renderValue(d.resource.Properties?.DashboardBody);
        const metrics = [...new Set([...body.matchAll(/\["([\w.-]+\/[\w./-]+)","([\w.-]+)"/g)].map((m) => `${m[1]} ${m[2]}`))].sort();
        return evidenceOf(d, [
          ...props(d, ['DashboardName']),
          { name: 'DashboardBody widget titles', value: [...body.matchAll(/"title":"([^"]+)"/g)].map((m) => m[1]).join(', ') || '(none)' },
          { name: 'DashboardBody metrics', value: metrics.join(', ') || '(none found)' },
          { name: 'DashboardBody log-query widgets', value: /"type":"log"/.test(body) ? 'present' : 'none' },
        ]);
      }),
  },
];
