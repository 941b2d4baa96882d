import { isIPv4, isIPv6 } from 'node:net';

/**
 * The conventions the constructs write and everything else reads: the
 * allow-list kinds, the tag keys, the allow-list entry description format,
 * CIDR and ISO-date parsing. One module for the constructs, the config
 * schema and validator, the policy rules and the evidence report, so that what
 * a construct writes and what a rule reads cannot drift apart. It imports
 * nothing from lib/ (constructs never do).
 */

/** The kinds of network the platform admits (NET-1); each becomes its own prefix lists. */
export const ALLOW_LIST_KINDS = ['agency', 'orchestration', 'bi', 'contractor', 'vpn', 'admin'] as const;
export type AllowListKind = (typeof ALLOW_LIST_KINDS)[number];

/**
 * The administrator networks: the only kinds that may reach SSH (NET-1).
 * Agency, BI, contractor and orchestration entries serve the warehouse
 * network policy and never reach the VPC's hosts.
 */
export const ADMIN_NETWORK_KINDS: readonly AllowListKind[] = ['vpn', 'admin'];

/** Tag keys the baseline writes; the policy rules (e.g. TENANT-1, IAM-4) and the evidence report read them. */
export const TAG = {
  environment: 'environment',
  production: 'production',
  deployment: 'deployment',
  dataClassification: 'data_classification',
  tenantCode: 'tenant_code',
  /** On a prefix list: the kind of network it holds. */
  allowListKind: 'kind',
} as const;

/** A date written `YYYY-MM-DD` that exists on the calendar. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * The CDK context key (`-c today=YYYY-MM-DD`) that sets the date allow-list
 * expiry is judged against: by the config validator, the AllowList construct
 * and NET2-AllowListEntries alike, so a synth "as of" a date is judged as of
 * that date everywhere.
 */
export const TODAY_CONTEXT_KEY = 'today';

/** Today (UTC) as `YYYY-MM-DD`. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** MaxEntries of a prefix list unless the props say otherwise: room for 19 networks of one kind and IP version. */
export const DEFAULT_PREFIX_LIST_CAPACITY = 20;

/**
 * Entries one AWS::EC2::PrefixList can carry in a CloudFormation template
 * (CloudFormation template reference, AWS::EC2::PrefixList, Entries:
 * "Maximum: 100"; CloudFormation's schema check F3032 refuses more, and with
 * `@aws-cdk/core:validateAgainstDefaultRules` so does the synth). A list may
 * still be larger (MaxEntries up to 1000); more entries of one kind go into
 * further lists.
 */
export const MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST = 100;

/** How many prefix lists `count` entries of one kind and IP version need: one per MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST. */
export function prefixListsFor(count: number): number {
  return Math.ceil(count / MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST);
}

/** Upper bound AWS sets on a prefix-list entry description. */
export const MAX_ENTRY_DESCRIPTION_LENGTH = 255;

/** What an allow-list entry description records. */
export interface EntryDescriptionFields {
  readonly owner: string;
  readonly purpose: string;
  readonly expires?: string;
  readonly tenant?: string;
}

/**
 * The allow-list entry description format: `key=value` pairs separated by
 * `; `, owner and expiry whole, purpose shortened when the 255-character
 * limit demands, e.g. `owner=district-it; expires=2026-06-30; purpose=sftp-drop`.
 * `expires=YYYY-MM-DD` is a fixed token so that NET2-AllowListEntries and
 * reviewers can find the expiry of any entry in a deployed list.
 */
export function entryDescription(entry: EntryDescriptionFields): string {
  const fixed = [`owner=${entry.owner.trim()}`];
  if (entry.expires) fixed.push(`expires=${entry.expires}`);
  if (entry.tenant) fixed.push(`tenant=${entry.tenant}`);
  const head = fixed.join('; ');
  const purposeLabel = '; purpose=';
  const purpose = entry.purpose.trim();
  const room = MAX_ENTRY_DESCRIPTION_LENGTH - head.length - purposeLabel.length;
  if (purpose.length <= room) return `${head}${purposeLabel}${purpose}`;
  const ellipsis = '...';
  if (room < ellipsis.length + 1) return `${head}${purposeLabel}${purpose.slice(0, Math.max(0, room))}`;
  return `${head}${purposeLabel}${purpose.slice(0, room - ellipsis.length).trimEnd()}${ellipsis}`;
}

