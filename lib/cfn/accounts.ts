import { CfnTemplate, TemplateContext } from './template';
import { arnFields } from './branches';
import { actionMatches, normalizeStatements } from './policy-documents';
import { flattenString, intrinsicName, isRecord, referencedLogicalId } from './values';

/**
 * Deciding whether a principal belongs to the deployment's own account.
 *
 * A template does not say which account it is deployed to. CDK stacks with an
 * explicit `env` write the account literally (e.g. a key's default policy names
 * `arn:<partition>:iam::123456789012:root`), env-agnostic stacks write
 * `${AWS::AccountId}`. The own account is therefore:
 * 1. `context.account` when the engine passes it (a forward-compatible optional
 *    field: the NagPack knows `Stack.of(node).account`);
 * 2. otherwise the account every KMS key policy in the template gives
 *    `kms:*` (or at least an unconditioned `kms:PutKeyPolicy`) on its root (the key-administration statement every key needs,
 *    since KMS refuses a policy that locks the creating account out), when
 *    exactly one literal account does so.
 * A literal account that cannot be compared with either is reported as
 * unresolved, never accepted silently.
 */

const ACCOUNT_ID = /^\d{12}$/;

/** `${AWS::Partition}` contains colons that would break ARN parsing. */
function withoutPartition(text: string): string {
  return text.replace(/\$\{AWS::Partition\}/g, 'aws');
}

/** The template's own literal account, or undefined if it cannot be told. */
export function ownAccountOf(context: TemplateContext): string | undefined {
  const explicit = context.account;
  if (typeof explicit === 'string' && ACCOUNT_ID.test(explicit)) return explicit;
  return inferredOwnAccount(context.template);
}

const inferred = new WeakMap<CfnTemplate, string | null>();

function inferredOwnAccount(template: CfnTemplate): string | undefined {
  const cached = inferred.get(template);
  if (cached !== undefined) return cached ?? undefined;
  const candidates = new Set<string>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::KMS::Key') continue;
    for (const st of normalizeStatements(resource.Properties?.KeyPolicy)) {
      // kms:* or, for keys that keep use out of IAM's reach, the administration statement:
      // whoever may PutKeyPolicy unconditioned is the account KMS keeps the key manageable for.
      const administers = st.actions.some((a) => typeof a === 'string' && actionMatches(a, 'kms:PutKeyPolicy'));
      const adminAll = st.effect === 'Allow' && administers && !st.hasCondition;
      if (!adminAll) continue;
      for (const p of st.principals) {
        if (p.type !== 'AWS') continue;
        const text = withoutPartition(flattenString(p.value, template).text);
        const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(text) ?? /^(\d{12})$/.exec(text);
        if (m) candidates.add(m[1]);
      }
    }
  }
  const result = candidates.size === 1 ? [...candidates][0] : null;
  inferred.set(template, result);
  return result ?? undefined;
}

/**
 * The account field of an AWS principal written as a 12-digit ID or an
 * IAM/STS ARN, pseudo parameters read as one field (`${AWS::AccountId}` is
 * `${AWS.AccountId}`); undefined when the text is neither.
 */
export function principalAccountText(text: string): string | undefined {
  const fields = arnFields(text);
  if (/^\d{12}$/.test(fields) || fields === '${AWS.AccountId}') return fields;
  return /^arn:[^:]*:(?:iam|sts)::([^:]*):/.exec(fields)?.[1];
}

export type PrincipalAccount =
  | { readonly kind: 'own' }
  | { readonly kind: 'other'; readonly account: string }
  | { readonly kind: 'unknown'; readonly text: string };

/**
 * Whose account an `AWS` principal value belongs to: `${AWS::AccountId}`, a
 * Ref/GetAtt of a template resource and the own literal account are `own`; a
 * different 12-digit account is `other`; anything else is `unknown`.
 */
export function principalAccount(value: unknown, context: TemplateContext): PrincipalAccount {
  const { template } = context;
  const ref = referencedLogicalId(value);
  if (ref !== undefined && intrinsicName(value) !== undefined && template.Resources?.[ref] !== undefined) return { kind: 'own' };
  if (isRecord(value) && value.Ref === 'AWS::AccountId') return { kind: 'own' };
  const flat = flattenString(value, template);
  const text = withoutPartition(flat.text);
  const account = principalAccountText(text);
  if (account === undefined) return { kind: 'unknown', text };
  if (account === '${AWS.AccountId}') return { kind: 'own' };
  const placeholder = /^\$\{([^}.]+)(\.[^}]+)?\}$/.exec(account);
  if (placeholder && template.Resources?.[placeholder[1]] !== undefined) return { kind: 'own' };
  if (!ACCOUNT_ID.test(account)) return { kind: 'unknown', text };
  const own = ownAccountOf(context);
  if (own === undefined) return { kind: 'unknown', text };
  return account === own ? { kind: 'own' } : { kind: 'other', account };
}
