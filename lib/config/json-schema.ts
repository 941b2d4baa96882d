import { z } from 'zod';
import { configSchema } from './schema';
import { FIELD_DOCS } from './field-docs';

/**
 * The config's JSON Schema, generated from the zod schema (`z.toJSONSchema`),
 * for editors (config/example.yaml names it on its first line) and for
 * docs/config.md. Committed as schemas/config.schema.json; `npm run gen`
 * rewrites it and test/docs/generated.test.ts fails while it is stale.
 *
 * Descriptions come from FIELD_DOCS (field-docs.ts), keyed by the field's
 * path; a test fails for any field without one, so the reference stays
 * complete as fields are added.
 */

/** A JSON Schema node, as far as this file reads and writes it. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  additionalProperties?: boolean | JsonSchemaNode;
  propertyNames?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  [key: string]: unknown;
}

/** One field of the config: its path as docs/config.md writes it and its schema node. */
export interface SchemaField {
  readonly path: string;
  readonly node: JsonSchemaNode;
  readonly required: boolean;
}

/** Every field of the schema, depth first, in declaration order. */
export function schemaFields(root: JsonSchemaNode): SchemaField[] {
  const out: SchemaField[] = [];
  const visit = (node: JsonSchemaNode, path: string): void => {
    const object = node.items ?? node;
    const prefix = node.items ? `${path}[]` : path;
    for (const [key, child] of Object.entries(object.properties ?? {})) {
      const childPath = prefix ? `${prefix}.${key}` : key;
      out.push({ path: childPath, node: child, required: (object.required ?? []).includes(key) });
      visit(child, childPath);
    }
    if (typeof object.additionalProperties === 'object') {
      const childPath = `${prefix}.<name>`;
      out.push({ path: childPath, node: object.additionalProperties, required: false });
      visit(object.additionalProperties, childPath);
    }
  };
  visit(root, '');
  return out;
}

/** The generated schema, with descriptions attached. */
export function configJsonSchema(): JsonSchemaNode {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchemaNode;
  schema.title = 'edu-security-baseline config';
  schema.description = 'The one config file of edu-security-baseline (YAML or JSON). Reference: docs/config.md.';
  for (const field of schemaFields(schema)) {
    // z.number().int() without a maximum comes out as Number.MAX_SAFE_INTEGER: no limit a reader needs.
    if (field.node.maximum === Number.MAX_SAFE_INTEGER) delete field.node.maximum;
    if (field.node.minimum === Number.MIN_SAFE_INTEGER) delete field.node.minimum;
    const doc = FIELD_DOCS[field.path];
    if (doc) field.node.description = doc;
  }
  return schema;
}

/** schemas/config.schema.json as written. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
