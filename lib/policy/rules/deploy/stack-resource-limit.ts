import { STACK_RESOURCE_LIMIT } from '../../../cfn/quotas';
import { ANY_RESOURCE_TYPE, EduRule, RuleOutcome } from '../../rule';

/**
 * DEPLOY-4, stack size: a template may declare at most 500 resources;
 * CloudFormation refuses a larger one before creating anything. CDK checks
 * the same at synth unless the `@aws-cdk/core:stackResourceLimit` context
 * turns it off; templates from elsewhere (`edu-baseline audit`) have no such
 * check. Judged once per template, on its first resource, so the finding
 * appears once.
 */
export const stackResourceLimitRule: EduRule = {
  id: 'DEPLOY4-StackResourceLimit',
  control: 'DEPLOY-4',
  severity: 'error',
  resourceTypes: [ANY_RESOURCE_TYPE],
  info:
    'The template declares more resources than CloudFormation allows in one stack (500). Move resources into another ' +
    'stack of the stage (one per concern, as the baseline does) or a nested stack.',
  explanation: 'CloudFormation rejects the template outright, so nothing of the stack deploys.',
  check(_resource, context): RuleOutcome {
    const ids = Object.keys(context.template.Resources ?? {});
    if (ids[0] !== context.logicalId || ids.length <= STACK_RESOURCE_LIMIT) return { violations: [], unresolved: [] };
    return { violations: [`template-declares-${ids.length}-resources-over-${STACK_RESOURCE_LIMIT}`], unresolved: [] };
  },
};
