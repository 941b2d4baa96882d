import { cidrsOverlap, parseCidr, ParsedCidr } from '../../constructs/conventions';

/**
 * IPv4 ranges that are never a public source address, so a Snowflake network
 * rule holding one admits nobody (Snowflake sees the public address a
 * connection leaves from: the NAT gateway's, the office firewall's, the VPN
 * concentrator's egress), while suggesting that someone is admitted. Names as
 * in the IANA IPv4 Special-Purpose Address Registry.
 */
export const NON_PUBLIC_IPV4_RANGES: ReadonlyArray<{ readonly cidr: string; readonly name: string }> = [
  { cidr: '0.0.0.0/8', name: '"this network" (RFC 791)' },
  { cidr: '10.0.0.0/8', name: 'private address space (RFC 1918)' },
  { cidr: '100.64.0.0/10', name: 'shared address space for carrier-grade NAT (RFC 6598)' },
  { cidr: '127.0.0.0/8', name: 'loopback (RFC 1122)' },
  { cidr: '169.254.0.0/16', name: 'link-local (RFC 3927)' },
  { cidr: '172.16.0.0/12', name: 'private address space (RFC 1918)' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments (RFC 6890)' },
  { cidr: '192.168.0.0/16', name: 'private address space (RFC 1918)' },
  { cidr: '198.18.0.0/15', name: 'benchmarking (RFC 2544)' },
  { cidr: '224.0.0.0/4', name: 'multicast (RFC 5771)' },
  { cidr: '240.0.0.0/4', name: 'reserved for future use (RFC 1112), including broadcast' },
];

/**
 * Documentation ranges (RFC 5737). They are not routed on the internet either,
 * but the example config uses them as stand-ins for public addresses, so they
 * are allowed and flagged in the script as placeholders to replace.
 */
export const DOCUMENTATION_IPV4_RANGES: readonly string[] = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];

function parsed(cidr: string): ParsedCidr {
  const p = parseCidr(cidr);
  if ('error' in p) throw new Error(`bad built-in range ${cidr}`);
  return p;
}

const NON_PUBLIC = NON_PUBLIC_IPV4_RANGES.map((r) => ({ ...r, parsed: parsed(r.cidr) }));
const DOCUMENTATION = DOCUMENTATION_IPV4_RANGES.map(parsed);

/** The non-public range an IPv4 network overlaps (by name), or undefined when it is public. */
export function nonPublicRangeOf(network: ParsedCidr): { cidr: string; name: string } | undefined {
  if (network.version !== 4) return undefined;
  const hit = NON_PUBLIC.find((r) => cidrsOverlap(r.parsed, network));
  return hit ? { cidr: hit.cidr, name: hit.name } : undefined;
}

/** True when the network lies inside a documentation range. */
export function isDocumentationRange(network: ParsedCidr): boolean {
  return network.version === 4 && DOCUMENTATION.some((d) => d.prefixLength <= network.prefixLength && cidrsOverlap(d, network));
}
