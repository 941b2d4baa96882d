import { renderConfigReference } from '../lib/config/config-doc';
import { renderConfigJsonSchema } from '../lib/config/json-schema';
import { renderControlCatalog } from '../lib/policy/catalog-doc';

/** Every generated file of the repository (path relative to the root) and its renderer. */
export const GENERATED: Record<string, () => string> = {
  'docs/controls.md': renderControlCatalog,
  'docs/config.md': renderConfigReference,
  'schemas/config.schema.json': renderConfigJsonSchema,
};
