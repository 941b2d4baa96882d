import { EduRule, RuleOutcome } from '../../rule';
import { stringBranches } from '../../cfn/branches';
import { findingPart } from '../../cfn/finding-id';
import { identityStatements } from '../../cfn/identity-policies';
import { productionMarker } from '../../cfn/tags';
import { asArray, isRecord } from '../../cfn/values';
import { awsManagedPolicyName } from './no-broad-managed-policies';

/** AWS-managed policies that only read or view. */
const READ_ONLY_MANAGED = new Set(['ReadOnlyAccess', 'ViewOnlyAccess', 'job-function/ViewOnlyAccess', 'SecurityAudit']);

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
 * IAM-4, the part a template can show: a production permission set (tag
 * `production=true`; without that tag, `environment=prod|production` or a
 * Name containing the word prod/production) attaches only read-only AWS
 * policies and its inline policy allows only read actions. Changes reach
 * production through the deploy role, never a person. Customer-managed
 * policy references cannot be read from the template and are reported as
 * unresolved. Whether development principals can read production is an
 * account-boundary question (separate accounts), see ENV-1.
 */
export const productionReadOnlyRule: EduRule = {
  id: 'IAM4-ProductionReadOnly',
  control: 'IAM-4',
  severity: 'error',
  resourceTypes: ['AWS::SSO::PermissionSet'],
  info:
    'A production permission set gives people write access: only ReadOnlyAccess, job-function/ViewOnlyAccess or ' +
    'SecurityAudit may be attached, and the inline policy may allow only Get*/List*/Describe*/View*-style actions ' +
    '(no Put*, Create*, Update*, Delete*, ssm:SendCommand, NotAction). Deploy changes through the pipeline role.',
  explanation:
    'People must not change production student data (FERPA); production permission sets are read-only or view-only, ' +
    'so every change is made by the reviewed deployment and recorded in the audit trail.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const marker = productionMarker(resource, props.Name, context.template);
    if (marker === 'not-production') return { violations: [], unresolved: [] };
    if (marker === 'unknown') return { violations: [], unresolved: ['Tags.production'] };
    const violations: string[] = [];
    const unresolved: string[] = [];
    asArray(props.ManagedPolicies).forEach((entry, index) => {
      for (const arn of stringBranches([entry], context.template)) {
        const name = awsManagedPolicyName(arn.text);
        if (name === undefined) unresolved.push(`ManagedPolicies[${index}]=${findingPart(arn.text)}`);
        else if (!READ_ONLY_MANAGED.has(name)) violations.push(`ManagedPolicies[${index}]=${findingPart(name)}`);
      }
    });
    asArray(props.CustomerManagedPolicyReferences).forEach((ref, index) => {
      const name = isRecord(ref) && typeof ref.Name === 'string' ? ref.Name : 'computed';
      unresolved.push(`CustomerManagedPolicyReferences[${index}]=${findingPart(name)}`);
    });
    for (const { path, statement } of identityStatements(resource)) {
      if (statement.effect === 'Deny') continue;
      if (statement.notActions.length > 0) violations.push(`${path}.NotAction`);
      for (const action of stringBranches(statement.actions, context.template)) {
        if (action.unresolved.length > 0 || action.text.includes('${')) unresolved.push(`${path}.Action=${findingPart(action.text)}`);
        else if (!isReadOnlyAction(action.text)) violations.push(`${path}.Action=${findingPart(action.text)}`);
      }
    }
    return { violations, unresolved };
  },
};
