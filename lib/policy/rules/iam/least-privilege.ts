import { EduRule, RuleOutcome } from '../../rule';
import { arnFields, stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { DATA_SERVICES, IDENTITY_POLICY_TYPES, identityStatements } from '../../../cfn/identity-policies';
import { actionMatches } from '../../../cfn/policy-documents';
import { isResourceLessAction } from '../../../cfn/resource-less-actions';

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

/** Services whose resources hold student data, keys or secrets: an ARN naming all of them is `Resource: *` by another name. */
const DATA_RESOURCE_SERVICES: readonly string[] = ['s3', 'kms', 'ssm', 'secretsmanager', 'dynamodb', 'elasticfilesystem', 'rds'];

/**
 * The ARN's service when it names every resource of a data service (or
 * every IAM role): the resource part is only wildcards, optionally after a
 * resource type (`arn:aws:s3:::*`, `arn:aws:s3:::*` + `/*`, `arn:*:kms:*:*:key/*`,
 * `arn:aws:secretsmanager:us-east-1:111122223333:secret:*`, `arn:aws:iam::*:role/*`).
 */
function everyResourceOf(text: string): string | undefined {
  const fields = arnFields(text).split(':');
  if (fields[0] !== 'arn' || fields.length < 6) return undefined;
  const service = fields[2];
  const resource = fields.slice(5).join(':');
  // S3 ARNs have no resource type: `arn:aws:s3:::name/*` names one bucket, only `*` or `*` + `/*` names all.
  const typePrefix = service === 's3' ? '' : '([a-z-]+[/:])?';
  if (!new RegExp(`^${typePrefix}[*?]+(/[*?]*)*$`).test(resource)) return undefined;
  if (service === 'iam' && /^role\//.test(resource)) return 'iam';
  return DATA_RESOURCE_SERVICES.some((s) => actionMatches(service, s)) ? service : undefined;
}

/**
 * IAM-1, the error part: identity policies grant named actions on named
 * resources. Findings name the statement by its path, e.g.
 * `Policies[0].PolicyDocument.Statement[1].Action=*`. A `Resource: *` whose
 * actions are all resource-less is not reported here but by
 * IAM1-ResourcelessWildcard (a warning, acknowledged with a reason).
 * Deny statements are not judged: a broad deny only narrows access. An ARN
 * whose resource part is only wildcards on a data service (`arn:aws:s3:::*`
 * and its objects, `arn:aws:kms:*:*:key/*`, ...) is `Resource: *` for that
 * service and fails the same way; so does iam:PassRole on `role/*`.
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
      for (const r of resources) {
        const service = r.text === '*' ? undefined : everyResourceOf(r.text);
        if (service === undefined) continue;
        if (service !== 'iam') violations.push(`${path}.Resource=${findingPart(r.text)}(every-${findingPart(service)}-resource)`);
        else if (knownActions.some((a) => actionMatches(a, 'iam:PassRole'))) violations.push(`${path}.iam:PassRole-on-Resource=${findingPart(r.text)}`);
      }
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
