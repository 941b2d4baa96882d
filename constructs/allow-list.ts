import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import {
  ADMIN_NETWORK_KINDS,
  ALLOW_LIST_KINDS,
  AllowListKind,
  entryDescription,
  isIsoDate,
  isoToday,
  MAX_ENTRY_DESCRIPTION_LENGTH,
  MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST,
  DEFAULT_PREFIX_LIST_CAPACITY,
  parseCidr,
  TAG,
} from './conventions';

/** TCP port of SSH, which only {@link ADMIN_NETWORK_KINDS} may reach. */
const SSH_PORT = 22;

/** IP version of a managed prefix list; AWS requires one per list. */
export type PrefixListAddressFamily = 'IPv4' | 'IPv6';

/** One network that may reach the platform. */
export interface AllowListNetwork {
  /** IPv4 or IPv6 network in CIDR notation with host bits zero, e.g. `198.51.100.0/24`. */
  readonly cidr: string;
  /** What the network is; each kind becomes its own prefix lists so rules can admit kinds selectively. */
  readonly kind: AllowListKind;
  /** Who answers for the network (NET-2), e.g. `Riverside ISD IT <it@riverside.example>`. */
  readonly owner: string;
  /** Why the network needs access (NET-2). */
  readonly purpose: string;
  /**
   * Last day (inclusive, `YYYY-MM-DD`) the entry is valid. Required for contractors (NET-2).
   * @default - no expiry (not allowed for contractors)
   */
  readonly expires?: string;
  /**
   * The tenant_code whose network this is, when it belongs to one (TENANT-1).
   * @default - shared by all tenants
   */
  readonly tenant?: string;
}

/** Properties of an {@link AllowList}. */
export interface AllowListProps {
  /** The networks to admit. Each is checked again here even when the config loader already did. */
  readonly entries: readonly AllowListNetwork[];
  /** Start of every prefix list name, e.g. `riverside-prod`. */
  readonly namePrefix: string;
  /**
   * The date against which expiry is judged, `YYYY-MM-DD`.
   * @default - today's date in UTC
   */
  readonly today?: string;
  /**
   * MaxEntries of every prefix list, or per kind. A list's entries must stay
   * below it (headroom), so a later change of entries never has to resize the
   * list in the same update: ModifyManagedPrefixList refuses to change entries
   * and MaxEntries in one request ("You cannot modify the entries of a prefix
   * list and modify the size of a prefix list at the same time", EC2 API
   * Reference, ModifyManagedPrefixList), and CloudFormation's
   * AWS::EC2::PrefixList update fails, and fails its rollback, on exactly that.
   * A fixed number, not one derived from the entry count, so adding an entry
   * never changes the size. Each security-group rule that references a list
   * counts MaxEntries rules against the rules-per-security-group quota
   * (Amazon VPC User Guide, "Amazon VPC quotas", prefix lists), so keep it small
   * for kinds that reach a security group.
   * @default DEFAULT_PREFIX_LIST_CAPACITY (20) for every kind
   */
  readonly capacity?: number | Partial<Record<AllowListKind, number>>;
}

/** A managed prefix list the allow-list created. */
export interface AllowListPrefixList {
  /** The prefix list ID (a token until deployment). */
  readonly prefixListId: string;
  /** Its IP version. */
  readonly addressFamily: PrefixListAddressFamily;
  /** Its size; security-group rules referencing it count this many rules against the quota. */
  readonly maxEntries: number;
  /** Its name. */
  readonly prefixListName: string;
}

/** AWS allows at most 1000 entries per managed prefix list (Amazon VPC quotas). */
export const MAX_ENTRIES_PER_PREFIX_LIST = 1000;

interface CheckedEntry {
  readonly entry: AllowListNetwork;
  readonly cidr: string;
  readonly family: PrefixListAddressFamily;
}

/**
 * Managed prefix lists built from allow-list entries (NET-1, NET-2): one set
 * per kind and IP version (one list per 100 entries, CloudFormation's limit
 * per list), each entry described with its owner, purpose and
 * expiry. Open ranges, contractors without an end date and expired entries
 * are refused here as well as in the config loader, so a construct used
 * directly cannot open what the config would have refused.
 */
export class AllowList extends Construct {
  private readonly lists = new Map<AllowListKind, AllowListPrefixList[]>();

