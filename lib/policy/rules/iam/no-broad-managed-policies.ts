import { EduRule, RuleOutcome } from '../../rule';
import { arnFields, stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { referencedLogicalId } from '../../../cfn/values';

/**
 * AWS-managed policies that grant administration, privilege escalation or a
 * whole data service. Matched on the policy path after `:iam::aws:policy/`.
 */
const BROAD_FOR_WORKLOADS =
  /^(AdministratorAccess(-.*)?|PowerUserAccess|IAMFullAccess|.*FullAccess(V\d+)?|SecretsManagerReadWrite|AWSKeyManagementServicePowerUser|job-function\/(SystemAdministrator|NetworkAdministrator|DatabaseAdministrator))$/;

/**
 * For people (SSO permission sets) outside production, IAM-4 lets developers
 * write in development, so power-user and service full-access policies are
 * allowed there; account administration and IAM administration are not.
 * Production permission sets are judged by IAM4-ProductionReadOnly.
 */
const BROAD_FOR_PEOPLE = /^(AdministratorAccess(-.*)?|IAMFullAccess)$/;

/** The AWS-managed policy name of an ARN (literal or `arn:${AWS::Partition}:iam::aws:policy/...`), if it is one. */
export function awsManagedPolicyName(arn: string): string | undefined {
  const match = /^arn:[^:]*:iam::aws:policy\/(.+)$/.exec(arnFields(arn));
  return match ? match[1] : undefined;
}

/**
 * IAM-1: no AWS-managed admin, power-user or full-access policy on workload
 * roles, users or groups (ManagedPolicyArns, literal or Fn::Join with
 * ${AWS::Partition}); on SSO permission sets no AdministratorAccess or
 * IAMFullAccess (a break-glass set is acknowledged with a reason).
 */
export const noBroadManagedPoliciesRule: EduRule = {
  id: 'IAM1-NoBroadManagedPolicies',
  control: 'IAM-1',
  severity: 'error',
  resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::SSO::PermissionSet'],
  info:
    'An AWS-managed administrator, power-user or full-access policy (e.g. AdministratorAccess, PowerUserAccess, ' +
    'IAMFullAccess, AmazonS3FullAccess) is attached. Remove it from managedPolicies and grant the specific actions with the ' +
    "resources' grant* methods; for people use a scoped permission set.",
  explanation:
    'Managed admin and full-access policies give every bucket, key and secret in the account, including student records ' +
    '(FERPA), to whoever holds the role; least privilege (IAM-1) forbids them on workload roles.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const isPermissionSet = resource.Type === 'AWS::SSO::PermissionSet';
    const property = isPermissionSet ? 'ManagedPolicies' : 'ManagedPolicyArns';
    const broad = isPermissionSet ? BROAD_FOR_PEOPLE : BROAD_FOR_WORKLOADS;
    const violations: string[] = [];
    const unresolved: string[] = [];
    const written = Array.isArray(props[property]) ? (props[property] as unknown[]) : [props[property]];
    written.forEach((entry, index) => {
      if (entry === undefined) return;
      // A managed policy of this template is judged by the policy rules themselves.
      const ref = referencedLogicalId(entry);
      if (ref !== undefined && context.template.Resources?.[ref] !== undefined) return;
      for (const arn of stringBranches([entry], context.template)) {
        const name = awsManagedPolicyName(arn.text);
        if (name !== undefined && broad.test(name)) violations.push(`${property}[${index}]=${findingPart(name)}`);
        else if (name === undefined && (arn.unresolved.length > 0 || /^\$\{[^}]+\}$/.test(arn.text))) {
          unresolved.push(`${property}[${index}]=${findingPart(arn.text)}`);
        }
      }
    });
    return { violations, unresolved };
  },
};
