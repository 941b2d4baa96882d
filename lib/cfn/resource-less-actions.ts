import { actionMatches } from './policy-documents';

/**
 * Actions for which AWS defines no resource type, so an IAM statement can only
 * grant them with `"Resource": "*"`. Source: the Service Authorization
 * Reference, "Actions defined by <service>" tables, where the "Resource types"
 * column of these actions is empty:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 *
 * The list is deliberately short and curated: an action missing here fails
 * IAM-1 when granted on `*` (the safe direction); add an entry only after
 * checking its row in the reference, and cite the page next to it.
 * A pattern ending in `*` covers every action with that prefix, so it is used
 * only where the reference lists every such action without a resource type.
 */
export const RESOURCE_LESS_ACTIONS: readonly string[] = [
  // list_amazonec2.html: the Describe* actions take no resource type (resource-level
  // permissions are not supported for EC2 describe calls).
  'ec2:Describe*',
  // list_amazonec2autoscaling.html: Describe* actions have no resource type.
  'autoscaling:Describe*',
  // list_awssystemsmanager.html
  'ssm:DescribeParameters',
  // list_amazonsessionmanagermessagegatewayservice.html (SSM agent channels)
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  // list_amazonmessagedeliveryservice.html (ec2messages, used by the SSM agent)
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
  // list_awskeymanagementservice.html
  'kms:ListAliases',
  'kms:ListKeys',
  'kms:CreateKey',
  'kms:GenerateRandom',
  // list_amazoncloudwatchlogs.html (CloudWatch agent: discovering log groups)
  'logs:DescribeLogGroups',
  // list_amazoncloudwatch.html
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
  'cloudwatch:GetMetricStatistics',
  // list_awsx-ray.html
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  // list_awssecuritytokenservice.html
  'sts:GetCallerIdentity',
  // list_amazons3.html
  's3:ListAllMyBuckets',
  // list_amazonelasticcontainerregistry.html (CDK's grantPull writes it on *)
  'ecr:GetAuthorizationToken',
  // list_awssecretsmanager.html
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  // list_amazonresourcegrouptaggingapi.html
  'tag:GetResources',
];

/** The literal text of a pattern before its first wildcard. */
function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return (i < 0 ? pattern : pattern.slice(0, i)).toLowerCase();
}

/**
 * True if every action an (possibly wildcarded) action pattern can match is
 * resource-less: an exact action must be listed (or match a listed prefix
 * pattern); a wildcarded action must fall under a listed `prefix*` pattern.
 */
export function isResourceLessAction(action: string): boolean {
  const hasWildcard = /[*?]/.test(action);
  return RESOURCE_LESS_ACTIONS.some((listed) => {
    if (!hasWildcard) return actionMatches(listed, action);
    const listedIsPrefix = listed.endsWith('*') && !/[*?]/.test(listed.slice(0, -1));
    return listedIsPrefix && literalPrefix(action).startsWith(literalPrefix(listed));
  });
}
