import { statementsOf } from '../../cfn/branches';
import { identityDocuments, IDENTITY_POLICY_TYPES } from '../../cfn/identity-policies';
import { resourcesOfType, ResourceRef } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props, renderStatement } from './values';

const PERMISSION_SET = 'AWS::SSO::PermissionSet';
const HUMAN_IAM = ['AWS::IAM::User', 'AWS::IAM::AccessKey', 'AWS::IAM::LoginProfile', 'AWS::IAM::UserToGroupAddition'];

/** Statements that use a wildcard resource or action: what IAM-1 is about, with their acknowledgment shown separately. */
function wildcardStatements(ref: ResourceRef): EvidenceProperty[] {
  const out: EvidenceProperty[] = [];
  for (const { path, document } of identityDocuments(ref.resource)) {
    for (const s of statementsOf(document)) {
      const { Action, Resource, NotAction } = s.written;
      const text = JSON.stringify([Action ?? null, Resource ?? null, NotAction ?? null]);
      if (text.includes('"*"') || /:\*"/.test(text) || NotAction !== undefined) out.push({ name: `${path}.Statement[${s.index}]`, value: renderStatement(s) });
    }
  }
  return out;
}

export const iamExtractors: readonly ControlExtractor[] = [
  {
    control: 'IAM-1',
    governs: IDENTITY_POLICY_TYPES,
    extract: ({ env }) =>
      resourcesOfType(env, ...IDENTITY_POLICY_TYPES).map((r) => {
        const managed = r.type === PERMISSION_SET ? 'ManagedPolicies' : 'ManagedPolicyArns';
        const statementCount = identityDocuments(r.resource).reduce((n, d) => n + statementsOf(d.document).length, 0);
        const wild = wildcardStatements(r);
        return evidenceOf(r, [
          ...(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.type) ? props(r, ['Roles']) : props(r, [managed])),
          { name: 'Policy statements', value: String(statementCount) },
          ...(wild.length ? wild : [{ name: 'Statements with a wildcard action or resource', value: 'none' }]),
        ]);
      }),
  },
  {
    control: 'IAM-2',
    governs: [...HUMAN_IAM, PERMISSION_SET],
    extract: ({ env }) => {
      const users = resourcesOfType(env, ...HUMAN_IAM);
      const sets = resourcesOfType(env, PERMISSION_SET).map((p) => evidenceOf(p, props(p, ['Name', 'SessionDuration'])));
      const assignments = resourcesOfType(env, 'AWS::SSO::Assignment').map((a) => evidenceOf(a, props(a, ['PrincipalType', 'PrincipalId', 'PermissionSetArn', 'TargetId'])));
      // IAM users, keys or login profiles are listed too: they are what the control forbids, and their findings say so.
      return [...sets, ...assignments, ...users.map((u) => evidenceOf(u, [{ name: 'Human IAM identity', value: u.type }]))];
    },
  },
  {
    control: 'IAM-3',
    governs: ['AWS::IAM::Role'],
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::IAM::Role').map((r) => {
        const statements = statementsOf(r.resource.Properties?.AssumeRolePolicyDocument);
        const properties: EvidenceProperty[] = statements.map((s) => ({ name: `AssumeRolePolicyDocument.Statement[${s.index}]`, value: renderStatement(s) }));
        const externalId = statements.map((s) => JSON.stringify(s.condition)).some((c) => c.includes('"sts:ExternalId"'));
        properties.push({ name: 'sts:ExternalId condition', value: externalId ? 'present' : 'none' });
        return evidenceOf(r, properties);
      }),
  },
  {
    control: 'IAM-4',
    governs: [PERMISSION_SET],
    extract: ({ env }) =>
      resourcesOfType(env, PERMISSION_SET).map((p) => {
        const writes = identityDocuments(p.resource).flatMap(({ path, document }) =>
          statementsOf(document)
            .filter((s) => s.effect === 'Allow' && /"(?:[a-z0-9-]+:)?(?:Put|Delete|Create|Update|Write|\*)/i.test(JSON.stringify(s.written.Action ?? null)))
            .map((s) => ({ name: `${path}.Statement[${s.index}] (write)`, value: renderStatement(s) })));
        return evidenceOf(p, [
          ...props(p, ['Name', 'Description', 'ManagedPolicies']),
          ...(writes.length ? writes : [{ name: 'Inline write statements', value: 'none' }]),
        ]);
      }),
  },
  {
    control: 'IAM-5',
    governs: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate'],
    templatesInsufficient: true,
    beyondTemplates:
      'Airflow roles live in Airflow\'s own user database, not in AWS templates. Evidence: the config names the admin group '
      + '(`people[].airflowAdmin: true`); export Airflow\'s role assignments (`airflow users list`) for the audit period and check '
      + 'that only that group holds Admin. The host that runs Airflow is listed here.',
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate').map((h) =>
        evidenceOf(h, props(h, [h.type === 'AWS::EC2::Instance' ? 'IamInstanceProfile' : 'LaunchTemplateData.IamInstanceProfile']))),
  },
];
