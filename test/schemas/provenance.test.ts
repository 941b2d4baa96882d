import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The vendored schemas are the verbatim files whose sha256 the README records. */
describe('vendored schemas', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
  it.each(readdirSync(__dirname).filter((f) => f.endsWith('.json')))('%s matches the sha256 in README.md', (file) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${file}\``));
    expect(row).toBeDefined();
    const digest = createHash('sha256').update(readFileSync(join(__dirname, file))).digest('hex');
    expect(row).toContain(`\`${digest}\``);
  });
});
