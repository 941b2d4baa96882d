import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { synthGated } from '../../lib/gated-synth';
import { portablePath } from '../../lib/paths';
import { runReportCommand } from '../../lib/report/command';
import { EvidenceReport } from '../../lib/report/model';
import { gitCommit, SYNTH_RECORD_FILE, SynthRecord } from '../../lib/report/provenance';
import { REPORT_FILES, writeEvidence } from '../../lib/report/write';
import { fixtureCopy, tempDir } from './support';

const REPO = join(__dirname, '..', '..');
const AT = '2026-01-31T12:00:00Z';
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const version = (pkg: string): string => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
const TEMPLATE = 'assembly-dev/devData1234.template.json';

function evidence(outDir: string): EvidenceReport {
  return JSON.parse(readFileSync(join(outDir, REPORT_FILES.data), 'utf8')) as EvidenceReport;
}

function quietIo(): { io: { stdout: (s: string) => void; stderr: (s: string) => void }; text: () => string } {
  const lines: string[] = [];
  return { io: { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s) }, text: () => lines.join('') };
}

describe('provenance in evidence.json and on the page', () => {
  test('names the product, aws-cdk-lib, cdk-nag and Control Tower rule versions and the sha256 of each template and the validation report', () => {
    const dir = fixtureCopy();
    const { report } = writeEvidence(dir, { generatedAt: AT });
    const p = report.provenance;
    expect(p.tools).toEqual({
      'edu-security-baseline': (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version,
      'aws-cdk-lib': version('aws-cdk-lib'),
      'cdk-nag': version('cdk-nag'),
      'control-tower-rules': `@cdklabs/cdk-validator-cfnguard ${version('@cdklabs/cdk-validator-cfnguard')}`,
      'cfn-guard': expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(p.digests).toEqual([
      { path: TEMPLATE, sha256: sha256(join(dir, TEMPLATE)) },
      { path: 'validation-report.json', sha256: sha256(join(dir, 'validation-report.json')) },
    ]);
    // Not synthesized by the baseline's app: the verdict is read from the validation report (an open LOG-1 error).
    expect(p).toMatchObject({ recordedAtSynth: false, config: null, git: null, verdict: { value: 'failed', source: 'validation report' } });
    const html = readFileSync(join(dir, 'evidence', REPORT_FILES.html), 'utf8');
    expect(html).toContain('<section id="provenance"><h2>Provenance</h2>');
    expect(html).toContain(sha256(join(dir, TEMPLATE)));
    expect(readFileSync(join(dir, 'evidence', REPORT_FILES.markdown), 'utf8')).toContain(`| \`${TEMPLATE}\` | \`${sha256(join(dir, TEMPLATE))}\` |`);
  });

  test('a synthesis by the gated app records the config sha256, the commit and the verdict; no absolute path in the record or the evidence', () => {
    const root = tempDir('edu-provenance-');
    const config = join(root, 'outside-the-checkout.yaml');
    writeFileSync(config, 'project: riverside\n');
    const outdir = join(root, 'cdk.out');
    const app = new App({ outdir, builtinCloudFormationValidation: false, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    new sns.Topic(new Stack(new Stage(app, 'dev'), 'Alerts'), 'Topic');
    expect(synthGated(app, [], { log: () => undefined, configFile: config, projectDir: REPO, generatedAt: AT }).exitCode).toBe(0);
    const record = JSON.parse(readFileSync(join(outdir, SYNTH_RECORD_FILE), 'utf8')) as SynthRecord;
    // A config outside the working directory is named by its base name only.
    expect(record.config).toEqual({ path: 'outside-the-checkout.yaml', sha256: sha256(config) });
    expect(record.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(record).toMatchObject({ verdict: 'not run', synthesizedAt: AT });
    const p = evidence(join(outdir, 'evidence')).provenance;
    expect(p).toMatchObject({ recordedAtSynth: true, config: record.config, git: record.git, verdict: { value: 'not run', source: 'synthesis' } });
    // `edu-baseline report` later on the same cdk.out writes the same provenance.
    const again = tempDir('edu-provenance-again-');
    writeEvidence(outdir, { outDir: again, generatedAt: AT });
    expect(evidence(again).provenance).toEqual(p);
    // Once a template changes, the record describes other bytes: the report no longer uses it.
    const template = readdirSync(join(outdir, 'assembly-dev')).find((f) => f.endsWith('.template.json'))!;
    writeFileSync(join(outdir, 'assembly-dev', template), readFileSync(join(outdir, 'assembly-dev', template), 'utf8').replace('"Resources"', '"Resources" ').trimEnd());
    const stale = tempDir('edu-provenance-stale-');
    writeEvidence(outdir, { outDir: stale, generatedAt: AT });
    expect(evidence(stale).provenance).toMatchObject({ recordedAtSynth: false, config: null, git: null, verdict: { source: 'validation report' } });
    // The whole cdk.out of the real CLI is checked in test/cli/readme-synth.test.ts; here the files this module writes.
    const leaks = [join(outdir, SYNTH_RECORD_FILE), ...filesBelow(join(outdir, 'evidence'))].filter((f) => {
      const text = readFileSync(f, 'utf8');
      return text.includes(root) || text.includes(REPO);
    });
    expect(leaks.map((f) => relative(outdir, f))).toEqual([]);
  });

  test('evidence and its synth record name no absolute path when the report goes outside the working directory', () => {
    const dir = fixtureCopy();
    const out = tempDir('edu-provenance-out-');
    writeEvidence(dir, { outDir: out, generatedAt: AT });
    for (const name of readdirSync(out)) expect(readFileSync(join(out, name), 'utf8')).not.toContain(dir);
    expect(evidence(out).source).toBe('cdk.out');
    expect(portablePath('/somewhere/else/config.yaml', '/work/project')).toBe('config.yaml');
    expect(portablePath('config/example.yaml', '/work/project')).toBe('config/example.yaml');
  });

  test('the git commit is read with an argument vector: no shell, none outside a repository', () => {
    const plain = tempDir('edu-provenance-nogit-');
    expect(gitCommit(plain)).toBeNull();
    const odd = join(plain, '$(touch pwned); `touch pwned2`');
    mkdirSync(odd);
    expect(gitCommit(odd)).toBeNull();
    expect(existsSync(join(plain, 'pwned'))).toBe(false);
    expect(existsSync(join(odd, 'pwned2'))).toBe(false);
    expect(gitCommit(REPO)?.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('edu-baseline report --verify', () => {
  test('exit 0 while the evidence describes the cdk.out; 1 naming a changed, missing or added template; 2 without evidence', () => {
    const dir = fixtureCopy();
    writeEvidence(dir, { generatedAt: AT });
    const ok = quietIo();
    expect(runReportCommand(dir, { verify: true }, ok.io)).toBe(0);
    expect(ok.text()).toMatch(/^Verified: .* \(2 files match their recorded sha256\)/);

    const template = join(dir, TEMPLATE);
    writeFileSync(template, readFileSync(template, 'utf8').replace('"RetentionInDays": 30', '"RetentionInDays": 3650'));
    writeFileSync(join(dir, 'assembly-dev', 'devExtra.template.json'), '{}');
    const changed = quietIo();
    expect(runReportCommand(dir, { verify: true }, changed.io)).toBe(1);
    expect(changed.text()).toContain(`changed: ${TEMPLATE}`);
    expect(changed.text()).toContain('added: assembly-dev/devExtra.template.json');

    rmSync(template);
    const missing = quietIo();
    expect(runReportCommand(dir, { verify: true }, missing.io)).toBe(1);
    expect(missing.text()).toContain(`missing: ${TEMPLATE}`);

    const none = quietIo();
    expect(runReportCommand(dir, { verify: true, out: tempDir('edu-verify-empty-') }, none.io)).toBe(2);
    expect(none.text()).toMatch(/cannot verify against .*evidence\.json: does not exist/);
  });

  test('the real command in a child process', () => {
    const dir = fixtureCopy();
    const cli = (...args: string[]): { status: number | null; out: string } => {
      const run = spawnSync(process.execPath, [join(REPO, 'bin', 'run-cli.js'), 'report', ...args], { cwd: REPO, encoding: 'utf8' });
      return { status: run.status, out: `${run.stdout}${run.stderr}` };
    };
    expect(cli(dir, '--generated-at', AT).status).toBe(0);
    expect(cli('--verify', dir).status).toBe(0);
    writeFileSync(join(dir, 'validation-report.json'), '{"pluginReports": []}');
    const changed = cli('--verify', dir);
    expect(changed.status).toBe(1);
    expect(changed.out).toContain('changed: validation-report.json');
  }, 60_000);
});

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('asset.') ? [] : filesBelow(full);
    return /\.(json|md|html)$/.test(e.name) ? [full] : [];
  });
}
