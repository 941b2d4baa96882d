import { EduRule, RuleOutcome } from '../../rule';
import { stringBranches } from '../../cfn/branches';
import { findingPart } from '../../cfn/finding-id';
import { DATA_SERVICES, IDENTITY_POLICY_TYPES, identityStatements } from '../../cfn/identity-policies';
import { actionMatches } from '../../cfn/policy-documents';
import { isResourceLessAction } from '../../cfn/resource-less-actions';

/** True for `*`, `*:*` and any pattern whose service part could be every service. */
function isFullWildcard(action: string): boolean {
  const [service, name] = action.split(':');
  return action === '*' || (service === '*' && (name === undefined || name === '*'));
}

/** `<service>:*` where the service pattern matches one of the data services. */
function dataServiceWildcard(action: string): boolean {
  const [service, name] = action.split(':');
  if (name !== '*' || service === undefined) return false;
  return DATA_SERVICES.some((s) => actionMatches(service, s));
}

/**
 * IAM-1, the error part: identity policies grant named actions on named
 * resources. Findings name the statement by its path, e.g.
 * `Policies[0].PolicyDocument.Statement[1].Action=*`. A `Resource: *` whose
 * actions are all resource-less is not reported here but by
 * IAM1-ResourcelessWildcard (a warning, acknowledged with a reason).
 * Deny statements are not judged: a broad deny only narrows access.
 */
export const leastPrivilegeRule: EduRule = {
  id: 'IAM1-LeastPrivilege',
  control: 'IAM-1',
  severity: 'error',
  resourceTypes: IDENTITY_POLICY_TYPES,
  info:
    'An identity policy grants more than the workload needs: Action "*", "<data service>:*", an Allow with NotAction or ' +
    'NotResource, "iam:PassRole" or other resource-scoped actions on Resource "*". Name the actions and resources; in CDK use ' +
    'the grant* methods of the resource (bucket.grantRead(role), key.grantDecrypt(role), parameter.grantRead(role)) and ' +
    'pass PassRole only for the specific role ARN.',
  explanation:
    'Roles of the platform touch student records protected by FERPA; a wildcard grant turns any compromised task or ' +
    'instance into access to every bucket, key and secret in the account. Least privilege limits the blast radius.',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const { path, statement } of identityStatements(resource)) {
      if (statement.effect === 'Deny') continue;
      if (statement.effect === 'Unknown') {
        unresolved.push(`${path}.Effect`);
        continue;
      }
      const actions = stringBranches(statement.actions, context.template);
      const resources = stringBranches(statement.resources, context.template);
      const knownActions: string[] = [];
      for (const a of actions) {
        if (a.unresolved.length > 0 || a.text.includes('${')) {
          unresolved.push(`${path}.Action=${findingPart(a.text)}`);
          continue;
        }
        knownActions.push(a.text);
        if (isFullWildcard(a.text)) violations.push(`${path}.Action=${a.text}`);
        else if (dataServiceWildcard(a.text)) violations.push(`${path}.Action=${a.text}`);
      }
      if (statement.notActions.length > 0) violations.push(`${path}.NotAction`);
      if (statement.notResources.length > 0) violations.push(`${path}.NotResource`);
      const onEverything = resources.some((r) => r.text === '*');
      if (onEverything) {
        if (knownActions.some((a) => actionMatches(a, 'iam:PassRole'))) {
          violations.push(`${path}.iam:PassRole-on-Resource=*`);
        }
        const allResourceLess =
          statement.notActions.length === 0 &&
          knownActions.length > 0 &&
          knownActions.length === actions.length &&
          knownActions.every(isResourceLessAction);
        if (!allResourceLess) violations.push(`${path}.Resource=*`);
      }
    }
    return { violations, unresolved };
  },
};
