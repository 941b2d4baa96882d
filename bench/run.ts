/**
 * `npm run bench [-- --runs N] [-- --only name,name] [-- --verify] [-- --no-write]`
 *
 * Synthesizes generated configs with the real CLI (`npx cdk synth`, so the
 * loader named in cdk.json is part of the cost), gated and ungated in
 * alternating order (the gated synths that evaluate every template also
 * record each rule set's time), audits each gated cdk.out with `edu-baseline audit`
 * and times one cfn-guard invocation with the gate's Control Tower rule
 * folders over the same templates (the floor of our slowest rule set).
 * Writes BENCHMARKS.md and bench/results/<timestamp>.json.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { CONTROL_TOWER_SERVICES, GATE_TIMINGS_ENV } from '../lib/policy/gate';
import { cfnGuardBinary, controlTowerRulesRoot } from '../lib/policy/guard/control-tower';
import { generateConfigFile, ScenarioSize } from './generate-config';
import { assemblySize, hasGnuTime, median, Sample, templateFiles, timed } from './measure';
import { verifyControlTower } from './verify-control-tower';

const REPO = join(__dirname, '..');
/** The date allow-list expiry is judged against: fixed, so every run synthesizes the same templates. */
const TODAY = '2026-11-23';

interface Scenario {
  readonly name: string;
  /** Undefined: config/example.yaml as it is. */
  readonly size?: ScenarioSize;
}

/** The example, then 1 → 100 tenants with 10 → 1,000 allow-list entries (the platform-team case last). */
const SCENARIOS: readonly Scenario[] = [
  { name: 'example' },
  { name: 't1-a10', size: { tenants: 1, allowList: 10 } },
  { name: 't10-a100', size: { tenants: 10, allowList: 100 } },
  { name: 't50-a100', size: { tenants: 50, allowList: 100 } },
  { name: 't100-a100', size: { tenants: 100, allowList: 100 } },
  { name: 't100-a1000', size: { tenants: 100, allowList: 1000 } },
];