/**
 * One field of an entry description. Read leniently (pairs separated by `;`,
 * `,` or spaces, keys in any case) so hand-written lists are read too.
 */
export function entryDescriptionField(description: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[;,\\s])${key}=([^;,\\s]+)`, 'i').exec(description);
  return match ? match[1] : undefined;
}

/*
 * Hand-written on node:net's address validation rather than a CIDR library:
 * the config needs only parsing, the canonical text form (host bits zero,
 * IPv6 compressed) and the network as a bigint for the overlap sweep in
 * validate.ts. A library such as ipaddr.js would be the choice if range
 * classes (private, reserved, ...) become config rules.
 */

/** A parsed network: the canonical text form, its IP version and prefix length. */
export interface ParsedCidr {
  readonly cidr: string;
  readonly version: 4 | 6;
  readonly prefixLength: number;
  /** The network address as a bigint, for overlap checks. */
  readonly network: bigint;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) + BigInt(parseInt(part || '0', 16)), 0n);
}

/**
 * The IP version and prefix length of `address/prefix` text with a valid
 * address and an in-range prefix, host bits allowed (a template may write
 * them; the policy rules judge the range such a CIDR opens), else undefined.
 */
export function cidrShape(value: string): { readonly version: 4 | 6; readonly prefixLength: number } | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(value.trim());
  if (!match) return undefined;
  const version = isIPv4(match[1]) ? 4 : isIPv6(match[1]) && !match[1].includes('.') ? 6 : undefined;
  const prefixLength = Number(match[2]);
  if (version === undefined || prefixLength > (version === 4 ? 32 : 128)) return undefined;
  return { version, prefixLength };
}

/**
 * Parses an IPv4 or IPv6 network in CIDR notation. Host bits must be zero so
 * that what a reviewer reads is exactly the range that is opened.
 */
export function parseCidr(value: string): ParsedCidr | { error: string } {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(value.trim());
  if (!match) {
    return { error: `"${value}" is not a network in CIDR notation; write it as address/prefix, e.g. 203.0.113.0/24` };
  }
  const [, address, prefixText] = match;
  const prefixLength = Number(prefixText);
  let version: 4 | 6;
  let network: bigint;
  let bits: number;
  if (isIPv4(address)) {
    version = 4;
    bits = 32;
    network = ipv4ToBigInt(address);
  } else if (isIPv6(address) && !address.includes('.')) {
    version = 6;
    bits = 128;
    network = ipv6ToBigInt(address);
  } else {
    return { error: `"${value}" does not start with a valid IPv4 or IPv6 address; write it as address/prefix, e.g. 203.0.113.0/24` };
  }
  if (prefixLength > bits) {
    return { error: `"${value}" has prefix /${prefixLength}, but an IPv${version} prefix is at most /${bits}` };
  }
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  if ((network & hostMask) !== 0n) {
    const canonical = formatNetwork(network & ~hostMask, version, prefixLength);
    return { error: `"${value}" has host bits set; the network it names is ${canonical}, write that instead` };
  }
  return { cidr: formatNetwork(network, version, prefixLength), version, prefixLength, network };
}

function formatNetwork(network: bigint, version: 4 | 6, prefixLength: number): string {
  if (version === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => Number((network >> shift) & 0xffn));
    return `${octets.join('.')}/${prefixLength}`;
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((network >> shift) & 0xffffn).toString(16));
  }
  // Compress the longest run of zero groups, as RFC 5952 asks.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text =
    bestStart < 0
      ? groups.join(':')
      : `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
  return `${text}/${prefixLength}`;
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  if (a.version !== b.version) return false;
  const bits = a.version === 4 ? 32 : 128;
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - shorter)) - 1n);
  return (a.network & mask) === (b.network & mask);
}
