import { EduRule, RuleOutcome } from '../../rule';
import { stringBranches } from '../../../cfn/branches';
import { IDENTITY_POLICY_TYPES, identityStatements } from '../../../cfn/identity-policies';
import { isResourceLessAction } from '../../../cfn/resource-less-actions';

/**
 * IAM-1, the accepted exception: `Resource: *` is the only way to grant an
 * action AWS defines without a resource type (lib/cfn/resource-less-actions.ts).
 * It is still reported, as a warning, so that each case is seen and
 * acknowledged with a reason rather than passing unnoticed.
 */
export const resourcelessWildcardRule: EduRule = {
  id: 'IAM1-ResourcelessWildcard',
  control: 'IAM-1',
  severity: 'warning',
  resourceTypes: IDENTITY_POLICY_TYPES,
  info:
    'A statement grants actions on Resource "*"; every action in it is one AWS defines without a resource type, so "*" is ' +
    'unavoidable. Keep such actions in a statement of their own and acknowledge the finding with the reason (e.g. "CloudWatch ' +
    'agent: cloudwatch:PutMetricData has no resource type").',
  explanation:
    'IAM-1 allows Resource "*" only for resource-less actions, and only acknowledged with a reason, so an auditor can see ' +
    'every wildcard grant that touches the student-data platform.',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    for (const { path, statement } of identityStatements(resource)) {
      if (statement.effect !== 'Allow' || statement.notActions.length > 0) continue;
      if (!stringBranches(statement.resources, context.template).some((r) => r.text === '*')) continue;
      const actions = stringBranches(statement.actions, context.template);
      const allResourceLess =
        actions.length > 0 && actions.every((a) => a.unresolved.length === 0 && isResourceLessAction(a.text));
      if (allResourceLess) violations.push(`${path}.Resource=*`);
    }
    return { violations, unresolved: [] };
  },
};
