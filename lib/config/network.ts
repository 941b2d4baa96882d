import { ParsedCidr } from './cidr';

/**
 * The VPC's subnets, as the network stack lays them out (lib/stacks/network-stack.ts
 * uses these masks): one public /26 per zone for the NAT gateways, then one
 * private /22 per zone for the workloads. CDK allocates them in that order, each
 * aligned to its own size, so the VPC must hold the /26s rounded up to a /22
 * boundary plus one /22 per zone: /20 for two or three zones. With the egress
 * firewall on, a /28 per zone for its endpoints follows (appended last, so
 * turning it on moves no existing subnet): /19 for three zones.
 */
export const VPC_SUBNET_MASKS = { nat: 26, workload: 22, firewall: 28 } as const;

/**
 * AWS allows VPC IPv4 blocks from /16 to /28 ("VPC CIDR blocks", Amazon VPC
 * User Guide: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
export const AWS_VPC_PREFIX = { widest: 16, narrowest: 28 } as const;

/** The longest prefix (smallest VPC) that holds the stack's subnets in this many zones. */
export function narrowestVpcPrefix(zones: number, firewall = false): number {
  const nat = zones * 2 ** (32 - VPC_SUBNET_MASKS.nat);
  const block = 2 ** (32 - VPC_SUBNET_MASKS.workload);
  const needed = Math.ceil(nat / block) * block + zones * block + (firewall ? zones * 2 ** (32 - VPC_SUBNET_MASKS.firewall) : 0);
  return 32 - Math.ceil(Math.log2(needed));
}

/** Why this VPC range is refused, or undefined when it fits. */
export function vpcCidrProblem(parsed: ParsedCidr, value: string, zones: number, firewall = false): string | undefined {
  if (parsed.version !== 4) return `${value} is IPv6; a VPC's primary range is IPv4 (AWS assigns IPv6 blocks itself), e.g. 10.20.0.0/16`;
  if (parsed.prefixLength < AWS_VPC_PREFIX.widest) {
    return `${value} is wider than /16, the largest VPC AWS allows (/16 to /28); use e.g. 10.20.0.0/16`;
  }
  const narrowest = narrowestVpcPrefix(zones, firewall);
  if (parsed.prefixLength > narrowest) {
    const firewallSubnet = firewall ? ` and a /${VPC_SUBNET_MASKS.firewall} egress-firewall subnet` : '';
    return `${value} is too small: the network stack needs a /${narrowest} or larger for ${zones} availability zones (a /${VPC_SUBNET_MASKS.nat} NAT subnet, a /${VPC_SUBNET_MASKS.workload} workload subnet${firewallSubnet} per zone); use e.g. 10.20.0.0/${narrowest}`;
  }
  return undefined;
}
