/**
 * Regenerates the files derived from the code: docs/controls.md (from the
 * control catalog). Run `npm run gen` after changing lib/policy/controls.ts;
 * test/docs/generated.test.ts fails while a generated file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED } from './generated';

const REPO = join(__dirname, '..');
for (const [file, render] of Object.entries(GENERATED)) {
  writeFileSync(join(REPO, file), render());
  console.log(`wrote ${file}`);
}
