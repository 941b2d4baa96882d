import { TemplateResource } from './template';
import { asArray, isRecord } from './values';

/**
 * IAM policy documents in every place CloudFormation lets one be written,
 * normalised so that a rule checks one shape: Statement as object or list;
 * Action/Resource/Principal as string or list; NotAction/NotResource/NotPrincipal.
 */

export interface NormalizedStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny' | 'Unknown';
  readonly actions: readonly unknown[];
  readonly notActions: readonly unknown[];
  readonly resources: readonly unknown[];
  readonly notResources: readonly unknown[];
  /** Principals as written: `*`, or per type (AWS, Service, Federated, CanonicalUser). */
  readonly principals: readonly PrincipalEntry[];
  readonly notPrincipals: readonly PrincipalEntry[];
  readonly condition: Record<string, unknown>;
  /** True when the statement has a Condition block with at least one operator. */
  readonly hasCondition: boolean;
  /** Index in the document, for finding IDs. */
  readonly index: number;
  /** The statement as the template writes it (the evidence report renders it verbatim). */
  readonly written: Readonly<Record<string, unknown>>;
}

export interface PrincipalEntry {
  /** `*` for `"Principal": "*"`, else AWS | Service | Federated | CanonicalUser. */
  readonly type: string;
  readonly value: unknown;
}

export type PolicyKind = 'identity' | 'trust' | 'resource';

/** A policy document found on a resource, with where it was found. */
export interface FoundPolicyDocument {
  readonly kind: PolicyKind;
  /** Property path, e.g. `Policies[0].PolicyDocument`. */
  readonly location: string;
  readonly document: unknown;
}

function normalizePrincipal(principal: unknown): PrincipalEntry[] {
  if (principal === undefined) return [];
  if (principal === '*') return [{ type: '*', value: '*' }];
  if (!isRecord(principal)) return [{ type: 'Unknown', value: principal }];
  return Object.entries(principal).flatMap(([type, values]) => asArray(values).map((value) => ({ type, value })));
}

/** The statements of a policy document; an unreadable document yields none. */
export function normalizeStatements(document: unknown): NormalizedStatement[] {
  if (!isRecord(document)) return [];
  return asArray(document.Statement)
    .filter(isRecord)
    .map((s, index) => {
      const condition = isRecord(s.Condition) ? s.Condition : {};
      return {
        sid: typeof s.Sid === 'string' ? s.Sid : undefined,
        effect: s.Effect === 'Allow' || s.Effect === 'Deny' ? s.Effect : 'Unknown',
        actions: asArray(s.Action),
        notActions: asArray(s.NotAction),
        resources: asArray(s.Resource),
        notResources: asArray(s.NotResource),
        principals: normalizePrincipal(s.Principal),
        notPrincipals: normalizePrincipal(s.NotPrincipal),
        condition,
        hasCondition: Object.keys(condition).length > 0,
        index,
        written: s,
      };
    });
}

function inlinePolicies(props: Record<string, unknown>, kind: PolicyKind): FoundPolicyDocument[] {
  return asArray(props.Policies).flatMap((p, i) =>
    isRecord(p) ? [{ kind, location: `Policies[${i}].PolicyDocument`, document: p.PolicyDocument }] : [],
  );
}

/** Resource types whose PolicyDocument is a resource policy. */
const RESOURCE_POLICY_PROPERTY: Record<string, string> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SNS::TopicInlinePolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SQS::QueueInlinePolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::KMS::ReplicaKey': 'KeyPolicy',
  'AWS::EFS::FileSystem': 'FileSystemPolicy',
  'AWS::Logs::ResourcePolicy': 'PolicyDocument',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::Lambda::Permission': '',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
  'AWS::S3::AccessPoint': 'Policy',
  'AWS::EC2::VPCEndpoint': 'PolicyDocument',
};

/**
 * Every policy document a resource carries: inline policies of roles, users
 * and groups; AWS::IAM::Policy / ManagedPolicy / RolePolicy / UserPolicy /
 * GroupPolicy; trust policies; and resource policies of buckets, keys,
 * topics, queues, file systems and endpoints.
 */
export function policyDocumentsOf(resource: TemplateResource): FoundPolicyDocument[] {
  const props = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::IAM::Role': {
      const found = inlinePolicies(props, 'identity');
      if (props.AssumeRolePolicyDocument !== undefined) {
        found.push({ kind: 'trust', location: 'AssumeRolePolicyDocument', document: props.AssumeRolePolicyDocument });
      }
      return found;
    }
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return inlinePolicies(props, 'identity');
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy':
      return [{ kind: 'identity', location: 'PolicyDocument', document: props.PolicyDocument }];
    case 'AWS::SSO::PermissionSet':
      return props.InlinePolicy !== undefined ? [{ kind: 'identity', location: 'InlinePolicy', document: props.InlinePolicy }] : [];
    default: {
      const property = RESOURCE_POLICY_PROPERTY[resource.Type];
      if (!property || props[property] === undefined) return [];
      const document = typeof props[property] === 'string' ? safeJson(props[property] as string) : props[property];
      return [{ kind: 'resource', location: property, document }];
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * True if an IAM action pattern (with * and ? wildcards) matches the action.
 * Both are compared case-insensitively, as IAM does.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(action.toLowerCase());
}
