import { cidrShape } from '../../constructs/conventions';
import { CfnTemplate, TemplateResource } from './template';
import { listBranches, stringBranches } from './branches';
import { findingPart } from '../policy/vocabulary';
import { isRecord, referencedLogicalId } from './values';

/**
 * Security-group rules wherever CloudFormation lets them be written: inline
 * on AWS::EC2::SecurityGroup (SecurityGroupIngress / SecurityGroupEgress) or
 * as separate AWS::EC2::SecurityGroupIngress / Egress resources.
 */

/** One rule with the path used in finding IDs (empty for a separate resource). */
export interface LocatedSgRule {
  readonly path: string;
  readonly rule: Record<string, unknown>;
}

/** Inline rules of a security group, or the rule a separate Ingress/Egress resource is. */
export function sgRulesOf(resource: TemplateResource, direction: 'Ingress' | 'Egress'): LocatedSgRule[] {
  const props = resource.Properties ?? {};
  if (resource.Type === `AWS::EC2::SecurityGroup${direction}`) return [{ path: '', rule: props }];
  if (resource.Type !== 'AWS::EC2::SecurityGroup') return [];
  const property = `SecurityGroup${direction}`;
  const written = Array.isArray(props[property]) ? (props[property] as unknown[]) : [props[property]];
  return written.flatMap((entry, index) =>
    listBranches(entry)
      .filter(isRecord)
      .map((rule) => ({ path: `${property}[${index}].`, rule })),
  );
}

/**
 * True for the internet or something close to it: IPv4 shorter than /8
 * (0.0.0.0/0 included), IPv6 shorter than /32 (::/0 included; /32 is a
 * single provider's allocation, anything wider spans providers).
 */
export function isOpenCidr(text: string): boolean {
  const cidr = cidrShape(text);
  if (!cidr) return false;
  return cidr.version === 4 ? cidr.prefixLength < 8 : cidr.prefixLength < 32;
}

/** A CIDR value of a rule as far as it can be read. */
export interface CidrValue {
  /** `CidrIp=0.0.0.0/0`, safe for a finding ID. */
  readonly label: string;
  readonly text: string;
  /** `known`: literal; `internal`: a VPC's own CidrBlock; `unknown`: cannot be read. */
  readonly state: 'known' | 'internal' | 'unknown';
}

/** The CIDRs of the given fields (CidrIp, CidrIpv6, CidrBlock, ...) of one rule. */
export function cidrsOf(rule: Record<string, unknown>, fields: readonly string[], template: CfnTemplate): CidrValue[] {
  return fields.flatMap((field) => {
    if (rule[field] === undefined) return [];
    const ref = referencedLogicalId(rule[field]);
    const refType = ref !== undefined ? template.Resources?.[ref]?.Type : undefined;
    return stringBranches([rule[field]], template).map((b): CidrValue => {
      const label = `${field}=${findingPart(b.text)}`;
      if (refType === 'AWS::EC2::VPC' || refType === 'AWS::EC2::VPCCidrBlock') return { label, text: b.text, state: 'internal' };
      const known = b.unresolved.length === 0 && !b.text.includes('${') && cidrShape(b.text) !== undefined;
      return { label, text: b.text, state: known ? 'known' : 'unknown' };
    });
  });
}

function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The rule's protocol, lower-cased: `-1` (all), `tcp`, `udp`, `icmp`, or a number as text.
 * AWS takes a protocol name (tcp, udp, icmp, icmpv6) or its number, and `-1` for all protocols
 * (AWS::EC2::SecurityGroup Ingress, IpProtocol:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-securitygroup-ingress.html);
 * `6` is TCP and `17` UDP, and a name is read in any case, so `TCP`, `tcp` and `6` mean one thing.
 */
export function protocolOf(rule: Record<string, unknown>): string {
  const p = String(rule.IpProtocol ?? '').trim().toLowerCase();
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === 'all') return '-1';
  return p;
}

/**
 * True if the rule lets traffic reach the TCP port: an all-protocol rule, or
 * a TCP rule whose range holds the port. AWS requires a port range for TCP
 * ("If the protocol is TCP or UDP, you must also specify a port or port
 * range", same page), so a TCP rule missing FromPort or ToPort, or with a
 * port that cannot be read, cannot be bounded and is read as open: the gate
 * and the evidence report never call such a port closed. The one answer for
 * the rules (EC2-1, NET-2) and the evidence report alike.
 */
export function coversTcpPort(rule: Record<string, unknown>, port: number): boolean {
  const protocol = protocolOf(rule);
  if (protocol === '-1') return true;
  if (protocol !== 'tcp') return false;
  const from = portNumber(rule.FromPort);
  const to = portNumber(rule.ToPort);
  if (from === undefined || to === undefined) return true;
  if (from === -1 || to === -1) return true;
  return from <= port && port <= to;
}

/** True if the rule allows every protocol, or every TCP or UDP port. */
export function isAllTraffic(rule: Record<string, unknown>): boolean {
  const protocol = protocolOf(rule);
  if (protocol === '-1') return true;
  if (protocol !== 'tcp' && protocol !== 'udp') return false;
  const from = portNumber(rule.FromPort);
  const to = portNumber(rule.ToPort);
  if (from === undefined || to === undefined) return true;
  return (from <= 1 || from === -1) && (to >= 65535 || to === -1);
}