interface Options {
  readonly runs: number;
  readonly only?: ReadonlySet<string>;
  readonly verify: boolean;
  readonly write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let runs = 3;
  let only: Set<string> | undefined;
  let verify = false;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') runs = Number(argv[++i]);
    else if (arg === '--only') only = new Set(argv[++i].split(','));
    else if (arg === '--verify') verify = true;
    else if (arg === '--no-write') write = false;
    else throw new Error(`unknown argument ${arg}; use --runs N, --only a,b, --verify, --no-write`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  return { runs, only, verify, write };
}

interface ScenarioResult {
  readonly name: string;
  readonly tenants: number;
  readonly allowList: number;
  readonly stacks: number;
  readonly resources: number;
  /** Total bytes of the templates. */
  readonly templateBytes: number;
  /** Gated synths with an empty cache of Control Tower findings (`-c gate-cache=off`): every template is evaluated. */
  readonly gated: readonly Sample[];
  /** Gated synths of unchanged templates: Control Tower findings come from the cache. */
  readonly gatedWarm: readonly Sample[];
  readonly ungated: readonly Sample[];
  readonly audit: readonly Sample[];
  readonly cfnGuard: readonly Sample[];
  /** Rule set → its wall milliseconds in each gated synth that evaluated every template. */
  readonly ruleSetMs: Readonly<Record<string, readonly number[]>>;
  readonly controlTower?: ReturnType<typeof verifyControlTower>;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** How a synth runs: without the gate, gated with no cached findings, gated with the findings of unchanged templates cached. */
type SynthMode = 'ungated' | 'cold' | 'warm';

function synth(configPath: string, outdir: string, mode: SynthMode, timings?: Record<string, number[]>): Sample {
  rmSync(outdir, { recursive: true, force: true });
  const args = ['cdk', 'synth', '--quiet', '-o', outdir, '-c', `config=${configPath}`, '-c', `today=${TODAY}`];
  if (mode === 'ungated') args.push('-c', 'gate=off');
  if (mode === 'cold') args.push('-c', 'gate-cache=off');
  const gate = mode !== 'ungated';
  const timingsFile = `${outdir}.timings.jsonl`;
  rmSync(timingsFile, { force: true });
  const sample = timed(npx, args, REPO, timings ? { [GATE_TIMINGS_ENV]: timingsFile } : {});
  if (timings && existsSync(timingsFile)) {
    for (const line of readFileSync(timingsFile, 'utf8').trim().split('\n')) {
      const { ruleSet, ms } = JSON.parse(line) as { ruleSet: string; ms: number };
      (timings[ruleSet] ??= []).push(ms);
    }
  }
  // A gate that finds errors exits 1 after doing all of its work: still a measurement.
  const gateFailed = gate && sample.status !== 0 && existsSync(join(outdir, 'validation-report.json'));
  if (sample.status !== 0 && !gateFailed) throw new Error(`cdk synth (${gate ? 'gated' : 'gate=off'}) of ${configPath} failed (${sample.status}):\n${sample.stderr.slice(-4000)}`);
  return sample;
}

function audit(cdkOut: string, reportFile: string): Sample {
  // No cache: compared with one cfn-guard run, the audit must evaluate every template too.
  const sample = timed(process.execPath, [join(REPO, 'bin', 'run-cli.js'), 'audit', '--no-cache', '--format', 'json', '--output', reportFile, cdkOut], REPO);
  // 0: clean, 1: error findings; both are a finished audit.
  if (sample.status !== 0 && sample.status !== 1) throw new Error(`audit of ${cdkOut} failed (${sample.status}):\n${sample.stderr.slice(-4000)}`);
  return sample;
}

/** One cfn-guard run with the gate's Control Tower rule folders over every template of the cdk.out. */
function cfnGuard(cdkOut: string): Sample {
  const rules = CONTROL_TOWER_SERVICES.flatMap((s) => ['--rules', join(controlTowerRulesRoot(), 'cfn-guard', s)]);
  const data = templateFiles(cdkOut).flatMap((t) => ['--data', t]);
  const sample = timed(cfnGuardBinary(), ['validate', ...rules, ...data, '--output-format', 'json', '--show-summary', 'none', '--structured'], REPO);
  // 19 (and 5): violations found; not an error for the benchmark.
  if (sample.status !== 0 && sample.status !== 19 && sample.status !== 5) throw new Error(`cfn-guard failed (${sample.status}): ${sample.stderr.slice(-2000)}`);
  return sample;
}

function runScenario(scenario: Scenario, options: Options, workdir: string): ScenarioResult {
  const dir = join(workdir, scenario.name);
  mkdirSync(dir, { recursive: true });
  const example = join(REPO, 'config', 'example.yaml');
  let configPath = example;
  if (scenario.size) {
    configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, generateConfigFile(example, scenario.size, TODAY));
  }
  const gatedOut = join(dir, 'cdk.out');
  const warmOut = join(dir, 'cdk.out.warm');
  const ungatedOut = join(dir, 'cdk.out.ungated');
  const samples: Record<SynthMode, Sample[]> = { ungated: [], cold: [], warm: [] };
  const ruleSetMs: Record<string, number[]> = {};
  // Not measured: fills the cache of Control Tower findings for the warm runs.
  synth(configPath, warmOut, 'warm');
  const orders: readonly SynthMode[][] = [
    ['cold', 'ungated', 'warm'],
    ['ungated', 'warm', 'cold'],
    ['warm', 'cold', 'ungated'],
  ];
  for (let i = 0; i < options.runs; i++) {
    // Rotate which goes first, so the OS file cache or a busy neighbour favours none.
    for (const mode of orders[i % orders.length]) samples[mode].push(synth(configPath, mode === 'cold' ? gatedOut : mode === 'warm' ? warmOut : ungatedOut, mode, mode === 'cold' ? ruleSetMs : undefined));
    log(`  ${scenario.name} run ${i + 1}: gated ${samples.cold[i].seconds.toFixed(1)} s, gated (cached) ${samples.warm[i].seconds.toFixed(1)} s, ungated ${samples.ungated[i].seconds.toFixed(1)} s`);
  }
  const gated = samples.cold;
  const gatedWarm = samples.warm;
  const ungated = samples.ungated;
  const size = assemblySize(gatedOut);
  const auditRuns: Sample[] = [];
  const guardRuns: Sample[] = [];
  for (let i = 0; i < options.runs; i++) {
    if (i % 2 === 0) {
      auditRuns.push(audit(gatedOut, join(dir, 'audit.json')));
      guardRuns.push(cfnGuard(gatedOut));
    } else {
      guardRuns.push(cfnGuard(gatedOut));
      auditRuns.push(audit(gatedOut, join(dir, 'audit.json')));
    }
    log(`  ${scenario.name} run ${i + 1}: audit ${auditRuns[i].seconds.toFixed(1)} s, cfn-guard ${guardRuns[i].seconds.toFixed(1)} s`);
  }
  const controlTower = options.verify ? verifyControlTower(gatedOut) : undefined;
  if (controlTower && !controlTower.equal) throw new Error(`${scenario.name}: the gate's Control Tower run differs from a single cfn-guard run`);
  return {
    name: scenario.name,
    tenants: scenario.size?.tenants ?? 2,
    allowList: scenario.size?.allowList ?? 6,
    ...size,
    gated,
    gatedWarm,
    ungated,
    audit: auditRuns,
    cfnGuard: guardRuns,
    ruleSetMs,
    ...(controlTower ? { controlTower } : {}),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const med = (samples: readonly Sample[]): number => median(samples.map((s) => s.seconds));
const peak = (samples: readonly Sample[]): string => {
  const values = samples.flatMap((s) => (s.peakMiB === undefined ? [] : [s.peakMiB]));
  return values.length === 0 ? 'n/a' : `${Math.round(Math.max(...values))} MiB`;
};

function machine(): string {
  const cpu = cpus();
  return [
    `- CPU: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'})`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
    `- Node ${process.version}, ${process.platform}/${process.arch}`,
    `- Load average at the end (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
    `- Peak memory: ${hasGnuTime ? '/usr/bin/time -v (largest process of the run, cfn-guard included)' : 'process.resourceUsage().maxRSS of each Node process (GNU time not installed; cfn-guard not included)'}`,
  ].join('\n');
}

function table(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const g = med(r.gated);
    const w = med(r.gatedWarm);
    const u = med(r.ungated);
    const a = med(r.audit);
    const c = med(r.cfnGuard);
    const failed = r.gated.some((s) => s.status !== 0) ? ' (gate: errors, exit 1)' : '';
    return `| ${r.name} | ${r.tenants} | ${r.allowList} | ${r.stacks} | ${r.resources} | ${Math.round(r.templateBytes / 1024)} KiB | ${g.toFixed(1)} s${failed} | ${w.toFixed(1)} s | ${u.toFixed(1)} s | ${(g / u).toFixed(2)} | ${(w / u).toFixed(2)} | ${peak(r.gated)} | ${a.toFixed(1)} s | ${c.toFixed(1)} s | ${(a / c).toFixed(2)} |`;
  });
  return [
    '| scenario | tenants | allow-list | stacks | resources | templates | gated synth (median) | gated, unchanged templates (median) | ungated synth (median) | gated/ungated | gated unchanged/ungated | peak memory (gated) | audit (median) | cfn-guard (median) | audit/cfn-guard |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** Median wall seconds of each rule set in the gated synths that evaluated every template. */
function breakdown(results: readonly ScenarioResult[]): string {
  const sets = [...new Set(results.flatMap((r) => Object.keys(r.ruleSetMs)))];
  const seconds = (values: readonly number[] | undefined): string => (values && values.length > 0 ? `${(median(values) / 1000).toFixed(2)} s` : 'n/a');
  return [
    `| scenario | ${sets.join(' | ')} | gate total | gated − ungated synth |`,
    `|---|${sets.map(() => '---:').join('|')}|---:|---:|`,
    ...results.map((r) => {
      const total = r.gated.map((_, i) => sets.reduce((n, s) => n + (r.ruleSetMs[s]?.[i] ?? 0), 0));
      return `| ${r.name} | ${sets.map((s) => seconds(r.ruleSetMs[s])).join(' | ')} | ${seconds(total)} | ${(med(r.gated) - med(r.ungated)).toFixed(1)} s |`;
    }),
  ].join('\n');
}

function perResource(results: readonly ScenarioResult[]): string {
  return results
    .map((r) => `| ${r.name} | ${r.resources} | ${((med(r.gated) * 1000) / r.resources).toFixed(0)} ms | ${((med(r.ungated) * 1000) / r.resources).toFixed(0)} ms |`)
    .join('\n');
}

function markdown(results: readonly ScenarioResult[], options: Options, started: Date, seconds: number): string {
  const verified = results.filter((r) => r.controlTower);
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 10)}, ${options.runs} runs per measurement, medians; took ${(seconds / 60).toFixed(0)} min.

${machine()}

Each scenario is a config generated from \`config/example.yaml\` (two environments, dev and prod)
with the given number of tenants and allow-list entries (agency, BI, contractor and VPN /24s or
/32s), synthesized with the README's command, \`npx cdk synth -q -o <dir> -c config=<file> -c today=${TODAY}\`,
three ways, rotating which goes first: with the policy gate and no cached Control Tower findings
(\`-c gate-cache=off\`: every template is evaluated, as in a clean CI checkout); with the gate
again over unchanged templates (their Control Tower findings come from the cache, as in an
edit-synth loop where most stacks did not change); and with \`-c gate=off\`. Wall time includes
starting the cdk CLI and loading the app. \`audit\` is \`edu-baseline audit --no-cache --format json\`
over the gated cdk.out (all four rule sets, every template evaluated); \`cfn-guard\` is one run of
the bundled cfn-guard binary with the gate's Control Tower rule folders
(${CONTROL_TOWER_SERVICES.join(', ')}) over the same templates.

${table(results)}

Gate time by rule set (median wall seconds of the gated synths that evaluated every template,
measured inside the app around each rule set's \`validate\`; Control Tower's includes its cfn-guard
child processes). What the gate adds beyond its rule sets (reading the cloud assembly for the
verdict, the evidence report) is the difference between the last two columns; aws-cdk-lib's
built-in CloudFormation validation runs in both the gated and the ungated synth:

${breakdown(results)}

Time per resource (median wall time / resources):

| scenario | resources | gated | ungated |
|---|---:|---:|---:|
${perResource(results)}
${
  verified.length > 0
    ? `
Control Tower equivalence (\`--verify\`): the gate's run (each template with the rule files naming
its resource types, cfn-guard's report read by lib/policy/guard/results.ts) found exactly what one
run of the bundled validator over all rule folders found (rule, message, template, resource):

| scenario | violations | equal | single run | gate's run |
|---|---:|---|---:|---:|
${verified.map((r) => `| ${r.name} | ${r.controlTower?.violations} | ${r.controlTower?.equal ? 'yes' : 'NO'} | ${r.controlTower?.singleRunSeconds.toFixed(1)} s | ${r.controlTower?.gateRunSeconds.toFixed(1)} s |`).join('\n')}
`
    : ''
}`;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => !options.only || options.only.has(s.name));
  if (scenarios.length === 0) throw new Error(`no scenario selected; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const started = new Date();
  const workdir = mkdtempSync(join(tmpdir(), 'edu-bench-'));
  // Children inherit it: the benchmark's cache starts empty and leaves the project's alone.
  process.env.EDU_BASELINE_CACHE_DIR = join(workdir, 'cache');
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`${scenario.name}…`);
      results.push(runScenario(scenario, options, workdir));
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  const report = markdown(results, options, started, seconds);
  process.stdout.write(`${report}\n`);
  if (options.write) {
    writeFileSync(join(REPO, 'BENCHMARKS.md'), report);
    const raw = join(REPO, 'bench', 'results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(raw), { recursive: true });
    writeFileSync(raw, JSON.stringify({ started, options: { ...options, only: options.only ? [...options.only] : undefined }, results }, null, 2));
    log(`wrote BENCHMARKS.md and ${relative(REPO, raw)}`);
  }
}

main();
