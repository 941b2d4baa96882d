import { findingPart } from '../../vocabulary';
import { identityStatements, IDENTITY_POLICY_TYPES } from '../../../cfn/identity-policies';
import { actionMatches, NormalizedStatement, normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { actionsCover, actionsTouch, namesEveryone } from '../../../cfn/statement-conditions';
import { isRecord, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

const CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const WRITE_ACTIONS = ['elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const ACCESS_POINT_KEY = 'elasticfilesystem:accesspointarn';

/** The condition values on elasticfilesystem:AccessPointArn, by operator (lowercased key match). */
function accessPointConditions(statement: NormalizedStatement): Array<{ operator: string; value: unknown }> {
  const found: Array<{ operator: string; value: unknown }> = [];
  for (const [operator, block] of Object.entries(statement.condition)) {
    if (!isRecord(block)) continue;
    for (const [key, value] of Object.entries(block)) if (key.toLowerCase() === ACCESS_POINT_KEY) found.push({ operator, value });
  }
  return found;
}

/** An Allow that pins the access point: a positive match on its ARN, or `Null: false` (some access point). */
function pinsAccessPoint(statement: NormalizedStatement): boolean {
  return accessPointConditions(statement).some(({ operator, value }) => {
    const op = operator.replace(/IfExists$/, '');
    if (op === 'Null') return String(value).toLowerCase() === 'false';
    return /^(StringEquals|StringLike|ArnEquals|ArnLike)$/.test(op);
  });
}

/** A Deny that hits requests made without an access point: `Null: true`, or a negated match (true when the key is absent). */
function deniesWithoutAccessPoint(statement: NormalizedStatement): boolean {
  return accessPointConditions(statement).some(({ operator, value }) => {
    if (operator === 'Null') return String(value).toLowerCase() === 'true';
    return /^(StringNotEquals|StringNotLike|ArnNotEquals|ArnNotLike)$/.test(operator);
  });
}

function fileSystemFindings(logicalId: string, resource: TemplateResource, template: CfnTemplate): RuleOutcome {
  const violations: string[] = [];
  const accessPoints = Object.values(template.Resources ?? {}).filter(
    (r) => r.Type === 'AWS::EFS::AccessPoint' && referencedLogicalId(r.Properties?.FileSystemId) === logicalId,
  );
  if (accessPoints.length === 0) violations.push('AccessPoint=absent');
  const docs = policyDocumentsOf(resource);
  const statements = docs.length > 0 && docs[0].document !== undefined ? normalizeStatements(docs[0].document) : [];
  const deny = statements.some(
    (st) => st.effect === 'Deny' && namesEveryone(st) && actionsCover(st, CLIENT_ACTIONS.slice(0, 2)) && deniesWithoutAccessPoint(st),
  );
  if (!deny) violations.push('FileSystemPolicy.AccessPointDeny=absent');
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    if ((actionsTouch(st, WRITE_ACTIONS) || st.notActions.length > 0) && !pinsAccessPoint(st)) {
      violations.push(`FileSystemPolicy.Statement[${st.index}].AccessPointArn-condition=absent`);
    }
  }
  return { violations, unresolved: [] };
}

function accessPointFindings(resource: TemplateResource, template: CfnTemplate): RuleOutcome {
  const props = resource.Properties ?? {};
  const violations: string[] = [];
  const unresolved: string[] = [];
  const user = props.PosixUser;
  if (!isRecord(user)) violations.push('PosixUser=absent');
  else {
    for (const field of ['Uid', 'Gid'] as const) {
      const value = knownString(user[field], template) ?? (typeof user[field] === 'number' ? String(user[field]) : undefined);
      if (value === undefined) unresolved.push(`PosixUser.${field}=unresolved`);
      else if (Number(value) === 0) violations.push(`PosixUser.${field}=0`);
    }
  }
  const root = isRecord(props.RootDirectory) ? props.RootDirectory : {};
  const path = knownString(root.Path, template) ?? (root.Path === undefined ? '/' : undefined);
  if (path === '/') violations.push('RootDirectory.Path=/');
  if (!isRecord(root.CreationInfo)) violations.push('RootDirectory.CreationInfo=absent');
  return { violations, unresolved };
}

/** Identity policies that grant EFS client write (named explicitly) without pinning an access point. */
function identityFindings(resource: TemplateResource): RuleOutcome {
  const violations: string[] = [];
  for (const { path, statement } of identityStatements(resource)) {
    if (statement.effect !== 'Allow') continue;
    const efsPatterns = statement.actions.filter((a): a is string => typeof a === 'string' && /^elasticfilesystem:/i.test(a));
    if (!efsPatterns.some((p) => WRITE_ACTIONS.some((w) => actionMatches(p, w)))) continue;
    if (!pinsAccessPoint(statement)) violations.push(`${path}.AccessPointArn-condition=absent(${findingPart(efsPatterns.join(','))})`);
  }
  return { violations, unresolved: [] };
}

/**
 * TEMP-2, the access-point part: clients reach the temporary file system only through an
 * access point that runs them as the workload's POSIX user in a directory EFS creates for it
 * ("Working with Amazon EFS access points" and "Using access points in IAM policies", Amazon
 * EFS User Guide), so the drive is writable without root while root stays squashed.
 * - AWS::EFS::FileSystem: an AWS::EFS::AccessPoint for it in the template; a file-system
 *   policy Deny to `*` of ClientMount/ClientWrite when `elasticfilesystem:AccessPointArn` is
 *   absent (`Null: true`, or a negated match); no Allow of ClientWrite/ClientRootAccess
 *   without a condition pinning the access point.
 * - AWS::EFS::AccessPoint: a PosixUser that is not root (uid/gid 0), a RootDirectory other
 *   than `/`, with CreationInfo (without it the mount fails when the directory is missing).
 * - Identity policies: an Allow of elasticfilesystem:ClientWrite/ClientRootAccess (named, or
 *   `elasticfilesystem:Client*`/`elasticfilesystem:*`) needs the access-point condition too.
 */
export const efsAccessPointRequiredRule: EduRule = {
  id: 'TEMP2-EfsAccessPointRequired',
  control: 'TEMP-2',
  severity: 'error',
  resourceTypes: ['AWS::EFS::FileSystem', 'AWS::EFS::AccessPoint', ...IDENTITY_POLICY_TYPES],
  info:
    'Clients can mount the file system without an access point. Add an access point with the workload\'s POSIX user (not 0) and a ' +
    'root directory with CreationInfo (fileSystem.addAccessPoint), deny elasticfilesystem:Client* to "*" in the file-system policy when ' +
    '{"Null": {"elasticfilesystem:AccessPointArn": "true"}}, grant ClientWrite only with an elasticfilesystem:AccessPointArn condition, ' +
    'and mount with -o tls,iam,accesspoint=<id>.',
  explanation:
    'Without an access point a client acts on the file system\'s root directory as its own uid: root is squashed, so either nothing ' +
    'is writable or someone grants root, and every tenant\'s temporary student files are reachable by any uid on any client.',
  check(resource, context) {
    if (resource.Type === 'AWS::EFS::FileSystem') return fileSystemFindings(context.logicalId, resource, context.template);
    if (resource.Type === 'AWS::EFS::AccessPoint') return accessPointFindings(resource, context.template);
    return identityFindings(resource);
  },
};
