import { EduRule, RuleOutcome } from '../../rule';
import { findingPart } from '../../vocabulary';
import { SSO_RESOURCE_TYPES } from '../../../cfn/identity-policies';

/** Resources CDK adds to every stack that deploy nothing (version reporting). */
const NEUTRAL_TYPES = new Set(['AWS::CDK::Metadata']);

/** True if the value contains an Fn::ImportValue anywhere. */
function importsValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(importsValue);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === 'Fn::ImportValue' || importsValue(v));
  }
  return false;
}

/**
 * DEPLOY-3: Identity Center resources deploy only from the identity account (the
 * organization's management account or the delegated administrator: "Delegated
 * administration", AWS IAM Identity Center User Guide), so a stack that holds them must hold
 * nothing else: any workload resource beside them either fails in the identity account or
 * drags the permission sets into a workload account, where CreatePermissionSet and
 * CreateAccountAssignment are refused and the whole stack rolls back. They also refer to
 * workload resources by ARN, never Fn::ImportValue (exports do not cross accounts).
 */
export const identityResourcesIsolatedRule: EduRule = {
  id: 'DEPLOY3-IdentityResourcesIsolated',
  control: 'DEPLOY-3',
  severity: 'error',
  resourceTypes: SSO_RESOURCE_TYPES,
  info:
    'An IAM Identity Center resource (AWS::SSO::*) shares its stack with other resources or imports a value. Permission sets ' +
    'and assignments can only be managed from the management account or the delegated administrator: put them in a stack ' +
    'of their own deployed there (the baseline\'s identity stage) and name workload resources by ARN, not Fn::ImportValue.',
  explanation:
    'A workload stack with Identity Center resources fails to deploy (and rolls back its workload with it); a stack in the ' +
    'identity account that also holds workload resources puts them in the account that administers everyone\'s access.',
  check(resource, context): RuleOutcome {
    const others = Object.entries(context.template.Resources ?? {}).filter(
      ([, r]) => !SSO_RESOURCE_TYPES.includes(r.Type) && !r.Type.startsWith('AWS::SSO::') && !NEUTRAL_TYPES.has(r.Type),
    );
    const violations: string[] = [];
    if (others.length > 0) {
      const [firstId, first] = others[0];
      violations.push(`stack-also-holds=${others.length}(${findingPart(firstId)}:${findingPart(first.Type)})`);
    }
    if (importsValue(resource.Properties)) violations.push('Fn:ImportValue');
    return { violations, unresolved: [] };
  },
};
