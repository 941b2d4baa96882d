import { EduRule, RuleOutcome } from '../../rule';
import { stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { identityStatements } from '../../../cfn/identity-policies';
import { productionMarker, tagsOf } from '../../../cfn/tags';
import { asArray, isRecord, knownString } from '../../../cfn/values';
import { actionMatches } from '../../../cfn/policy-documents';
import { awsManagedPolicyName } from './no-broad-managed-policies';

/**
 * Reads that are data, not configuration: objects and object listings of any bucket (the lake,
 * the access-log and trail buckets), parameter values, decryption, unmasked log events and
 * secret values. A production permission set may grant none of them, under any pattern that
 * can match them (`s3:Get*`, `s3:List*`, `ssm:GetParameter*`, `kms:*`, ...).
 */
export const PRODUCTION_FORBIDDEN_READS: readonly string[] = [
  's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectTorrent', 's3:GetObjectVersionTorrent',
  's3:ListBucket', 's3:ListBucketVersions', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads',
  'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory',
  'kms:Decrypt', 'logs:Unmask', 'secretsmanager:GetSecretValue',
];

/** Log-event reads: allowed from `read` up, never on a `view` permission set (tag access_level=view). */
export const LOG_EVENT_READS: readonly string[] = ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:GetLogRecord', 'logs:StartLiveTail'];

/** Verbs of actions that read or view; an action is read-only if its name starts with one of them. */
const READ_VERBS = ['Get', 'List', 'Describe', 'View', 'Search', 'Query', 'Scan', 'BatchGet', 'Lookup', 'Filter', 'Select'];
/** Read actions that do not start with a read verb. */
const READ_ACTIONS = new Set(['kms:decrypt']);

/**
 * True if every action the pattern can match only reads: the name before its
 * first wildcard must already contain a whole read verb (`s3:Get*` reads,
 * `s3:*Object` or `s3:G*` might write).
 */
export function isReadOnlyAction(action: string): boolean {
  if (READ_ACTIONS.has(action.toLowerCase())) return true;
  const colon = action.indexOf(':');
  if (colon < 0) return false;
  const name = action.slice(colon + 1);
  const wildcard = name.search(/[*?]/);
  const literal = wildcard < 0 ? name : name.slice(0, wildcard);
  return READ_VERBS.some((verb) => literal.toLowerCase().startsWith(verb.toLowerCase()) && literal.length >= verb.length);
}

/**
 * IAM-4, the part a template can show. A permission set is production when its tag
 * `production=true` says so (the identity stack writes `production` and `environment` on every
 * set from the config's `environments[].production`; a permission set has no account of its own,
 * it lives in the identity account), else an `environment` tag of prod/production, else a Name
 * containing the word prod/production. Such a set:
 * - attaches no AWS-managed policy at all (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit,
 *   PowerUser, admin, *FullAccess: AWS widens them without review, and ReadOnlyAccess alone
 *   reads every object); customer-managed references cannot be read from the template and are
 *   reported as unresolved;
 * - allows in its inline policy (object or JSON string) only read actions, no NotAction or
 *   NotResource, and none of {@link PRODUCTION_FORBIDDEN_READS}; with tag `access_level=view`
 *   none of {@link LOG_EVENT_READS} either.
 * Changes reach production through the deploy role, never a person.
 */
export const productionReadOnlyRule: EduRule = {
  id: 'IAM4-ProductionReadOnly',
  control: 'IAM-4',
  severity: 'error',
  resourceTypes: ['AWS::SSO::PermissionSet'],
  info:
    'A production permission set goes beyond the baseline\'s view/read policies: attach no AWS-managed policy (ReadOnlyAccess, ' +
    'ViewOnlyAccess, SecurityAudit, PowerUserAccess, AdministratorAccess, *FullAccess), and allow only Get*/List*/Describe*-style ' +
    'actions on configuration, dashboards, alarms, metrics and (from read up) log events; never s3 object or ListBucket access, ' +
    'ssm:GetParameter*, kms:Decrypt, logs:Unmask, secret values, NotAction or NotResource. Deploy changes through the pipeline role.',
  explanation:
    'People must not change production student data (FERPA) nor read it outside the platform: production permission sets are the ' +
    'baseline\'s own read or view policies, so every change is made by the reviewed deployment and every data read by a workload role.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const marker = productionMarker(resource, props.Name, context.template);
    if (marker === 'not-production') return { violations: [], unresolved: [] };
    if (marker === 'unknown') return { violations: [], unresolved: ['Tags.production'] };
    const viewOnly = knownString(tagsOf(resource).get('access_level'), context.template)?.toLowerCase() === 'view';
    const forbidden = viewOnly ? [...PRODUCTION_FORBIDDEN_READS, ...LOG_EVENT_READS] : PRODUCTION_FORBIDDEN_READS;
    const violations: string[] = [];
    const unresolved: string[] = [];
    asArray(props.ManagedPolicies).forEach((entry, index) => {
      for (const arn of stringBranches([entry], context.template)) {
        const name = awsManagedPolicyName(arn.text);
        if (name === undefined) unresolved.push(`ManagedPolicies[${index}]=${findingPart(arn.text)}`);
        else violations.push(`ManagedPolicies[${index}]=${findingPart(name)}`);
      }
    });
    asArray(props.CustomerManagedPolicyReferences).forEach((ref, index) => {
      const name = isRecord(ref) && typeof ref.Name === 'string' ? ref.Name : 'computed';
      unresolved.push(`CustomerManagedPolicyReferences[${index}]=${findingPart(name)}`);
    });
    for (const { path, statement } of identityStatements(resource)) {
      if (statement.effect === 'Deny') continue;
      if (statement.notActions.length > 0) violations.push(`${path}.NotAction`);
      if (statement.notResources.length > 0) violations.push(`${path}.NotResource`);
      for (const action of stringBranches(statement.actions, context.template)) {
        if (action.unresolved.length > 0 || action.text.includes('${')) unresolved.push(`${path}.Action=${findingPart(action.text)}`);
        else if (!isReadOnlyAction(action.text)) violations.push(`${path}.Action=${findingPart(action.text)}`);
        else if (forbidden.some((f) => actionMatches(action.text, f))) violations.push(`${path}.Action=${findingPart(action.text)}(data-read)`);
      }
    }
    return { violations, unresolved };
  },
};
