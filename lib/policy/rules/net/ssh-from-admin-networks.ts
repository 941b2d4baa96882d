import { branchesOf, listBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { coversTcpPort, sgRulesOf } from '../../../cfn/security-groups';
import { nameTokens, tagsOf } from '../../../cfn/tags';
import { flattenString, intrinsicName, isRecord, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';

/** The allow-list kinds that are administrator networks (NET-1); constructs/allow-list.ts writes them as the `kind` tag. */
export const ADMIN_KINDS = ['vpn', 'admin'] as const;

/** A `kind=` field in an entry description, as the allow-list construct and NET-2 read them. */
function kindField(description: string): string | undefined {
  return /(?:^|[;,\s])kind=([^;,\s]+)/i.exec(description)?.[1]?.toLowerCase();
}

/**
 * What a template prefix list is: `admin` when tagged kind=vpn|admin (or,
 * untagged, named with the word vpn or admin), otherwise the kind it names or
 * `unmarked`. An entry whose description says kind=<other> makes the list
 * non-administrative whatever its tag says.
 */
function listKind(list: TemplateResource, template: CfnTemplate): { admin: boolean; label: string } {
  const props = list.Properties ?? {};
  const tag = knownString(tagsOf(list).get('kind'), template)?.toLowerCase();
  const name = knownString(props.PrefixListName, template) ?? '';
  for (const entry of listBranches(props.Entries)) {
    if (!isRecord(entry)) continue;
    const kind = kindField(flattenString(entry.Description ?? '', template).text);
    if (kind !== undefined && !(ADMIN_KINDS as readonly string[]).includes(kind)) return { admin: false, label: `entry-kind=${kind}` };
  }
  if (tag !== undefined) return { admin: (ADMIN_KINDS as readonly string[]).includes(tag), label: `kind=${findingPart(tag)}` };
  const tokens = nameTokens(name);
  if (ADMIN_KINDS.some((k) => tokens.includes(k))) return { admin: true, label: 'named-admin' };
  return { admin: false, label: 'kind-unmarked' };
}

/**
 * NET-1, SSH part: a security-group rule that reaches TCP 22 (port 22, a
 * range including it, or all traffic), inline or as a separate
 * AWS::EC2::SecurityGroupIngress, from a managed prefix list admits only an
 * administrator list: one the allow-list construct tagged `kind=vpn` or
 * `kind=admin` (a hand-written list without a kind tag passes only when its
 * name has the word vpn or admin). Agency, BI, contractor and orchestration
 * lists serve the warehouse network policy and never reach SSH. A list that
 * is not in the template (a literal pl- ID, an import, a parameter) cannot be
 * judged and is reported as unresolved. CIDR and security-group sources are
 * EC2-1's and NET-1's other rules' concern.
 */
export const sshFromAdminNetworksRule: EduRule = {
  id: 'NET1-SshFromAdminNetworks',
  control: 'NET-1',
  severity: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  info:
    'SSH (TCP 22) is admitted from a prefix list that is not an administrator network. Admit SSH only from the allow-list\'s ' +
    'vpn and admin prefix lists (allowList.allowFrom(sg, Port.tcp(22), ["vpn", "admin"], ...)); agency, BI, contractor and ' +
    'orchestration entries belong in the warehouse network policy.',
  explanation:
    'The host behind SSH holds every tenant\'s Ed-Fi credentials; an agency or another tenant\'s network that reaches it ' +
    'crosses the tenant boundary and the least-access promise of the platform (FERPA).',
  check(resource, context): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const { path, rule } of sgRulesOf(resource, 'Ingress')) {
      if (rule.SourcePrefixListId === undefined || !coversTcpPort(rule, 22)) continue;
      for (const source of branchesOf(rule.SourcePrefixListId)) {
        const id = intrinsicName(source) !== undefined ? referencedLogicalId(source) : undefined;
        const list = id !== undefined ? context.template.Resources?.[id] : undefined;
        if (id === undefined || list?.Type !== 'AWS::EC2::PrefixList') {
          const text = typeof source === 'string' ? source : (id ?? intrinsicName(source) ?? 'value');
          unresolved.push(`${path}SourcePrefixListId=${findingPart(text)}-to-port-22`);
          continue;
        }
        const kind = listKind(list, context.template);
        if (!kind.admin) violations.push(`${path}SourcePrefixListId=${id}-${kind.label}-to-port-22`);
      }
    }
    return { violations, unresolved };
  },
};
