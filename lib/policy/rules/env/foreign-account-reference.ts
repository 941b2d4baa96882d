import { EduRule, RuleContext, RuleOutcome } from '../../rule';
import { referencedLogicalId } from '../../../cfn/values';
import { ownAccountOf } from '../../../cfn/accounts';
import { arnFields, stringBranches } from '../../../cfn/branches';
import { allStatements, IDENTITY_POLICY_TYPES } from '../../../cfn/identity-policies';

/** Every type that carries an identity, trust or resource policy (lib/cfn/policy-documents.ts). */
const POLICY_TYPES: readonly string[] = [
  ...IDENTITY_POLICY_TYPES,
  'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SNS::TopicInlinePolicy', 'AWS::SQS::QueuePolicy',
  'AWS::SQS::QueueInlinePolicy', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::EFS::FileSystem', 'AWS::Logs::ResourcePolicy',
  'AWS::SecretsManager::ResourcePolicy', 'AWS::ECR::Repository', 'AWS::S3::AccessPoint', 'AWS::EC2::VPCEndpoint',
];

/** Literal 12-digit account IDs in an ARN or a bare principal ID. */
function literalAccounts(text: string): string[] {
  if (/^\d{12}$/.test(text)) return [text];
  return [...arnFields(text).matchAll(/arn:[^:\s]*:[^:\s]*:[^:\s]*:(\d{12}):/g)].map((m) => m[1]);
}

/**
 * ENV-1, the decidable part, as a factory: a policy statement (Allow) whose
 * Principal, Resource or NotResource names a literal account other than the
 * deployment's own is reported as a warning naming that account. The own
 * account is `${AWS::AccountId}`, any of `ownAccounts`, or the one
 * lib/cfn/accounts.ts infers from the template. Limits: the warehouse
 * integration's trusted account is legitimately foreign (acknowledge it with
 * that reason); another environment referenced by name or ARN within the
 * same account (e.g. a prod bucket name in a dev stack) is not detected;
 * conditions such as aws:SourceAccount are not read.
 */
export function foreignAccountReferenceRule(ownAccounts: readonly string[] = []): EduRule {
  return {
    id: 'ENV1-ForeignAccountReference',
    control: 'ENV-1',
    severity: 'warning',
    resourceTypes: POLICY_TYPES,
    info:
      'A policy names another AWS account. Environments are separate accounts and nothing in one may grant access to ' +
      'the other: reference your own account with Aws.ACCOUNT_ID / Stack.of(this).account, or acknowledge an intended ' +
      'external account (e.g. the warehouse integration) with its reason.',
    explanation:
      'Development principals must not read production student records (FERPA), and production must not trust ' +
      'development; a literal foreign account in a policy is the usual way such a bridge is written.',
    check(resource, context): RuleOutcome {
      const own = new Set(ownAccounts);
      const inferred = ownAccountOf(context);
      if (inferred !== undefined) own.add(inferred);
      // A permission set's policy takes effect in the accounts it is assigned to (DEPLOY-3: it is
      // deployed from the identity account), so those are its own; any other account stays foreign.
      if (resource.Type === 'AWS::SSO::PermissionSet') for (const account of assignedAccounts(context)) own.add(account);
      const found = new Set<string>();
      for (const { path, statement } of allStatements(resource)) {
        if (statement.effect === 'Deny') continue;
        const fields: [string, readonly unknown[]][] = [
          ['Principal', statement.principals.filter((p) => p.type === 'AWS').map((p) => p.value)],
          ['Resource', statement.resources],
          ['NotResource', statement.notResources],
        ];
        for (const [field, values] of fields) {
          for (const v of stringBranches(values, context.template)) {
            for (const account of literalAccounts(v.text)) {
              if (!own.has(account)) found.add(`${path}.${field}:account=${account}`);
            }
          }
        }
      }
      return { violations: [...found], unresolved: [] };
    },
  };
}

/** Literal account IDs that the template's AWS::SSO::Assignment resources of this permission set target. */
function assignedAccounts(context: RuleContext): string[] {
  return Object.values(context.template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::SSO::Assignment' && referencedLogicalId(r.Properties?.PermissionSetArn) === context.logicalId)
    .filter((r) => r.Properties?.TargetType === 'AWS_ACCOUNT')
    .map((r) => r.Properties?.TargetId)
    .filter((id): id is string => typeof id === 'string' && /^\d{12}$/.test(id));
}

/** The pack's ENV-1 rule, with the own account inferred from each template. */
export const foreignAccountReferenceDefaultRule: EduRule = foreignAccountReferenceRule();