  constructor(scope: Construct, id: string, props: AllowListProps) {
    super(scope, id);
    const today = props.today ?? isoToday();
    if (!isIsoDate(today)) {
      throw new Error(`AllowList ${this.node.path}: today "${today}" is not a date written YYYY-MM-DD`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(props.namePrefix) || props.namePrefix.toLowerCase().startsWith('com.amazonaws')) {
      throw new Error(`AllowList ${this.node.path}: namePrefix "${props.namePrefix}" must be letters, digits and hyphens, e.g. riverside-prod`);
    }

    const checked = props.entries.map((entry, index) => this.check(entry, index, today));
    const firstIndex = new Map<string, number>();
    checked.forEach((c, index) => {
      const key = `${c.entry.kind} ${c.cidr}`;
      const earlier = firstIndex.get(key);
      if (earlier !== undefined) {
        // AWS rejects a prefix list that names the same network twice.
        throw new Error(
          `AllowList ${this.node.path}: entry ${index} (${c.entry.cidr}, ${c.entry.kind}) repeats entry ${earlier}; merge the two into one entry`,
        );
      }
      firstIndex.set(key, index);
    });

    for (const kind of ALLOW_LIST_KINDS) {
      const capacity = this.capacityOf(kind, props.capacity);
      const created: AllowListPrefixList[] = [];
      for (const family of ['IPv4', 'IPv6'] as const) {
        const members = checked.filter((c) => c.entry.kind === kind && c.family === family);
        if (members.length === 0) continue;
        // CloudFormation takes at most 100 entries per list in a template: more of one kind go into further lists,
        // each with the kind's capacity, in config order (MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST).
        const chunks: CheckedEntry[][] = [];
        for (let i = 0; i < members.length; i += MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST) chunks.push(members.slice(i, i + MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST));
        if (chunks[0].length >= capacity) {
          // Entries equal to MaxEntries leave no headroom: the next addition would have to
          // resize and change entries in one update, which AWS refuses (DEPLOY-4).
          throw new Error(
            `AllowList ${this.node.path}: ${members.length} ${kind} ${family} entries need a capacity above ${chunks[0].length}, ` +
              `but the ${kind} prefix list holds ${capacity} (DEPLOY-4); raise the capacity in a deploy of its own, then add the entries`,
          );
        }
        chunks.forEach((chunk, i) => {
          // The first list keeps the name and construct ID it always had, so deployed lists are not replaced.
          const prefixListName = `${props.namePrefix}-${kind}-${family.toLowerCase()}${i === 0 ? '' : `-${i + 1}`}`;
          const tenants = new Set(chunk.map((c) => c.entry.tenant));
          const [onlyTenant] = [...tenants];
          const tags: { key: string; value: string }[] = [{ key: TAG.allowListKind, value: kind }];
          if (tenants.size === 1 && onlyTenant) tags.push({ key: TAG.tenantCode, value: onlyTenant });
          const list = new ec2.CfnPrefixList(this, `${kind}-${family.toLowerCase()}-${i + 1}`, {
            prefixListName,
            addressFamily: family,
            maxEntries: capacity,
            entries: chunk.map((c) => ({ cidr: c.cidr, description: entryDescription(c.entry) })),
            tags,
          });
          created.push({ prefixListId: list.attrPrefixListId, addressFamily: family, maxEntries: capacity, prefixListName });
        });
      }
      this.lists.set(kind, created);
    }
  }

  private capacityOf(kind: AllowListKind, capacity: AllowListProps['capacity']): number {
    const value = typeof capacity === 'number' ? capacity : (capacity?.[kind] ?? DEFAULT_PREFIX_LIST_CAPACITY);
    if (!Number.isInteger(value) || value < 2 || value > MAX_ENTRIES_PER_PREFIX_LIST) {
      throw new Error(`AllowList ${this.node.path}: capacity of the ${kind} prefix lists is ${value}; use a whole number from 2 to ${MAX_ENTRIES_PER_PREFIX_LIST}`);
    }
    return value;
  }

  /** The prefix lists holding the entries of one kind (empty when the kind has none). */
  public prefixLists(kind: AllowListKind): AllowListPrefixList[] {
    return [...(this.lists.get(kind) ?? [])];
  }

  /**
   * Admits the networks of the given kinds to a security group on one port:
   * one ingress rule per prefix list. Kinds without entries add nothing (the
   * port stays closed to them) and leave a warning on the construct tree.
   * A port range that includes SSH admits only {@link ADMIN_NETWORK_KINDS}
   * (NET-1). Returns the weight of the rules added: each counts its list's
   * MaxEntries against the rules-per-security-group quota.
   */
  public allowFrom(securityGroup: ec2.ISecurityGroup, port: ec2.Port, kinds: readonly AllowListKind[], description: string): number {
    if (kinds.length === 0) {
      throw new Error(`AllowList ${this.node.path}: allowFrom needs at least one kind (${ALLOW_LIST_KINDS.join(', ')})`);
    }
    const range = port.toRuleJson() as { ipProtocol?: string; fromPort?: number; toPort?: number };
    const reachesSsh =
      range.ipProtocol === '-1' || (range.ipProtocol === 'tcp' && (range.fromPort ?? 0) <= SSH_PORT && SSH_PORT <= (range.toPort ?? 65535));
    const notAdmin = kinds.filter((k) => !ADMIN_NETWORK_KINDS.includes(k));
    if (reachesSsh && notAdmin.length > 0) {
      throw new Error(
        `AllowList ${this.node.path}: "${description}" would let ${notAdmin.join(', ')} networks reach SSH (port ${SSH_PORT}); ` +
          `SSH is only for administrator networks (${ADMIN_NETWORK_KINDS.join(', ')}) (NET-1)`,
      );
    }
    let added = 0;
    for (const kind of new Set(kinds)) {
      const lists = this.prefixLists(kind);
      if (lists.length === 0) {
        Annotations.of(this).addWarningV2(
          `edu-baseline:allowList:noEntries:${kind}`,
          `No ${kind} entries: "${description}" admits no ${kind} network`,
        );
      }
      for (const list of lists) {
        securityGroup.addIngressRule(ec2.Peer.prefixList(list.prefixListId), port, `${description} (${list.prefixListName})`);
        added += list.maxEntries;
      }
    }
    return added;
  }

  private check(entry: AllowListNetwork, index: number, today: string): CheckedEntry {
    const where = `AllowList ${this.node.path}: entry ${index} (${entry.cidr}, ${entry.kind})`;
    if (!(ALLOW_LIST_KINDS as readonly string[]).includes(entry.kind)) {
      throw new Error(`${where}: kind must be one of ${ALLOW_LIST_KINDS.join(', ')}`);
    }
    const parsed = parseCidr(entry.cidr);
    if ('error' in parsed) {
      throw new Error(`${where}: ${parsed.error}`);
    }
    if (parsed.prefixLength === 0) {
      throw new Error(`${where}: ${entry.cidr} opens access to the whole internet (NET-1); list the specific network of the agency, contractor or VPN instead`);
    }
    if (parsed.version === 4 && parsed.prefixLength < 8) {
      throw new Error(`${where}: ${entry.cidr} is wider than /8 (NET-1); name the specific network with a prefix of /8 or longer`);
    }
    if (parsed.version === 6 && parsed.prefixLength < 16) {
      throw new Error(`${where}: ${entry.cidr} is wider than /16 (NET-1); name the specific network with a prefix of /16 or longer`);
    }
    if (!entry.owner?.trim()) {
      throw new Error(`${where}: owner is empty (NET-2); name who answers for this network, e.g. "Riverside ISD IT <it@riverside.example>"`);
    }
    if (!entry.purpose?.trim()) {
      throw new Error(`${where}: purpose is empty (NET-2); say why this network needs access`);
    }
    if (entry.expires !== undefined && !isIsoDate(entry.expires)) {
      throw new Error(`${where}: expires "${entry.expires}" is not a date written YYYY-MM-DD, e.g. 2027-06-30`);
    }
    if (entry.kind === 'contractor' && !entry.expires) {
      throw new Error(`${where}: contractor entries need an expiry date (NET-2); set expires to the last day of the contract, e.g. 2027-06-30`);
    }
    if (entry.expires && entry.expires < today) {
      throw new Error(`${where}: expired on ${entry.expires} (today is ${today}) (NET-2); remove the entry, or extend expires if the relationship has been renewed`);
    }
    const fixedLength = entryDescription({ ...entry, purpose: '' }).length;
    if (fixedLength > MAX_ENTRY_DESCRIPTION_LENGTH) {
      throw new Error(`${where}: owner is too long for a prefix-list description (${MAX_ENTRY_DESCRIPTION_LENGTH} characters with expiry and tenant); shorten the owner`);
    }
    return { entry, cidr: parsed.cidr, family: parsed.version === 4 ? 'IPv4' : 'IPv6' };
  }
}
