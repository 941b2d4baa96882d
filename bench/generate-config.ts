import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/** One benchmark scenario: how many tenants and allow-list entries the generated config holds. */
export interface ScenarioSize {
  readonly tenants: number;
  readonly allowList: number;
}

/** Kinds cycled through the generated allow-list, so every code path of the AllowList construct runs. */
const KINDS = ['agency', 'agency', 'bi', 'contractor', 'vpn'] as const;

/**
 * VPN pools reach SSH, so their list weighs its capacity against the
 * security-group rule quota (DEPLOY-4): a real deployment has a handful, and
 * so does the benchmark; further VPN slots of the cycle become agency entries.
 */
const MAX_VPN_ENTRIES = 5;

/**
 * A distinct /24 (or /32) for entry `i`: agencies and BI vendors get /24s
 * from 100.64.0.0/10 (carrier-grade NAT space, never routed publicly), VPN
 * pools /24s from 10.128.0.0/9 (outside the example VPCs), contractors /32s
 * from 198.18.0.0/15 (benchmarking range). All unique for i < 16,384.
 */
function cidrFor(i: number, kind: (typeof KINDS)[number]): string {
  if (kind === 'vpn') return `10.${128 + Math.floor(i / 256)}.${i % 256}.0/24`;
  if (kind === 'contractor') return `198.${18 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}/32`;
  return `100.${64 + Math.floor(i / 256)}.${i % 256}.0/24`;
}

/**
 * A valid config with the example's environments, people and secrets and
 * `size.tenants` tenants and `size.allowList` allow-list entries. Agency
 * entries belong to a tenant; contractor entries expire a year after `today`.
 */
export function generateConfig(exampleYaml: string, size: ScenarioSize, today: string): string {
  const base = parse(exampleYaml) as Record<string, unknown>;
  const tenants = Array.from({ length: size.tenants }, (_, i) => ({
    code: `district_${String(i + 1).padStart(3, '0')}`,
    name: `Benchmark School District ${i + 1}`,
  }));
  const expires = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  let vpn = 0;
  const allowList = Array.from({ length: size.allowList }, (_, i) => {
    const cycled = KINDS[i % KINDS.length];
    const kind = cycled === 'vpn' && ++vpn > MAX_VPN_ENTRIES ? 'agency' : cycled;
    const tenant = tenants[i % tenants.length].code;
    return {
      cidr: cidrFor(i, kind),
      kind,
      owner: `Network team ${i + 1} <netops${i + 1}@schools.example>`,
      purpose: `Benchmark entry ${i + 1} (${kind})`,
      ...(kind === 'agency' ? { tenant } : {}),
      ...(kind === 'contractor' ? { expires } : {}),
    };
  });
  // A fixed capacity with headroom per kind, as an operator would set it for lists this long (DEPLOY-4).
  const counts = new Map<string, number>();
  for (const entry of allowList) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  const capacityFor = (n: number): number => Math.min(1000, Math.max(20, Math.ceil((n + 1) / 10) * 10 + 10));
  const prefixListCapacity = Object.fromEntries([...counts].map(([kind, n]) => [kind, kind === 'vpn' ? 20 : capacityFor(n)]));
  const deployment = { ...(base.deployment as Record<string, unknown>), prefixListCapacity };
  return stringify({ ...base, deployment, tenants, allowList }, { lineWidth: 0 });
}

/** The generated config for a scenario, from the example config at `examplePath`. */
export function generateConfigFile(examplePath: string, size: ScenarioSize, today: string): string {
  return generateConfig(readFileSync(examplePath, 'utf8'), size, today);
}
