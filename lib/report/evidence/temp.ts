import { statementsOf } from '../../cfn/branches';
import { EnvironmentView, ResourceRef, resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props, refersTo, renderStatement, renderValue, userDataLines } from './values';

const FS = 'AWS::EFS::FileSystem';
const MOUNT = 'AWS::EFS::MountTarget';

/** Ingress rules (inline and standalone) of a security group, rendered. */
export function ingressOf(env: EnvironmentView, sg: ResourceRef, keep: (rule: unknown) => boolean = () => true): EvidenceProperty[] {
  const out: EvidenceProperty[] = [];
  const inline = sg.resource.Properties?.SecurityGroupIngress;
  if (Array.isArray(inline)) inline.forEach((rule, i) => keep(rule) && out.push({ name: `SecurityGroupIngress[${i}]`, value: renderRule(rule) }));
  for (const r of env.resources) {
    if (r.type === 'AWS::EC2::SecurityGroupIngress' && r.stack === sg.stack && refersTo(r.resource.Properties?.GroupId, sg.logicalId) && keep(r.resource.Properties)) {
      out.push({ name: `${r.logicalId} (AWS::EC2::SecurityGroupIngress)`, value: renderRule(r.resource.Properties) });
    }
  }
  return out;
}

/** A security-group rule in one line: `tcp 2049-2049 from <source>`. */
export function renderRule(rule: unknown): string {
  const r = (rule ?? {}) as Record<string, unknown>;
  const source = ['CidrIp', 'CidrIpv6', 'SourcePrefixListId', 'SourceSecurityGroupId', 'DestinationPrefixListId', 'DestinationSecurityGroupId']
    .filter((k) => r[k] !== undefined)
    .map((k) => `${k}=${renderValue(r[k])}`)
    .join(' ');
  const ports = r.FromPort === undefined && r.ToPort === undefined ? 'all ports' : `${renderValue(r.FromPort)}-${renderValue(r.ToPort)}`;
  return `${renderValue(r.IpProtocol)} ${ports} ${source || '(no peer)'}`.trim();
}

export const tempExtractors: readonly ControlExtractor[] = [
  {
    control: 'TEMP-1',
    governs: [FS],
    extract: ({ env }) => resourcesOfType(env, FS).map((f) => evidenceOf(f, props(f, ['Encrypted', 'KmsKeyId']))),
  },
  {
    control: 'TEMP-2',
    governs: [FS, MOUNT],
    extract: ({ env }) => {
      const out = resourcesOfType(env, FS).map((f) => {
        const statements = statementsOf(f.resource.Properties?.FileSystemPolicy).map((s) => ({ name: `FileSystemPolicy.Statement[${s.index}]`, value: renderStatement(s) }));
        return evidenceOf(f, statements.length ? statements : [{ name: 'FileSystemPolicy', value: '(none)' }]);
      });
      for (const m of resourcesOfType(env, MOUNT)) {
        const properties: EvidenceProperty[] = props(m, ['SecurityGroups', 'SubnetId']);
        const groups = m.resource.Properties?.SecurityGroups;
        for (const sg of resourcesOfType(env, 'AWS::EC2::SecurityGroup')) {
          if (sg.stack === m.stack && refersTo(groups, sg.logicalId)) {
            properties.push(...ingressOf(env, sg).map((p) => ({ name: `${sg.logicalId} ${p.name}`, value: p.value })));
          }
        }
        out.push(evidenceOf(m, properties));
      }
      return out;
    },
  },
  {
    control: 'TEMP-3',
    governs: [FS],
    beyondTemplates:
      'The lifecycle policy is read from the template and enforced by TEMP3-EfsLifecycle. The deletion contract is shown as the '
      + 'orchestration host\'s user-data lines that age files out of the mount (systemd-tmpfiles) and is asserted by the orchestration '
      + 'construct tests; that Airflow tasks delete their files after moving them to the lake is a DAG contract outside the templates.',
    extract: ({ env }) => {
      const out = resourcesOfType(env, FS).map((f) => evidenceOf(f, props(f, ['LifecyclePolicies'])));
      for (const host of resourcesOfType(env, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate')) {
        const path = host.type === 'AWS::EC2::Instance' ? 'UserData' : 'LaunchTemplateData.UserData';
        const lines = userDataLines(host, path, /tmpfiles|\brm\s+-|find\s.*-delete/);
        if (lines.length > 0) out.push(evidenceOf(host, lines));
      }
      return out;
    },
  },
];
