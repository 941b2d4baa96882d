import { protocolOf } from '../../../cfn/security-groups';
import { findingPart } from '../../vocabulary';
import { ingressRulesOf, LocatedIngress, securityGroupRef } from '../../../cfn/ingress-rules';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { actionsCover, actionsTouch, hasRestrictingCondition, isSecureTransportFalseCondition, namesEveryone } from '../../../cfn/statement-conditions';
import { asArray, flattenString, knownString } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

const CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const PRIVILEGED_ACTIONS = ['elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const NFS_PORT = 2049;

function fileSystemPolicyFindings(resource: TemplateResource): RuleOutcome {
  const docs = policyDocumentsOf(resource);
  if (docs.length === 0 || docs[0].document === undefined) return { violations: ['FileSystemPolicy=absent'], unresolved: [] };
  const statements = normalizeStatements(docs[0].document);
  const violations: string[] = [];
  const tlsDeny = statements.some(
    (st) => st.effect === 'Deny' && namesEveryone(st) && st.notPrincipals.length === 0 && actionsCover(st, CLIENT_ACTIONS) && isSecureTransportFalseCondition(st),
  );
  if (!tlsDeny) violations.push('FileSystemPolicy.SecureTransportDeny=absent');
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    const everyone = namesEveryone(st) || st.notPrincipals.length > 0;
    const privileged = actionsTouch(st, PRIVILEGED_ACTIONS) || st.notActions.length > 0;
    // elasticfilesystem:AccessedViaMountTarget and aws:SecureTransport say how, not who: they do not restrict.
    if (everyone && privileged && !hasRestrictingCondition(st)) {
      violations.push(`FileSystemPolicy.Statement[${st.index}].${st.notPrincipals.length > 0 ? 'NotPrincipal' : 'Principal=*'}`);
    }
  }
  return { violations, unresolved: [] };
}

function ingressFindings(ingress: LocatedIngress, template: CfnTemplate): RuleOutcome {
  const { at, rule } = ingress;
  const violations: string[] = [];
  const unresolved: string[] = [];
  const protocol = knownString(rule.IpProtocol, template) ?? (typeof rule.IpProtocol === 'number' ? String(rule.IpProtocol) : undefined);
  if (protocol === undefined) unresolved.push(`${at}.IpProtocol=unresolved`);
  else if (protocolOf({ IpProtocol: protocol }) === '-1') violations.push(`${at}.IpProtocol=-1`);
  else if (protocolOf({ IpProtocol: protocol }) !== 'tcp') violations.push(`${at}.IpProtocol=${findingPart(protocol)}`);
  else {
    const from = Number(knownString(rule.FromPort, template) ?? rule.FromPort);
    const to = Number(knownString(rule.ToPort, template) ?? rule.ToPort);
    if (Number.isNaN(from) || Number.isNaN(to)) unresolved.push(`${at}.Ports=unresolved`);
    else if (from !== NFS_PORT || to !== NFS_PORT) violations.push(`${at}.Ports=${from}-${to}`);
  }
  for (const field of ['CidrIp', 'CidrIpv6', 'SourcePrefixListId'] as const) {
    if (rule[field] !== undefined) violations.push(`${at}.${field}=${findingPart(flattenString(rule[field], template).text, 60)}`);
  }
  const fromGroup = rule.SourceSecurityGroupId !== undefined || rule.SourceSecurityGroupName !== undefined;
  if (!fromGroup && ['CidrIp', 'CidrIpv6', 'SourcePrefixListId'].every((f) => rule[f] === undefined)) violations.push(`${at}.Source=absent`);
  return { violations, unresolved };
}

function mountTargetFindings(resource: TemplateResource, template: CfnTemplate): RuleOutcome {
  const violations: string[] = [];
  const unresolved: string[] = [];
  const groups = asArray(resource.Properties?.SecurityGroups);
  if (groups.length === 0) return { violations: ['SecurityGroups=absent'], unresolved };
  groups.forEach((value, i) => {
    const groupId = securityGroupRef(value, template);
    if (groupId === undefined) {
      unresolved.push(`SecurityGroups[${i}]=${findingPart(flattenString(value, template).text, 60)}`);
      return;
    }
    for (const ingress of ingressRulesOf(groupId, template)) {
      const outcome = ingressFindings(ingress, template);
      violations.push(...outcome.violations);
      unresolved.push(...outcome.unresolved);
    }
  });
  return { violations, unresolved };
}

/**
 * TEMP-2. On the file system: a FileSystemPolicy with a Deny to `*` of
 * ClientMount, ClientWrite and ClientRootAccess when `aws:SecureTransport` is
 * false (no other condition), and no Allow of ClientWrite/ClientRootAccess to
 * `*` (or NotPrincipal) without a condition pinning the caller, account or
 * source. On each mount target (where the network exposure is): every ingress
 * rule of its security groups, inline or as separate
 * AWS::EC2::SecurityGroupIngress resources, is TCP 2049 only and from a
 * security group only, never a CIDR or a prefix list. A security group that is
 * not in the template is reported as unresolved.
 *
 * Not decidable: that the source group is the orchestration compute group
 * (group names are free text); the rule requires group-to-group rules only.
 */
export const efsAccessRestrictedRule: EduRule = {
  id: 'TEMP2-EfsAccessRestricted',
  control: 'TEMP-2',
  severity: 'error',
  resourceTypes: ['AWS::EFS::FileSystem', 'AWS::EFS::MountTarget'],
  info:
    'The file system accepts clients it should not. Give it a fileSystemPolicy that denies elasticfilesystem:Client* to "*" when ' +
    'aws:SecureTransport is "false" and grants write/root access only to named principals; open its security group only with ' +
    'fileSystem.connections.allowDefaultPortFrom(<orchestration compute security group>) (TCP 2049 from a security group, never a CIDR or prefix list).',
  explanation:
    'EFS holds student records while Airflow processes them (edu Security Overview, "Where is data stored?"). NFS without TLS exposes them on the network, an open policy lets any ' +
    'principal mount them as root, and a mount target reachable from an address range is reachable by more than the orchestration compute.',
  check(resource, { template }) {
    return resource.Type === 'AWS::EFS::MountTarget' ? mountTargetFindings(resource, template) : fileSystemPolicyFindings(resource);
  },
};
