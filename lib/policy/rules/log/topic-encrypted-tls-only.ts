import { requireCustomerManagedKey } from '../../../cfn/kms-keys';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { actionsCover, hasRestrictingCondition, isSecureTransportFalseCondition, namesEveryone } from '../../../cfn/statement-conditions';
import { asArray, flattenString, intrinsicName, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, TemplateResource } from '../../rule';

/** True if a `Topics`/`TopicArn` entry names the topic: a Ref to it, or an ARN ending in its literal TopicName. */
function namesTopic(value: unknown, topicLogicalId: string, topic: TemplateResource, template: CfnTemplate): boolean {
  if (intrinsicName(value) !== undefined && referencedLogicalId(value) === topicLogicalId) return true;
  const name = knownString(topic.Properties?.TopicName, template);
  if (name === undefined) return false;
  return flattenString(value, template).text.endsWith(`:${name}`);
}

/** Topic policies attached to a topic, with their logical IDs. */
function topicPolicies(topicLogicalId: string, topic: TemplateResource, template: CfnTemplate): Array<{ id: string; resource: TemplateResource }> {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) =>
      (r.Type === 'AWS::SNS::TopicPolicy' && asArray(r.Properties?.Topics).some((t) => namesTopic(t, topicLogicalId, topic, template))) ||
      (r.Type === 'AWS::SNS::TopicInlinePolicy' && namesTopic(r.Properties?.TopicArn, topicLogicalId, topic, template)),
    )
    .map(([id, resource]) => ({ id, resource }));
}

/**
 * LOG-3 on the topic: KmsMasterKeyId is a customer-managed key (not
 * alias/aws/sns); a topic policy (AWS::SNS::TopicPolicy listing it in Topics,
 * or AWS::SNS::TopicInlinePolicy) denies sns:Publish to `*` when
 * aws:SecureTransport is false; and no policy statement allows `*` (or uses
 * NotPrincipal) without a condition pinning the caller, account or source.
 * Findings go on the topic, naming the policy. That alert payloads carry
 * metadata only is a property of the publishing code, not of the template.
 */
export const topicEncryptedTlsOnlyRule: EduRule = {
  id: 'LOG3-TopicEncryptedTlsOnly',
  control: 'LOG-3',
  severity: 'error',
  resourceTypes: ['AWS::SNS::Topic'],
  info:
    'The alert topic is not encrypted with a customer-managed key, does not deny publishing without TLS, or allows everyone. Set ' +
    'masterKey: <your CustomerManagedKey> and enforceSSL: true on sns.Topic, and grant publish with topic.grantPublish(<role>) ' +
    'or addToResourcePolicy with a service principal and an aws:SourceArn/aws:SourceAccount condition.',
  explanation:
    'Alerts report task success and failure (edu Security Overview: alerting "never contains sensitive data"); the topic is still a channel into the ' +
    'platform. Encryption with the district\'s key, TLS-only publishing and no public principal keep it from leaking or being abused.',
  check(resource, { logicalId, template }) {
    const violations: string[] = [];
    const unresolved: string[] = [];
    requireCustomerManagedKey('KmsMasterKeyId', resource.Properties?.KmsMasterKeyId, template, { violations, unresolved });
    const policies = topicPolicies(logicalId, resource, template);
    if (policies.length === 0) {
      violations.push('TopicPolicy=absent');
      return { violations, unresolved };
    }
    let tlsDeny = false;
    for (const { id, resource: policy } of policies) {
      for (const doc of policyDocumentsOf(policy)) {
        for (const st of normalizeStatements(doc.document)) {
          if (st.effect === 'Deny' && namesEveryone(st) && st.notPrincipals.length === 0 && actionsCover(st, ['sns:Publish']) && isSecureTransportFalseCondition(st)) {
            tlsDeny = true;
          }
          if (st.effect !== 'Allow') continue;
          if (st.notPrincipals.length > 0) violations.push(`TopicPolicy[${id}].Statement[${st.index}].NotPrincipal`);
          else if (namesEveryone(st) && !hasRestrictingCondition(st)) violations.push(`TopicPolicy[${id}].Statement[${st.index}].Principal=*`);
        }
      }
    }
    if (!tlsDeny) violations.push('TopicPolicy.SecureTransportDeny=absent');
    return { violations, unresolved };
  },
};
