import { TAG } from '../../../constructs/conventions';
import { statementsOf } from '../../cfn/branches';
import { IDENTITY_POLICY_TYPES } from '../../cfn/identity-policies';
import { EnvironmentView, resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceProperty, EvidenceResource } from './types';
import { matchingStatements, props, renderValue } from './values';

const STATEFUL = [
  'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::Logs::LogGroup', 'AWS::EFS::FileSystem',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
];

/** `aws://111111111111/us-east-1` → `111111111111`. */
function accountOf(environment: string): string | undefined {
  const m = /^aws:\/\/(\d{12})\//.exec(environment);
  return m?.[1];
}

function otherAccounts(env: EnvironmentView, all: readonly EnvironmentView[]): Set<string> {
  const own = new Set(env.stacks.map((s) => accountOf(s.environment)).filter((a): a is string => a !== undefined));
  const others = new Set<string>();
  for (const e of all) {
    if (e === env) continue;
    for (const s of e.stacks) {
      const a = accountOf(s.environment);
      if (a && !own.has(a)) others.add(a);
    }
  }
  return others;
}

function tagValue(tags: unknown, key: string): string | undefined {
  if (Array.isArray(tags)) {
    const tag = tags.find((t) => (t as { Key?: unknown }).Key === key) as { Value?: unknown } | undefined;
    return tag ? renderValue(tag.Value) : undefined;
  }
  if (typeof tags === 'object' && tags !== null && key in tags) return renderValue((tags as Record<string, unknown>)[key]);
  return undefined;
}

export const keyExtractors: readonly ControlExtractor[] = [
  {
    control: 'KMS-1',
    governs: ['AWS::KMS::Key'],
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::KMS::Key').map((k) => {
        const principals = [...new Set(statementsOf(k.resource.Properties?.KeyPolicy).map(({ written: s }) => `${renderValue(s.Effect)} ${renderValue(s.Principal)}${s.Condition !== undefined ? ' (with condition)' : ''}`))];
        return evidenceOf(k, [
          ...props(k, ['EnableKeyRotation', 'RotationPeriodInDays', '@DeletionPolicy']),
          { name: 'KeyPolicy principals', value: principals.join(' | ') || '(none)' },
        ]);
      }),
  },
  {
    control: 'KEEP-1',
    governs: STATEFUL,
    extract: ({ env }) => resourcesOfType(env, ...STATEFUL).map((r) => evidenceOf(r, props(r, ['@DeletionPolicy', '@UpdateReplacePolicy']))),
  },
  {
    control: 'ENV-1',
    governs: [],
    inScope: ({ env }) => env.stacks.length > 0,
    extract: ({ env, all }) => {
      const others = otherAccounts(env, all);
      return env.stacks.map((s): EvidenceResource => {
        const text = JSON.stringify(s.template);
        const referenced = [...others].filter((a) => text.includes(a)).sort();
        const properties: EvidenceProperty[] = [
          { name: 'Stack name', value: s.stackName },
          { name: 'Deployment target (manifest)', value: s.environment },
          { name: 'Other environments\' accounts referenced', value: others.size === 0 ? 'no other environment has a separate account' : referenced.join(', ') || 'none' },
        ];
        return { stack: s.displayName, logicalId: '', constructPath: s.displayName, type: 'AWS::CloudFormation::Stack', properties };
      });
    },
  },
  {
    control: 'TENANT-1',
    governs: [],
    inScope: ({ env }) => JSON.stringify(env.stacks.map((s) => s.template)).includes(TAG.tenantCode),
    extract: ({ env }) => {
      const out: EvidenceResource[] = [];
      for (const r of env.resources) {
        const p = r.resource.Properties ?? {};
        const tag = tagValue(p.Tags ?? p.FileSystemTags, TAG.tenantCode);
        const properties: EvidenceProperty[] = tag !== undefined ? [{ name: `Tags.${TAG.tenantCode}`, value: tag }] : [];
        if (IDENTITY_POLICY_TYPES.includes(r.type)) {
          properties.push(...matchingStatements(r, () => true).filter((s) => s.value.includes('tenant_code=')));
        }
        if (properties.length > 0) out.push(evidenceOf(r, properties));
      }
      return out;
    },
  },
];
