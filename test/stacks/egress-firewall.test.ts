/**
 * NET-4, optional egress firewall: off in the example (no Network Firewall
 * resource, no subnet moved), and when an environment turns it on, every
 * private subnet's internet route runs through a firewall endpoint in the
 * zone of its NAT gateway, and the NAT's return route runs back through it.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MAX_ALLOWED_DOMAINS } from '../../constructs/egress-firewall';
import { MAX_EGRESS_DOMAINS } from '../../lib/config/schema';
import { buildStages, exampleConfig, templateOf } from '../support/example-app';

type Json = Record<string, unknown>;

const DOMAINS = ['.snowflakecomputing.com', 'api.edfi.riverside.example.org'];

function withFirewall(): { prod: Template; dev: Template } {
  const config = exampleConfig();
  const environments = config.environments.map((e) => ({ ...e, egressFirewall: { allowedDomains: DOMAINS } }));
  const stages = buildStages({ ...config, environments });
  return { prod: templateOf(stages.prod.network), dev: templateOf(stages.dev.network) };
}

const { prod, dev } = withFirewall();
const example = buildStages();

const resources = (t: Template, type: string): Array<[string, Json]> => Object.entries(t.findResources(type)) as Array<[string, Json]>;
const props = (r: Json): Json => r.Properties as Json;

test('off by default: the example has no Network Firewall resource and the same subnets', () => {
  for (const stage of Object.values(example)) {
    const t = templateOf(stage.network);
    for (const type of ['AWS::NetworkFirewall::Firewall', 'AWS::NetworkFirewall::FirewallPolicy', 'AWS::NetworkFirewall::RuleGroup']) {
      t.resourceCountIs(type, 0);
    }
  }
  // Turning it on appends the firewall subnets: the existing ranges stay where they were.
  const cidrs = (t: Template): string[] => resources(t, 'AWS::EC2::Subnet').map(([, r]) => props(r).CidrBlock as string);
  const before = cidrs(templateOf(example.prod.network));
  const after = cidrs(prod);
  expect(after.filter((c) => before.includes(c)).sort()).toEqual([...before].sort());
  expect(after.filter((c) => !before.includes(c)).every((c) => c.endsWith('/28'))).toBe(true);
});

test('one firewall per NAT gateway, each in its own firewall subnet, sharing one default-drop policy', () => {
  prod.resourceCountIs('AWS::EC2::NatGateway', 2);
  prod.resourceCountIs('AWS::NetworkFirewall::Firewall', 2);
  dev.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
  for (const [, fw] of resources(prod, 'AWS::NetworkFirewall::Firewall')) {
    expect(props(fw).SubnetMappings).toHaveLength(1);
  }
  const [[, policy]] = resources(prod, 'AWS::NetworkFirewall::FirewallPolicy');
  const p = props(policy).FirewallPolicy as Json;
  expect(p.StatefulDefaultActions).toEqual(['aws:drop_established', 'aws:alert_established']);
  expect(p.StatelessDefaultActions).toEqual(['aws:forward_to_sfe']);
  expect(p.StatelessFragmentDefaultActions).toEqual(['aws:forward_to_sfe']);
  expect((p.StatefulEngineOptions as Json).RuleOrder).toBe('STRICT_ORDER');
});

test('the rule group passes only the configured domains plus what the host\'s boot needs (dnf mirror list, cfn-signal)', () => {
  const [[, group]] = resources(prod, 'AWS::NetworkFirewall::RuleGroup');
  const source = ((props(group).RuleGroup as Json).RulesSource as Json).RulesSourceList as Json;
  expect(source.GeneratedRulesType).toBe('ALLOWLIST');
  expect(source.Targets).toEqual(['cdn.amazonlinux.com', 'cloudformation.us-east-1.amazonaws.com', ...DOMAINS]);
  expect(props(group).Capacity).toBe(1000);
});

test('every private subnet routes 0.0.0.0/0 to a firewall endpoint, never straight to a NAT gateway', () => {
  const routes = resources(prod, 'AWS::EC2::Route').map(([id, r]) => ({ id, ...props(r) }) as Json & { id: string });
  const firewallIds = resources(prod, 'AWS::NetworkFirewall::Firewall').map(([id]) => id);
  const workloadDefaults = routes.filter((r) => r.id.includes('workloadSubnet') && r.DestinationCidrBlock === '0.0.0.0/0');
  expect(workloadDefaults).toHaveLength(2);
  for (const route of workloadDefaults) {
    expect(route.NatGatewayId).toBeUndefined();
    expect(JSON.stringify(route.VpcEndpointId)).toMatch(new RegExp(firewallIds.join('|')));
  }
  // The firewall subnets go on to the NAT gateways, and the NAT subnets route each workload range back through the firewall.
  const toNat = routes.filter((r) => r.id.includes('ToNat'));
  expect(toNat).toHaveLength(2);
  for (const route of toNat) expect(route.NatGatewayId).toBeDefined();
  const returns = routes.filter((r) => r.id.includes('Return'));
  const workloadCidrs = resources(prod, 'AWS::EC2::Subnet')
    .filter(([id]) => id.includes('workload'))
    .map(([, s]) => props(s).CidrBlock);
  expect(returns.map((r) => r.DestinationCidrBlock).sort()).toEqual([...workloadCidrs].sort());
});

test('dropped connections are logged to a sanitized, encrypted log group', () => {
  const [[, logging]] = resources(dev, 'AWS::NetworkFirewall::LoggingConfiguration');
  const destination = ((props(logging).LoggingConfiguration as Json).LogDestinationConfigs as Json[])[0];
  expect(destination).toMatchObject({ LogType: 'ALERT', LogDestinationType: 'CloudWatchLogs' });
  dev.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/riverside/dev/egress-firewall-alerts', KmsKeyId: Match.anyValue() });
});

test('the config limit equals the construct limit', () => {
  expect(MAX_EGRESS_DOMAINS).toBe(MAX_ALLOWED_DOMAINS);
});
