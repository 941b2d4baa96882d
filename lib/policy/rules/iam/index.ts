import { EduRule } from '../../rule';
import { airflowAdminHeldRule } from './airflow-admin-held';
import { leastPrivilegeRule } from './least-privilege';
import { noBroadManagedPoliciesRule } from './no-broad-managed-policies';
import { noIamUsersRule } from './no-iam-users';
import { productionReadOnlyRule } from './production-read-only';
import { resourcelessWildcardRule } from './resourceless-wildcard';
import { servicePrincipalSourceRule } from './service-principal-source';
import { trustPolicyDefaultRule } from './trust-policy';

export const iamRules: readonly EduRule[] = [
  leastPrivilegeRule,
  resourcelessWildcardRule,
  noBroadManagedPoliciesRule,
  noIamUsersRule,
  trustPolicyDefaultRule,
  servicePrincipalSourceRule,
  productionReadOnlyRule,
  airflowAdminHeldRule,
];
