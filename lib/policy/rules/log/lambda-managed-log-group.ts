import { flattenString, intrinsicName, isRecord, knownString, referencedLogicalId, referencedLogicalIds } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome } from '../../rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';

/** Literal names of the template's log groups. */
function namedLogGroups(template: CfnTemplate): Map<string, string> {
  const names = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== LOG_GROUP) continue;
    const name = knownString(r.Properties?.LogGroupName, template);
    if (name !== undefined) names.set(name, id);
  }
  return names;
}

/** True when a template log group is named `/aws/lambda/<this function>` through a Ref / Fn::Join / Fn::Sub of the function. */
function defaultGroupManaged(functionId: string, template: CfnTemplate): boolean {
  return Object.values(template.Resources ?? {}).some((r) => {
    if (r.Type !== LOG_GROUP) return false;
    const name = r.Properties?.LogGroupName;
    return referencedLogicalIds(name).has(functionId) && flattenString(name, template).text.startsWith('/aws/lambda/');
  });
}

/**
 * LOG-1 for Lambda functions (the handlers of CDK custom-resource providers
 * included): a function's logs go to a log group the template manages, where
 * LOG-1 and LOG-2 are enforced on the group. Without one, Lambda creates
 * `/aws/lambda/<function name>` on first invocation ("By default, Lambda
 * functions send logs to a default log group named /aws/lambda/<function
 * name>", CloudFormation Template Reference, AWS::Lambda::Function
 * LoggingConfig) with no key, no retention and no data-protection policy.
 * Managed means: LoggingConfig.LogGroup refers to (Ref) or names a log group
 * of this template, or, without LoggingConfig.LogGroup, the template declares
 * `/aws/lambda/<FunctionName>` (literal, or Fn::Join / Fn::Sub with a Ref to
 * the function). A LoggingConfig.LogGroup naming a group outside the template
 * cannot be judged: unresolved.
 */
export const lambdaManagedLogGroupRule: EduRule = {
  id: 'LOG1-LambdaManagedLogGroup',
  control: 'LOG-1',
  severity: 'error',
  resourceTypes: ['AWS::Lambda::Function'],
  info:
    'The Lambda function logs to a log group the template does not create, so Lambda creates /aws/lambda/<name> without a ' +
    'customer-managed key, retention or masking. Give it a sanitized group: lambda.Function({ logGroup: new SanitizedLogGroup(...).logGroup }) ' +
    '(L1 or a CDK provider handler: LoggingConfig.LogGroup: { Ref: <log group> } and DependsOn the group).',
  explanation:
    'Every log group is audit evidence and may carry credentials or student data in an error message; one created on the fly ' +
    'escapes the key, retention and masking controls.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const template = context.template;
    const configured = isRecord(props.LoggingConfig) ? props.LoggingConfig.LogGroup : undefined;
    if (configured !== undefined) {
      const ref = intrinsicName(configured) === 'Ref' ? referencedLogicalId(configured) : undefined;
      if (ref !== undefined && template.Resources?.[ref]?.Type === LOG_GROUP) return { violations: [], unresolved: [] };
      const name = knownString(configured, template);
      if (name !== undefined && namedLogGroups(template).has(name)) return { violations: [], unresolved: [] };
      return { violations: [], unresolved: [`LoggingConfig.LogGroup=${name ?? intrinsicName(configured) ?? 'value'}-not-in-template`] };
    }
    const functionName = knownString(props.FunctionName, template);
    if (functionName !== undefined && namedLogGroups(template).has(`/aws/lambda/${functionName}`)) return { violations: [], unresolved: [] };
    if (defaultGroupManaged(context.logicalId, template)) return { violations: [], unresolved: [] };
    return { violations: [`no-managed-log-group:/aws/lambda/${functionName ?? '<generated name>'}`], unresolved: [] };
  },
};
