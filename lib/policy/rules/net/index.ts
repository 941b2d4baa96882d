import { EduRule } from '../../rule';
import { allowListEntriesRule } from './allow-list-entries';
import { egressThroughFirewallRule } from './egress-through-firewall';
import { firewallDefaultDropRule } from './firewall-default-drop';
import { noOpenIngressRule } from './no-open-ingress';
import { noPublicIpRule } from './no-public-ip';
import { restrictedEgressRule } from './restricted-egress';
import { s3EndpointPolicyRule } from './s3-endpoint-policy';
import { sshFromAdminNetworksRule } from './ssh-from-admin-networks';
import { vpcEndpointsRule } from './vpc-endpoints';

export const netRules: readonly EduRule[] = [
  noOpenIngressRule,
  sshFromAdminNetworksRule,
  allowListEntriesRule,
  noPublicIpRule,
  vpcEndpointsRule,
  restrictedEgressRule,
  s3EndpointPolicyRule,
  firewallDefaultDropRule,
  egressThroughFirewallRule,
];
