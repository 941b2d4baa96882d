import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');

/**
 * The modules `require` loads for one entry point, in a fresh Node process
 * (tsx compiles the TypeScript), as paths relative to the repository (dependencies keep their absolute path).
 */
function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(join(REPO, entry))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`loading ${entry} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as string[]).map((file) => (file.startsWith(`${REPO}/`) ? file.slice(REPO.length + 1) : file).split('\\').join('/'));
}

describe('reading findings and writing the report load no policy engine', () => {
  // The report reads a cdk.out; it needs the finding vocabulary, not cdk-nag or the rules that produced the findings.
  test.each(['lib/report/write.ts', 'lib/report/model.ts', 'lib/policy/findings.ts', 'lib/policy/vocabulary.ts'])('%s', (entry) => {
    const loaded = modulesLoadedBy(entry);
    expect(loaded).toContain(entry);
    expect(loaded.filter((file) => file.includes('node_modules/cdk-nag/'))).toEqual([]);
    expect(loaded.filter((file) => file.startsWith('lib/policy/rules/') || file === 'lib/policy/edu-checks.ts' || file === 'lib/policy/gate.ts')).toEqual([]);
  });
});
