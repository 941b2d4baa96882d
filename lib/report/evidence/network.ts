import { resourcesOfType } from '../cloud-assembly';
import { ingressOf, renderRule } from './temp';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props, refersTo, renderValue } from './values';

const SG = 'AWS::EC2::SecurityGroup';
const PREFIX_LIST = 'AWS::EC2::PrefixList';

/** Prefix-list entries: the CIDRs (NET-1), or each CIDR with its owner/purpose/expiry description (NET-2). */
function entries(value: unknown, described: boolean): EvidenceProperty[] {
  if (!Array.isArray(value)) return [{ name: 'Entries', value: renderValue(value) }];
  return value.map((e, i) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    if (!described) return { name: `Entries[${i}].Cidr`, value: renderValue(entry.Cidr) };
    return { name: `Entries[${i}] ${renderValue(entry.Cidr)}`, value: entry.Description === undefined ? '(no description)' : renderValue(entry.Description) };
  });
}

export const networkExtractors: readonly ControlExtractor[] = [
  {
    control: 'NET-1',
    governs: [SG, 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry'],
    extract: ({ env }) => [
      ...resourcesOfType(env, SG).map((sg) => {
        const rules = ingressOf(env, sg);
        return evidenceOf(sg, rules.length ? rules : [{ name: 'Ingress', value: 'none' }]);
      }),
      ...resourcesOfType(env, PREFIX_LIST).map((pl) => evidenceOf(pl, [...props(pl, ['PrefixListName']), ...entries(pl.resource.Properties?.Entries, false)])),
    ],
  },
  {
    control: 'NET-2',
    governs: [PREFIX_LIST],
    beyondTemplates: 'Expiry is judged when the config is loaded, before any template exists: an expired contractor entry stops synthesis, so it can never reach a template.',
    extract: ({ env }) => resourcesOfType(env, PREFIX_LIST).map((pl) => evidenceOf(pl, [...props(pl, ['PrefixListName']), ...entries(pl.resource.Properties?.Entries, true)])),
  },
  {
    control: 'NET-3',
    governs: ['AWS::EC2::Subnet', 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::EC2::VPC'],
    extract: ({ env }) => [
      ...resourcesOfType(env, 'AWS::EC2::Subnet').map((s) => evidenceOf(s, props(s, ['MapPublicIpOnLaunch', 'CidrBlock']))),
      ...resourcesOfType(env, 'AWS::EC2::Instance').map((i) => evidenceOf(i, props(i, ['NetworkInterfaces[0].AssociatePublicIpAddress', 'NetworkInterfaces[0].SubnetId', 'SubnetId']).filter((p) => p.value !== '(not set)'))),
      ...resourcesOfType(env, 'AWS::EC2::LaunchTemplate').map((t) => evidenceOf(t, props(t, ['LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress']))),
      ...resourcesOfType(env, 'AWS::EC2::VPCEndpoint').map((e) => evidenceOf(e, props(e, ['ServiceName', 'VpcEndpointType', 'PrivateDnsEnabled']))),
    ],
  },
  {
    control: 'NET-4',
    governs: [SG, 'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::VPCEndpoint'],
    extract: ({ env }) => [
      ...resourcesOfType(env, SG).map((sg) => {
        const out: EvidenceProperty[] = [];
        const inline = sg.resource.Properties?.SecurityGroupEgress;
        if (Array.isArray(inline)) inline.forEach((rule, i) => out.push({ name: `SecurityGroupEgress[${i}]`, value: renderRule(rule) }));
        else out.push({ name: 'SecurityGroupEgress', value: inline === undefined ? '(not set: CloudFormation default allows all outbound)' : renderValue(inline) });
        for (const r of env.resources) {
          if (r.type === 'AWS::EC2::SecurityGroupEgress' && r.stack === sg.stack && refersTo(r.resource.Properties?.GroupId, sg.logicalId)) {
            out.push({ name: `${r.logicalId} (AWS::EC2::SecurityGroupEgress)`, value: renderRule(r.resource.Properties) });
          }
        }
        return evidenceOf(sg, out);
      }),
      // The endpoint policies: which buckets and accounts the VPC's AWS traffic may reach.
      ...resourcesOfType(env, 'AWS::EC2::VPCEndpoint').map((e) => {
        const doc = e.resource.Properties?.PolicyDocument as { Statement?: unknown } | undefined;
        const statements = Array.isArray(doc?.Statement) ? (doc.Statement as Record<string, unknown>[]) : [];
        return evidenceOf(e, [
          ...props(e, ['ServiceName']),
          ...(doc === undefined
            ? [{ name: 'PolicyDocument', value: '(not set: the endpoint admits every resource of the service)' }]
            : statements.map((st, i) => ({
                name: `PolicyDocument.Statement[${i}]`,
                value: `${renderValue(st.Effect)} ${renderValue(st.Action)} on ${renderValue(st.Resource)}${st.Condition === undefined ? '' : ` if ${JSON.stringify(st.Condition)}`}`,
              }))),
        ]);
      }),
    ],
  },
];
