import { EduRule, RuleOutcome } from '../../rule';
import { ownAccountOf, principalAccountText } from '../../../cfn/accounts';
import { statementsOf, stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { hasRestrictingCondition } from '../../../cfn/statement-conditions';
import { flattenString, isRecord, referencedLogicalId } from '../../../cfn/values';

/** Condition keys that bind a service's request to this account or to one source resource. */
export const SOURCE_KEYS: ReadonlySet<string> = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths']);

/**
 * Services that assume a role only because someone with `iam:PassRole` on it,
 * in the role's own account, attached it to a resource there (an instance
 * profile, a function's execution role): a role cannot be passed across
 * accounts ("Grant a user permissions to pass a role to an AWS service", IAM
 * User Guide), so the confused deputy IAM-3 guards against cannot arise, and
 * these services do not document aws:SourceAccount / aws:SourceArn in role
 * trust policies (their own trust examples carry no condition; a condition
 * there is a known cause of instances without credentials, see
 * prowler-cloud/prowler#2810). Every other service principal must be bound.
 */
export const PASS_ROLE_ONLY_SERVICES: ReadonlySet<string> = new Set(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'edgelambda.amazonaws.com']);

/** True when the statement requires a non-empty `sts:ExternalId` with StringEquals. */
function requiresExternalId(condition: Record<string, unknown>): boolean {
  const equals = condition.StringEquals;
  if (!isRecord(equals)) return false;
  return Object.entries(equals).some(
    ([key, value]) => key.toLowerCase() === 'sts:externalid' && value !== '' && value !== undefined && value !== null,
  );
}

/**
 * IAM-3 as a factory: `ownAccounts` are the 12-digit IDs of the deployment's
 * own account(s) (a CDK stack with a concrete env writes its account
 * literally, e.g. AccountRootPrincipal becomes `arn:${AWS::Partition}:iam::123456789012:root`).
 * Besides `ownAccounts`, the template's own account is the one
 * lib/cfn/accounts.ts infers (the account its KMS key policies give
 * key administration to, or the engine's context account); any other
 * literal account is treated as external. The gate can build the rule with
 * the stage's account to be explicit.
 *
 * Decisions, for this baseline:
 * - `Principal: "*"` / `{"AWS": "*"}` fails even with a restricting condition
 *   such as aws:PrincipalOrgID: IAM-3 allows only a service or a named account.
 * - An AWS principal in another account (any literal account not in
 *   `ownAccounts`) needs `StringEquals` on `sts:ExternalId`.
 * - `${AWS::AccountId}` or a Ref/GetAtt of a role or user in the same template
 *   is the template's own account and passes.
 * - Service principals need `aws:SourceAccount` or `aws:SourceArn` (or the
 *   organisation keys) with a positive operator and a value that pins
 *   something, so another account's resource cannot make the service assume
 *   the role ("The confused deputy problem", IAM User Guide; VPC flow logs and
 *   CloudTrail document the keys for their roles). Services that only use
 *   roles passed to them in the same account ({@link PASS_ROLE_ONLY_SERVICES}:
 *   EC2 instance profiles, Lambda execution roles) are exempt.
 * - Federated principals need a Condition (audience, subject); CanonicalUser
 *   and Allow with NotPrincipal fail.
 */
export function trustPolicyRule(ownAccounts: readonly string[] = []): EduRule {
  return {
    id: 'IAM3-TrustPolicy',
    control: 'IAM-3',
    severity: 'error',
    resourceTypes: ['AWS::IAM::Role'],
    info:
      'A role trust policy lets someone other than its service or a named external account assume it: Principal "*", ' +
      'an account outside the deployment without a StringEquals sts:ExternalId condition, a service principal without an ' +
      'aws:SourceAccount or aws:SourceArn condition (EC2 and Lambda exempt), a federated principal without conditions, or an ' +
      'Allow with NotPrincipal. In CDK use assumedBy: new ServicePrincipal(...).withConditions({ StringEquals: { "aws:SourceAccount": ' +
      'this.account }, ArnLike: { "aws:SourceArn": <source ARN> } }), or for the warehouse ' +
      'new AccountPrincipal(id).withConditions({ StringEquals: { "sts:ExternalId": externalId } }).',
    explanation:
      'Whoever can assume a role gets its access to the lake of student records (FERPA). The only cross-account trust ' +
      'the platform needs is the warehouse integration, and AWS requires an external ID there to stop the confused-deputy problem.',
    check(resource, context): RuleOutcome {
      const violations: string[] = [];
      const unresolved: string[] = [];
      const document = resource.Properties?.AssumeRolePolicyDocument;
      const own = new Set(ownAccounts);
      const inferred = ownAccountOf(context);
      if (inferred !== undefined) own.add(inferred);
      for (const s of statementsOf(document)) {
        const path = `AssumeRolePolicyDocument.Statement[${s.index}]`;
        if (s.effect === 'Deny') continue;
        if (s.effect === 'Unknown') {
          unresolved.push(`${path}.Effect`);
          continue;
        }
        if (s.notPrincipals.length > 0) violations.push(`${path}.NotPrincipal`);
        for (const p of s.principals) {
          if (p.type === '*') {
            violations.push(`${path}.Principal=*`);
            continue;
          }
          if (p.type === 'Service') {
            const service = flattenString(p.value, context.template).text;
            if (!PASS_ROLE_ONLY_SERVICES.has(service) && !hasRestrictingCondition(s, SOURCE_KEYS)) {
              violations.push(`${path}.Principal.Service=${findingPart(service)}-without-aws:SourceAccount-or-aws:SourceArn`);
            }
            continue;
          }
          if (p.type === 'Federated') {
            if (!s.hasCondition) violations.push(`${path}.Principal.Federated-without-Condition`);
            continue;
          }
          if (p.type !== 'AWS') {
            (p.type === 'CanonicalUser' ? violations : unresolved).push(`${path}.Principal.${findingPart(p.type)}`);
            continue;
          }
          const ref = referencedLogicalId(p.value);
          if (ref !== undefined && context.template.Resources?.[ref] !== undefined) continue;
          for (const branch of stringBranches([p.value], context.template)) {
            const text = branch.text;
            if (text === '*') {
              violations.push(`${path}.Principal.AWS=*`);
              continue;
            }
            const account = principalAccountText(text);
            if (account === '${AWS.AccountId}') continue;
            if (account !== undefined && /^\d{12}$/.test(account)) {
              if (own.has(account) || requiresExternalId(s.condition)) continue;
              violations.push(`${path}.Principal.AWS=account-${account}-without-sts:ExternalId`);
            } else if (account !== undefined && account.includes('*')) {
              violations.push(`${path}.Principal.AWS=${findingPart(text)}`);
            } else {
              unresolved.push(`${path}.Principal.AWS=${findingPart(text)}`);
            }
          }
        }
      }
      return { violations, unresolved };
    },
  };
}

/** The pack's IAM-3 rule: the own account is inferred from the template. */
export const trustPolicyDefaultRule: EduRule = trustPolicyRule();
