import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED } from '../../scripts/generated';

const REPO = join(__dirname, '..', '..');

describe('generated files are current (regenerate with `npm run gen`)', () => {
  it.each(Object.keys(GENERATED))('%s', (file) => {
    expect(readFileSync(join(REPO, file), 'utf8')).toBe(GENERATED[file]());
  });
});
