/**
 * Regenerates the files derived from the code: docs/controls.md (from the
 * control catalog), schemas/config.schema.json and docs/config.md (from the
 * config schema). Run `npm run gen` after changing lib/policy/controls.ts,
 * lib/config/schema.ts (or a schema it imports) or lib/config/field-docs.ts;
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
