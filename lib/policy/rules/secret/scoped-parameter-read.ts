import { EduRule, RuleOutcome } from '../../rule';
import { arnFields, stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { IDENTITY_POLICY_TYPES, identityStatements } from '../../../cfn/identity-policies';
import { actionMatches } from '../../../cfn/policy-documents';

const PARAMETER_READS = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'];

/** Minimum path depth before a wildcard: `/<prefix>/<env>/...`. */
const MIN_SCOPED_SEGMENTS = 2;

type Scope = { kind: 'scoped' } | { kind: 'too-broad'; what: string } | { kind: 'unknown'; what: string };

/**
 * How much of Parameter Store a resource pattern covers: `*`, an ARN whose
 * resource is `*` or `parameter*`/`parameter/*` (the whole account), a path
 * whose wildcard comes before `/<prefix>/<env>/`, or a scoped path.
 */
export function parameterScope(text: string, templateResources: Record<string, unknown>): Scope {
  if (text === '*') return { kind: 'too-broad', what: 'Resource=*' };
  const placeholder = /^\$\{([^}.]+)(\.[^}]+)?\}$/.exec(text);
  if (placeholder) {
    return templateResources[placeholder[1]] !== undefined ? { kind: 'scoped' } : { kind: 'unknown', what: findingPart(text) };
  }
  const arn = /^arn:[^:]*:ssm:[^:]*:[^:]*:(.*)$/.exec(arnFields(text));
  if (!arn) return /^arn:/.test(text) ? { kind: 'scoped' } : { kind: 'unknown', what: findingPart(text) };
  const resource = arn[1];
  if (/^[*?]/.test(resource) || /^parameter[*?]/.test(resource) || resource === 'parameter/*' || resource === 'parameter/') {
    return { kind: 'too-broad', what: `${findingPart(resource)}(whole-account)` };
  }
  if (!resource.startsWith('parameter/')) return { kind: 'scoped' };
  const segments = resource.slice('parameter/'.length).split('/');
  const firstWild = segments.findIndex((s) => /[*?]/.test(s));
  const firstUnknown = segments.findIndex((s) => s.includes('${'));
  if (firstUnknown >= 0 && (firstWild < 0 || firstUnknown < firstWild) && firstUnknown < MIN_SCOPED_SEGMENTS) {
    return { kind: 'unknown', what: findingPart(resource) };
  }
  if (firstWild >= 0 && firstWild < MIN_SCOPED_SEGMENTS) return { kind: 'too-broad', what: `${findingPart(resource)}(not-env-scoped)` };
  return { kind: 'scoped' };
}

/**
 * SECRET-3: a secret is readable only by the roles that need it. Identity
 * policies may allow ssm:GetParameter* only on `parameter/<prefix>/<env>/...`
 * paths (a single parameter, or a wildcard after at least two segments),
 * never on `*`, `parameter/*` or `parameter/<prefix>/*` (every environment),
 * nor through NotResource; kms:Decrypt never on `*` (IAM-1 also reports
 * that; here it is named for the secret path). An Allow with NotAction that
 * does not exclude the reads counts as allowing them.
 */
export const scopedParameterReadRule: EduRule = {
  id: 'SECRET3-ScopedParameterRead',
  control: 'SECRET-3',
  severity: 'error',
  resourceTypes: IDENTITY_POLICY_TYPES,
  info:
    'A policy lets a principal read every parameter (ssm:GetParameter* on *, parameter/* or a path above ' +
    '/<prefix>/<env>/) or decrypt with every key (kms:Decrypt on *). Grant reads per secret path with the ' +
    'SecretParameters construct (grantRead) or parameter.grantRead(role), and kms:Decrypt on the secrets key only.',
  explanation:
    'Each secret (Ed-Fi credentials, warehouse service account) opens student records (FERPA); a role that needs one ' +
    'secret must not be able to read the others or another environment\'s.',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    const resources = context.template.Resources ?? {};
    for (const { path, statement } of identityStatements(resource)) {
      if (statement.effect === 'Deny') continue;
      const actions = stringBranches(statement.actions, context.template).map((a) => a.text);
      const notActions = stringBranches(statement.notActions, context.template).map((a) => a.text);
      const allows = (target: string): boolean =>
        statement.notActions.length > 0
          ? !notActions.some((p) => actionMatches(p, target))
          : actions.some((p) => actionMatches(p, target));
      const readsParameters = PARAMETER_READS.some(allows);
      const decrypts = allows('kms:Decrypt');
      if (!readsParameters && !decrypts) continue;
      if (statement.notResources.length > 0) {
        violations.push(`${path}.NotResource`);
        continue;
      }
      for (const r of stringBranches(statement.resources, context.template)) {
        if (decrypts && r.text === '*') violations.push(`${path}.kms:Decrypt-on-Resource=*`);
        if (!readsParameters) continue;
        const scope = r.unresolved.length > 0 ? { kind: 'unknown' as const, what: findingPart(r.text) } : parameterScope(r.text, resources);
        if (scope.kind === 'too-broad') violations.push(`${path}.ssm:GetParameter-on-${scope.what}`);
        else if (scope.kind === 'unknown') unresolved.push(`${path}.Resource=${scope.what}`);
      }
    }
    return { violations, unresolved };
  },
};
