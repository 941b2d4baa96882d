import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The published package, as a user gets it: `npm pack` (which compiles dist/
 * through prepack), installed offline into a fresh CDK app next to nothing
 * else (its dependencies linked from this repository's node_modules instead of
 * downloaded), then used three ways: a TypeScript consumer type-checks against
 * the .d.ts, a JavaScript CDK app synthesizes the example through the package
 * with the gate on, and the installed `edu-baseline` command runs compiled JS
 * (tsx is not installed there).
 */
const REPO = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'edu-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
const app = join(work, 'app');
const installed = join(app, 'node_modules', pkg.name);

beforeAll(() => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>;
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, packed[0].filename), '-C', installed, '--strip-components=1']);
  // Offline install: the dependencies the package declares (and the consumer's own tools), linked, not fetched.
  for (const dep of [...Object.keys(pkg.dependencies), 'typescript', '@types/node']) {
    const target = join(app, 'node_modules', dep);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', dep), target, 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-cdk-app', private: true, dependencies: { [pkg.name]: 'file:.', 'aws-cdk-lib': pkg.dependencies['aws-cdk-lib'] } }));
}, 600_000);

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

test('the tarball holds compiled JS, declarations, the CLI entry and the config schema, and no TypeScript sources', () => {
  const contents = files(installed);
  expect(contents).toEqual(expect.arrayContaining(['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/stacks/baseline-exceptions.json', 'dist/bin/cli.js', 'bin/run-cli.js', 'schemas/config.schema.json', 'package.json']));
  expect(contents.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  expect(contents.filter((f) => f.startsWith('test/'))).toEqual([]);
});

test('a TypeScript consumer type-checks against the public API', () => {
  writeFileSync(
    join(app, 'check.ts'),
    [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { attachPolicyGate, buildBaselineApp, DataLake, EduSecurityChecks, loadConfig, TempFileSystem, BaselineConfig } from 'edu-security-baseline';",
      'const checks: EduSecurityChecks = new EduSecurityChecks();',
      "const config: BaselineConfig = loadConfig('config.yaml');",
      'buildBaselineApp(config, { app: new App() });',
      'attachPolicyGate(new App());',
      'export const used = [checks, DataLake, TempFileSystem, Stack];',
    ].join('\n'),
  );
  const tsc = spawnSync(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--target', 'ES2022', '--moduleResolution', 'node16', '--module', 'node16', '--skipLibCheck', 'check.ts'], { cwd: app, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 300_000);

test('a fresh CDK app synthesizes the example through the package, with the gate', () => {
  writeFileSync(
    join(app, 'app.js'),
    [
      "const { App } = require('aws-cdk-lib');",
      "const { buildBaselineApp, loadConfig } = require('edu-security-baseline');",
      `const config = loadConfig(${JSON.stringify(join(REPO, 'config', 'example.yaml'))}, { today: '2026-11-23' });`,
      "const { app } = buildBaselineApp(config, { app: new App({ outdir: 'cdk.out' }), today: '2026-11-23' });",
      'app.synth();',
    ].join('\n'),
  );
  // Without aws-cdk-lib's built-in CloudFormation validation (`--no-validation`): it is not part of the package,
  // and building its engine is a third of this run; test/cli/readme-synth.test.ts synthesizes with it.
  const run = spawnSync(process.execPath, ['app.js'], { cwd: app, encoding: 'utf8', env: { ...process.env, CDK_VALIDATION: 'false' } });
  expect(run.status).toBe(0);
  const templates = files(join(app, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
  expect(templates.length).toBeGreaterThanOrEqual(12);
}, 300_000);

test('the installed edu-baseline command runs compiled JS: validate and init', () => {
  const cli = join(installed, 'bin', 'run-cli.js');
  expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
  const validate = spawnSync(process.execPath, [cli, 'validate', join(REPO, 'config', 'example.yaml'), '--today', '2026-11-23'], { cwd: app, encoding: 'utf8' });
  expect(validate.stderr).toBe('');
  expect(validate.status).toBe(0);
  const init = spawnSync(process.execPath, [cli, 'init', 'starter.yaml'], { cwd: app, encoding: 'utf8' });
  expect(init.status).toBe(0);
  const first = readFileSync(join(app, 'starter.yaml'), 'utf8').split('\n')[0];
  expect(first).toBe(`# yaml-language-server: $schema=./node_modules/${pkg.name}/schemas/config.schema.json`);
  const again = spawnSync(process.execPath, [cli, 'validate', 'starter.yaml'], { cwd: app, encoding: 'utf8' });
  expect(again.status).toBe(0);
}, 300_000);
