import { findingPart } from '../../vocabulary';
import { classifyKeyReference } from '../../../cfn/kms-keys';
import { flattenString, intrinsicName, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

/** The template log group a flow log's LogGroupName / LogDestination names, if any. */
function targetLogGroup(props: Record<string, unknown>, template: CfnTemplate): string | undefined {
  for (const value of [props.LogGroupName, props.LogDestination]) {
    if (value === undefined) continue;
    const ref = intrinsicName(value) !== undefined ? referencedLogicalId(value) : undefined;
    if (ref !== undefined && template.Resources?.[ref]?.Type === 'AWS::Logs::LogGroup') return ref;
    const text = flattenString(value, template).text;
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (r.Type !== 'AWS::Logs::LogGroup') continue;
      const name = knownString(r.Properties?.LogGroupName, template);
      if (name !== undefined && (text === name || text.includes(`:log-group:${name}`))) return id;
      if (text.includes(`\${${id}.Arn}`) || text.includes(`\${${id}}`)) return id;
    }
  }
  return undefined;
}

/** Findings for one flow log of the VPC, or none if it records everything to an acceptable destination. */
function flowLogFindings(id: string, flowLog: TemplateResource, template: CfnTemplate): RuleOutcome {
  const props = flowLog.Properties ?? {};
  const violations: string[] = [];
  const unresolved: string[] = [];
  const traffic = knownString(props.TrafficType, template);
  if (traffic !== undefined && traffic !== 'ALL') violations.push(`FlowLog[${id}].TrafficType=${findingPart(traffic)}`);
  const type = props.LogDestinationType === undefined ? 'cloud-watch-logs' : knownString(props.LogDestinationType, template);
  if (type === undefined) unresolved.push(`FlowLog[${id}].LogDestinationType=unresolved`);
  else if (type === 's3') {
    // Bucket encryption is DATA-1's concern.
  } else if (type === 'cloud-watch-logs') {
    const group = targetLogGroup(props, template);
    if (group === undefined) unresolved.push(`FlowLog[${id}].LogGroup=not-in-template`);
    else {
      const key = classifyKeyReference(template.Resources?.[group]?.Properties?.KmsKeyId, template);
      if (key.kind === 'absent' || key.kind === 'aws-managed') violations.push(`FlowLog[${id}].LogGroup[${group}]=unencrypted`);
      else if (key.kind === 'unresolved') unresolved.push(`FlowLog[${id}].LogGroup[${group}].KmsKeyId=${key.text}`);
    }
  } else {
    unresolved.push(`FlowLog[${id}].LogDestinationType=${findingPart(type)}`);
  }
  return { violations, unresolved };
}

/**
 * LOG-4 on the VPC (the resource whose traffic goes unrecorded): some
 * AWS::EC2::FlowLog with ResourceType VPC and ResourceId a Ref to it records
 * ALL traffic to CloudWatch Logs in a log group of the template that has a
 * KmsKeyId, or to S3. A log group outside the template or a Firehose
 * destination is reported as unresolved. The VPC passes if any one of its flow
 * logs is acceptable; otherwise every flow log's findings are reported.
 */
export const vpcFlowLogsRule: EduRule = {
  id: 'LOG4-VpcFlowLogs',
  control: 'LOG-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPC'],
  info:
    'The VPC has no flow log of all traffic to an encrypted log group. Add flowLogs: { all: { destination: ' +
    'FlowLogDestination.toCloudWatchLogs(<log group with a customer-managed key>), trafficType: FlowLogTrafficType.ALL } } to ec2.Vpc ' +
    '(L1: AWS::EC2::FlowLog with ResourceType VPC, ResourceId { Ref: <VPC> }, TrafficType ALL, LogGroupName { Ref: <encrypted LogGroup> }).',
  explanation:
    'Flow logs are the record of which networks reached the hosts and file systems that handle student data (NET-1, TEMP-2); without them ' +
    'an allow-list breach cannot be investigated. The log group is encrypted because addresses and ports are sensitive operational data.',
  check(_resource, { logicalId, template }) {
    const flowLogs = Object.entries(template.Resources ?? {}).filter(
      ([, r]) =>
        r.Type === 'AWS::EC2::FlowLog' &&
        intrinsicName(r.Properties?.ResourceId) !== undefined &&
        referencedLogicalId(r.Properties?.ResourceId) === logicalId &&
        knownString(r.Properties?.ResourceType, template) !== 'NetworkInterface' &&
        knownString(r.Properties?.ResourceType, template) !== 'Subnet',
    );
    if (flowLogs.length === 0) return { violations: ['FlowLog=absent'], unresolved: [] };
    const outcomes = flowLogs.map(([id, r]) => flowLogFindings(id, r, template));
    if (outcomes.some((o) => o.violations.length === 0 && o.unresolved.length === 0)) return { violations: [], unresolved: [] };
    return { violations: outcomes.flatMap((o) => o.violations), unresolved: outcomes.flatMap((o) => o.unresolved) };
  },
};
