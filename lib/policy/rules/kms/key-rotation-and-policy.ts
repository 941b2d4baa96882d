import { principalAccount } from '../../../cfn/accounts';
import { readBoolean, readNumber } from '../../../cfn/booleans';
import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { hasRestrictingCondition, namesEveryone, RESTRICTING_CONDITION_KEYS } from '../../../cfn/statement-conditions';
import { knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

/** For key policies, kms:CallerAccount pins the caller's account as well. */
const KEY_RESTRICTING_KEYS: ReadonlySet<string> = new Set([...RESTRICTING_CONDITION_KEYS, 'kms:calleraccount']);
const MAX_ROTATION_DAYS = 365;

/**
 * KMS-1 on the key. Symmetric encryption keys (KeySpec absent or
 * SYMMETRIC_DEFAULT; asymmetric and HMAC keys cannot rotate) have
 * EnableKeyRotation true and, if set, RotationPeriodInDays of at most 365.
 * The key policy has no Allow to `*` (or NotPrincipal) without a condition
 * pinning the caller (aws:PrincipalArn, aws:PrincipalAccount,
 * kms:CallerAccount, aws:SourceArn, ...; kms:ViaService alone does not) and no
 * AWS principal of another account.
 *
 * The own account is `${AWS::AccountId}`, a template resource, the engine's
 * `context.account`, or the one literal account the template's key policies
 * give `kms:*` on its root (see lib/cfn/accounts.ts); a literal account
 * that cannot be compared is reported as unresolved. Retention of the key is
 * KEEP-1's rule; PendingWindowInDays is not checked (any value is a waiting period).
 */
export const keyRotationAndPolicyRule: EduRule = {
  id: 'KMS1-KeyRotationAndPolicy',
  control: 'KMS-1',
  severity: 'error',
  resourceTypes: ['AWS::KMS::Key'],
  info:
    'The key does not rotate yearly or its policy reaches beyond the deployment\'s account. Use CustomerManagedKey (or kms.Key with ' +
    'enableKeyRotation: true, rotationPeriod up to Duration.days(365)); grant with key.grantDecrypt(<role>) instead of policy statements to "*" ' +
    'or to other accounts (L1: EnableKeyRotation: true; KeyPolicy principals of ${AWS::AccountId} or service principals only).',
  explanation:
    'Customer-managed keys protect the lake, file system, logs, alerts and secrets that hold or describe student data. Yearly rotation limits ' +
    'what one key version protects; a key policy open to "*" or to another account would let outsiders decrypt FERPA-protected records.',
  check(resource, context) {
    const { template } = context;
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    const unresolved: string[] = [];
    const spec = props.KeySpec === undefined ? 'SYMMETRIC_DEFAULT' : knownString(props.KeySpec, template);
    const usage = props.KeyUsage === undefined ? 'ENCRYPT_DECRYPT' : knownString(props.KeyUsage, template);
    if (spec === undefined || usage === undefined) unresolved.push('KeySpec=unresolved');
    else if (spec === 'SYMMETRIC_DEFAULT' && usage === 'ENCRYPT_DECRYPT') {
      const rotation = readBoolean(props.EnableKeyRotation, template);
      if (rotation === 'unresolved') unresolved.push('EnableKeyRotation=unresolved');
      else if (rotation !== true) violations.push(`EnableKeyRotation=${rotation === undefined ? 'absent' : 'false'}`);
      const period = readNumber(props.RotationPeriodInDays, template);
      if (period === 'unresolved') unresolved.push('RotationPeriodInDays=unresolved');
      else if (period !== undefined && period > MAX_ROTATION_DAYS) violations.push(`RotationPeriodInDays=${period}`);
    }
    for (const doc of policyDocumentsOf(resource)) {
      for (const st of normalizeStatements(doc.document)) {
        if (st.effect !== 'Allow') continue;
        const at = `KeyPolicy.Statement[${st.index}]`;
        if (st.notPrincipals.length > 0) violations.push(`${at}.NotPrincipal`);
        else if (namesEveryone(st) && !hasRestrictingCondition(st, KEY_RESTRICTING_KEYS)) violations.push(`${at}.Principal=*`);
        for (const principal of st.principals) {
          if (principal.type !== 'AWS' || principal.value === '*') continue;
          const owner = principalAccount(principal.value, context);
          if (owner.kind === 'other') violations.push(`${at}.Principal.AWS=account-${owner.account}`);
          else if (owner.kind === 'unknown') unresolved.push(`${at}.Principal.AWS=${findingPart(owner.text, 80)}`);
        }
      }
    }
    return { violations, unresolved };
  },
};
