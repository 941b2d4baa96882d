import { TemplateResource } from './template';
import { statementsOf } from './branches';
import { NormalizedStatement, policyDocumentsOf } from './policy-documents';

/**
 * Identity policies (what a principal may do) in every place CloudFormation
 * lets one be written: inline on roles, users and groups, AWS::IAM::Policy,
 * ManagedPolicy, Role/User/GroupPolicy, and SSO permission-set inline policies.
 */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::SSO::PermissionSet',
];

/** IAM Identity Center resource types (CloudFormation's AWS::SSO namespace). */
export const SSO_RESOURCE_TYPES: readonly string[] = [
  'AWS::SSO::PermissionSet',
  'AWS::SSO::Assignment',
  'AWS::SSO::InstanceAccessControlAttributeConfiguration',
  'AWS::SSO::Application',
  'AWS::SSO::ApplicationAssignment',
  'AWS::SSO::Instance',
];

/** A statement with the path of its document, e.g. `Policies[0].PolicyDocument.Statement[2]`. */
export interface LocatedStatement {
  readonly path: string;
  readonly statement: NormalizedStatement;
}

/** Parses documents written as JSON strings (SSO InlinePolicy, some third-party templates). */
export function parsedDocument(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document);
  } catch {
    return undefined;
  }
}

/** The identity policy documents a resource carries, each with its property path (JSON strings parsed). */
export function identityDocuments(resource: TemplateResource): { readonly path: string; readonly document: unknown }[] {
  return policyDocumentsOf(resource)
    .filter((d) => d.kind === 'identity' && d.document !== undefined)
    .map((d) => ({ path: d.location, document: parsedDocument(d.document) }));
}

/** Statements of the identity policies a resource carries (trust and resource policies excluded). */
export function identityStatements(resource: TemplateResource): LocatedStatement[] {
  return identityDocuments(resource).flatMap((d) =>
    statementsOf(d.document).map((statement) => ({
      path: `${d.path}.Statement[${statement.index}]`,
      statement,
    })),
  );
}

/** Statements of every policy document a resource carries, with their kind. */
export function allStatements(resource: TemplateResource): (LocatedStatement & { kind: string })[] {
  return policyDocumentsOf(resource).flatMap((d) =>
    statementsOf(parsedDocument(d.document)).map((statement) => ({
      kind: d.kind,
      path: `${d.location}.Statement[${statement.index}]`,
      statement,
    })),
  );
}

/** Data services on which `<service>:*` is never least privilege (IAM-1). */
export const DATA_SERVICES: readonly string[] = [
  's3', 'kms', 'ssm', 'secretsmanager', 'elasticfilesystem', 'logs', 'dynamodb', 'rds', 'iam', 'sts',
];
