import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBlocking } from '../policy/findings';
import { portablePath } from '../paths';
import { productVersion } from '../version';
import { CloudAssemblyView } from './cloud-assembly';

/**
 * Provenance of the evidence: what produced it (product, library and rule-pack
 * versions, the config file's digest, the git commit) and which bytes it
 * describes (the sha256 of every template, side file and the validation
 * report of the cloud assembly), so an auditor can re-run the synthesis and
 * compare, and `edu-baseline report --verify` can tell whether a cdk.out is
 * still the one the evidence describes.
 *
 * Facts that only the synthesis knows (the config file, the commit, the
 * gate's verdict) are written into the cloud assembly as {@link SYNTH_RECORD_FILE}
 * by {@link writeSynthRecord}; `edu-baseline report` copies them from there.
 */

/** The file in cdk.out that records what the synthesis knew. */
export const SYNTH_RECORD_FILE = 'edu-baseline-synth.json';

/** Versions of what produced the templates and judged them. */
export interface ToolVersions {
  readonly 'edu-security-baseline': string;
  readonly 'aws-cdk-lib': string;
  readonly 'cdk-nag': string;
  /**
   * The AWS Control Tower proactive-control rules run by the gate ship inside
   * `@cdklabs/cdk-validator-cfnguard`; its version names the rule pack.
   */
  readonly 'control-tower-rules': string;
  /** The cfn-guard release that package bundles (its guard-version.json). */
  readonly 'cfn-guard': string;
}

/** A file of the cloud assembly and its digest. */
export interface FileDigest {
  /** Relative to the cloud assembly directory, `/`-separated. */
  readonly path: string;
  readonly sha256: string;
}

/** The gate's verdict on the synthesis. */
export type GateVerdictValue = 'passed' | 'failed' | 'not run';

/** What the synthesis recorded in {@link SYNTH_RECORD_FILE}. */
export interface SynthRecord {
  readonly tools: ToolVersions;
  /** When the synthesis ran (ISO 8601 UTC; SOURCE_DATE_EPOCH applies). */
  readonly synthesizedAt: string;
  /** The config file as the user named it (relative, or its base name when outside the working directory), and its sha256. */
  readonly config: { readonly path: string; readonly sha256: string } | null;
  /** The git commit of the working directory, and whether tracked files differed from it; null outside a git repository. */
  readonly git: { readonly commit: string; readonly dirty: boolean } | null;
  /** The gate's verdict; null when the synthesis did not judge (the report then reads it from the validation report). */
  readonly verdict: GateVerdictValue | null;
  /** The digests of the assembly as the synthesis left it: a record whose files changed since describes other bytes and is not used. */
  readonly digests?: readonly FileDigest[];
}

