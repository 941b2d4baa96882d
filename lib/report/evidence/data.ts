import { statementsOf } from '../../cfn/branches';
import { IDENTITY_POLICY_TYPES } from '../../cfn/identity-policies';
import { resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { matchingStatements, props, referrers, renderStatement, renderValue, valueAt } from './values';

const BUCKET = 'AWS::S3::Bucket';
const BUCKET_POLICY = 'AWS::S3::BucketPolicy';
const SSE = 'BucketEncryption.ServerSideEncryptionConfiguration[0]';

/** Statements of the bucket's policy (or policies), numbered as in the template. */
function policyStatements(policyDoc: unknown, filter: (s: ReturnType<typeof statementsOf>[number]) => boolean): EvidenceProperty[] {
  const out: EvidenceProperty[] = [];
  for (const s of statementsOf(policyDoc)) {
    if (filter(s)) out.push({ name: `PolicyDocument.Statement[${s.index}]`, value: renderStatement(s) });
  }
  return out;
}

function conditionMentions(condition: unknown, key: string): boolean {
  return JSON.stringify(condition ?? {}).includes(`"${key}"`);
}

export const dataExtractors: readonly ControlExtractor[] = [
  {
    control: 'DATA-1',
    governs: [BUCKET],
    extract: ({ env }) =>
      resourcesOfType(env, BUCKET).map((b) =>
        evidenceOf(b, props(b, [`${SSE}.ServerSideEncryptionByDefault.SSEAlgorithm`, `${SSE}.ServerSideEncryptionByDefault.KMSMasterKeyID`, `${SSE}.BucketKeyEnabled`])),
      ),
  },
  {
    control: 'DATA-2',
    governs: [BUCKET, BUCKET_POLICY],
    extract: ({ env }) =>
      resourcesOfType(env, BUCKET).map((b) => {
        const policies = referrers(env, b, BUCKET_POLICY, 'Bucket');
        const denies = policies.flatMap((p) =>
          policyStatements(p.resource.Properties?.PolicyDocument, (s) =>
            s.effect === 'Deny' && (conditionMentions(s.condition, 'aws:SecureTransport') || conditionMentions(s.condition, 's3:TlsVersion')),
          ).map((e) => ({ name: `${p.logicalId} ${e.name}`, value: e.value })));
        const properties: EvidenceProperty[] = [{ name: 'BucketPolicy', value: policies.length ? policies.map((p) => p.logicalId).join(', ') : '(none)' }];
        properties.push(...denies);
        return evidenceOf(b, properties);
      }),
  },
  {
    control: 'DATA-3',
    governs: [BUCKET, BUCKET_POLICY],
    extract: ({ env }) =>
      resourcesOfType(env, BUCKET).map((b) => {
        const properties = props(b, [
          'PublicAccessBlockConfiguration.BlockPublicAcls',
          'PublicAccessBlockConfiguration.BlockPublicPolicy',
          'PublicAccessBlockConfiguration.IgnorePublicAcls',
          'PublicAccessBlockConfiguration.RestrictPublicBuckets',
          'OwnershipControls.Rules[0].ObjectOwnership',
          'AccessControl',
        ]);
        const publicAllows = referrers(env, b, BUCKET_POLICY, 'Bucket').flatMap((p) =>
          policyStatements(p.resource.Properties?.PolicyDocument, (s) => s.effect === 'Allow' && JSON.stringify(s.written.Principal ?? null).includes('"*"')));
        properties.push({ name: 'Bucket policy Allow statements to principal *', value: publicAllows.length ? publicAllows.map((e) => e.value).join(' | ') : 'none' });
        return evidenceOf(b, properties);
      }),
  },
  {
    control: 'DATA-4',
    governs: [BUCKET],
    extract: ({ env }) => {
      const buckets = resourcesOfType(env, BUCKET).map((b) => {
        // The Allows, and the Deny that reserves objects to the roles it lists (aws:PrincipalArn).
        const allows = referrers(env, b, BUCKET_POLICY, 'Bucket').flatMap((p) =>
          policyStatements(p.resource.Properties?.PolicyDocument, (s) => s.effect === 'Allow' || conditionMentions(s.condition, 'aws:PrincipalArn')));
        return evidenceOf(b, allows.length ? allows : [{ name: 'Bucket policy Allow statements', value: 'none (access only through identity policies)' }]);
      });
      const grants = resourcesOfType(env, ...IDENTITY_POLICY_TYPES)
        .map((r) => ({ r, statements: matchingStatements(r, (a) => a.toLowerCase().startsWith('s3:') || a === '*') }))
        .filter((x) => x.statements.length > 0)
        .map(({ r, statements }) => {
          const attached = r.resource.Properties?.Roles;
          return evidenceOf(r, attached !== undefined ? [{ name: 'Roles', value: renderValue(attached) }, ...statements] : statements);
        });
      return [...buckets, ...grants];
    },
  },
  {
    control: 'DATA-5',
    governs: [BUCKET],
    extract: ({ env }) =>
      resourcesOfType(env, BUCKET).map((b) => {
        const rules = valueAt(b.resource.Properties, 'LifecycleConfiguration.Rules');
        const properties = props(b, ['VersioningConfiguration.Status', '@DeletionPolicy', '@UpdateReplacePolicy', 'LoggingConfiguration.DestinationBucketName']);
        const expiring = Array.isArray(rules)
          ? rules.map((rule, i) => ({ rule: rule as Record<string, unknown>, i })).filter(({ rule }) => rule.ExpirationInDays !== undefined || rule.ExpirationDate !== undefined)
          : [];
        properties.push({
          name: 'LifecycleConfiguration.Rules expiring current objects',
          value: expiring.length ? expiring.map(({ rule, i }) => `Rules[${i}] ${renderValue(rule.ExpirationInDays ?? rule.ExpirationDate)}`).join(', ') : 'none',
        });
        if (Array.isArray(rules)) {
          rules.forEach((rule, i) => {
            const nc = (rule as Record<string, unknown>).NoncurrentVersionExpiration;
            if (nc !== undefined) properties.push({ name: `LifecycleConfiguration.Rules[${i}].NoncurrentVersionExpiration`, value: renderValue(nc) });
          });
        }
        return evidenceOf(b, properties);
      }),
  },
];
