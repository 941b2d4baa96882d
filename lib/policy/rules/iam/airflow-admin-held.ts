import { EduRule, RuleOutcome } from '../../rule';
import { nameTokens, tagsOf } from '../../../cfn/tags';
import { knownString, referencedLogicalId } from '../../../cfn/values';

/** A permission set for Airflow administration: named with both words airflow and admin, or tagged `role=airflow-admin`. */
function isAirflowAdmin(props: Record<string, unknown> | undefined, tags: Map<string, unknown>): boolean {
  const role = knownString(tags.get('role'));
  if (role?.toLowerCase() === 'airflow-admin') return true;
  const tokens = nameTokens(knownString(props?.Name) ?? '');
  return tokens.includes('airflow') && (tokens.includes('admin') || tokens.includes('administrator'));
}

/**
 * IAM-5, the part a template shows, as a warning: an assignment of an
 * Airflow-admin permission set (same template, by Ref/GetAtt) goes to a
 * GROUP, the separate named admin group, never to an individual USER, and
 * an admin permission set is assigned to one group only per template.
 * Who is in the group and Airflow's own RBAC roles are outside the template.
 */
export const airflowAdminHeldRule: EduRule = {
  id: 'IAM5-AirflowAdminHeld',
  control: 'IAM-5',
  severity: 'warning',
  resourceTypes: ['AWS::SSO::Assignment'],
  info:
    'Airflow administration is assigned to an individual user or to more than one group. Assign the airflow-admin ' +
    'permission set only to the one named admin group (PrincipalType GROUP) and give everyone else the view-only set.',
  explanation:
    'Airflow admins can change and trigger the pipelines that move student records (FERPA); the role is held by a ' +
    'small, named group whose membership is reviewed, and view-only is the default for people.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const setId = referencedLogicalId(props.PermissionSetArn);
    const set = setId !== undefined ? context.template.Resources?.[setId] : undefined;
    if (set?.Type !== 'AWS::SSO::PermissionSet' || !isAirflowAdmin(set.Properties, tagsOf(set))) return { violations: [], unresolved: [] };
    const violations: string[] = [];
    if (props.PrincipalType !== 'GROUP') violations.push(`PrincipalType=${String(knownString(props.PrincipalType) ?? 'computed')}`);
    const principals = new Set(
      Object.values(context.template.Resources ?? {})
        .filter((r) => r.Type === 'AWS::SSO::Assignment' && referencedLogicalId(r.Properties?.PermissionSetArn) === setId)
        .map((r) => JSON.stringify(r.Properties?.PrincipalId ?? null)),
    );
    if (principals.size > 1) violations.push(`airflow-admin-assigned-to-${principals.size}-principals`);
    return { violations, unresolved: [] };
  },
};