/** The provenance section of evidence.json. */
export interface Provenance {
  /** True when the facts below came from the synthesis' own record; false when the report had to infer them. */
  readonly recordedAtSynth: boolean;
  readonly synthesizedAt: string | null;
  readonly tools: ToolVersions;
  readonly config: SynthRecord['config'];
  readonly git: SynthRecord['git'];
  readonly verdict: { readonly value: GateVerdictValue; readonly source: 'synthesis' | 'validation report' };
  /** Every template, side file and the validation report of the assembly, sorted by path. */
  readonly digests: readonly FileDigest[];
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function packageVersion(name: string, file = 'package.json'): string {
  try {
    const json = JSON.parse(readFileSync(require.resolve(`${name}/${file}`), 'utf8')) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The versions of this installation. */
export function toolVersions(): ToolVersions {
  return {
    'edu-security-baseline': productVersion(),
    'aws-cdk-lib': packageVersion('aws-cdk-lib'),
    'cdk-nag': packageVersion('cdk-nag'),
    'control-tower-rules': `@cdklabs/cdk-validator-cfnguard ${packageVersion('@cdklabs/cdk-validator-cfnguard')}`,
    'cfn-guard': packageVersion('@cdklabs/cdk-validator-cfnguard', 'guard-version.json'),
  };
}

/**
 * The commit checked out in `dir`, or null when `dir` is not in a git
 * repository or git is not installed. git runs with an argument vector, never
 * through a shell, so no path or name can be read as a command.
 */
export function gitCommit(dir: string): SynthRecord['git'] {
  const git = (args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  try {
    const commit = git(['rev-parse', '--verify', 'HEAD']);
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return null;
    return { commit, dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return null;
  }
}

/** The config file's name as recorded (never an absolute path) and the sha256 of its bytes. */
export function configDigest(file: string): SynthRecord['config'] {
  try {
    return { path: portablePath(file), sha256: sha256Hex(readFileSync(file)) };
  } catch {
    return null;
  }
}

/** Files whose bytes the evidence describes. */
function describedFile(name: string): boolean {
  return name.endsWith('.template.json') || name.endsWith('.secrets-contract.json') || name === 'validation-report.json';
}

/**
 * The digests of a cloud assembly: every template, secrets-contract side
 * file and validation report below `cdkOut`, skipping asset folders (their
 * contents are the assets', not the baseline's evidence) and the evidence
 * folder itself.
 */
export function assemblyDigests(cdkOut: string): FileDigest[] {
  const out: FileDigest[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(cdkOut, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('asset.') && entry.name !== 'evidence') walk(path);
      } else if (describedFile(entry.name)) {
        out.push({ path, sha256: sha256Hex(readFileSync(join(cdkOut, path))) });
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes {@link SYNTH_RECORD_FILE} into a synthesized cloud assembly. */
export function writeSynthRecord(cdkOut: string, record: SynthRecord): void {
  const file = join(cdkOut, SYNTH_RECORD_FILE);
  writeFileSync(`${file}.partial`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
}

function readSynthRecord(cdkOut: string): SynthRecord | undefined {
  const file = join(cdkOut, SYNTH_RECORD_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<SynthRecord>;
    return record.tools && record.verdict !== undefined && record.synthesizedAt ? (record as SynthRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gate's verdict as the validation report shows it: failed on any
 * unacknowledged error (the rule of lib/policy/verdict.ts), not run when a
 * rule set of the gate is missing from it.
 */
export function verdictFromReport(view: CloudAssemblyView, gateRan: boolean): GateVerdictValue {
  if (!view.gate.reportFound || !gateRan) return 'not run';
  return view.findings.some(isBlocking) ? 'failed' : 'passed';
}

/** The provenance of a cloud assembly: its synthesis record when there is one, the digests always. */
export function readProvenance(view: CloudAssemblyView, gateRan: boolean): Provenance {
  const digests = assemblyDigests(view.directory);
  const found = readSynthRecord(view.directory);
  // A record written for other bytes (a template edited, or another synth into the same folder) vouches for nothing here.
  const record = found && (!found.digests || JSON.stringify(found.digests) === JSON.stringify(digests)) ? found : undefined;
  return {
    recordedAtSynth: record !== undefined,
    synthesizedAt: record?.synthesizedAt ?? null,
    tools: record?.tools ?? toolVersions(),
    config: record?.config ?? null,
    git: record?.git ?? null,
    verdict: record?.verdict ? { value: record.verdict, source: 'synthesis' } : { value: verdictFromReport(view, gateRan), source: 'validation report' },
    digests,
  };
}

/** How a cloud assembly differs from the digests an evidence report recorded. */
export interface DigestComparison {
  readonly matching: readonly string[];
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  readonly added: readonly string[];
}

export function compareDigests(recorded: readonly FileDigest[], current: readonly FileDigest[]): DigestComparison {
  const now = new Map(current.map((d) => [d.path, d.sha256]));
  const then = new Map(recorded.map((d) => [d.path, d.sha256]));
  return {
    matching: recorded.filter((d) => now.get(d.path) === d.sha256).map((d) => d.path),
    changed: recorded.filter((d) => now.has(d.path) && now.get(d.path) !== d.sha256).map((d) => d.path),
    missing: recorded.filter((d) => !now.has(d.path)).map((d) => d.path),
    added: current.filter((d) => !then.has(d.path)).map((d) => d.path),
  };
}
