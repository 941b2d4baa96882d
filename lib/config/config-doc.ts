import { configJsonSchema, JsonSchemaNode, schemaFields } from './json-schema';

/**
 * docs/config.md: every field of the config with its type, whether it is
 * required, its default, its limits and what it means, rendered from the
 * generated JSON Schema (so from the zod schema) by `npm run gen`.
 */
export function renderConfigReference(): string {
  const out = [
    '<!-- Generated from lib/config/schema.ts and lib/config/field-docs.ts by `npm run gen`; do not edit by hand. -->',
    '# Config reference',
    '',
    'The baseline is built from one YAML or JSON file (`-c config=path`, default `config/example.yaml`).',
    'Start one with `npx edu-baseline init my-config.yaml`; check one without synthesizing with',
    '`npx edu-baseline validate my-config.yaml` (exit 0 valid, 1 invalid, 2 usage error). Editors that',
    'speak the YAML language server validate and complete the file from',
    '[`schemas/config.schema.json`](../schemas/config.schema.json) when its first line is',
    '`# yaml-language-server: $schema=<path to schemas/config.schema.json>`.',
    '',
    'Paths are written as in error messages: `environments[].vpcCidr` is the `vpcCidr` of each entry of',
    '`environments`; `<name>` stands for a key you choose. Besides the limits below, the whole file is',
    'checked across fields (unique names, references between sections, expiry dates, overlapping',
    'allow-list entries, production access levels) and every string is refused if it looks like a',
    'secret (private keys, access keys, tokens): secrets go to Parameter Store through',
    '`edu-baseline secrets put`, never into this file.',
    '',
    '| field | type | required | default | limits | description |',
    '|---|---|---|---|---|---|',
  ];
  for (const field of schemaFields(configJsonSchema())) {
    const n = field.node;
    out.push(
      `| \`${field.path}\` | ${typeOf(n)} | ${field.required ? 'yes' : 'no'} | ${n.default === undefined ? '' : code(JSON.stringify(n.default))} | ${limits(n).join('; ')} | ${escape(n.description ?? '')} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

function typeOf(n: JsonSchemaNode): string {
  if (n.anyOf) return [...new Set(n.anyOf.map(typeOf))].join(' or ');
  if (n.enum) return 'string';
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'any'}`;
  if (n.type === 'object') return typeof n.additionalProperties === 'object' ? 'mapping' : 'object';
  return Array.isArray(n.type) ? n.type.join(' or ') : (n.type ?? 'any');
}

function limits(n: JsonSchemaNode): string[] {
  const out: string[] = [];
  const values = n.enum ?? (n.anyOf?.every((a) => a.const !== undefined) ? n.anyOf.map((a) => a.const) : undefined);
  if (values) out.push(`one of ${values.map((v) => code(String(v))).join(', ')}`);
  if (n.pattern) out.push(`matches ${code(n.pattern)}`);
  if (n.minimum !== undefined) out.push(`≥ ${n.minimum}`);
  if (n.maximum !== undefined) out.push(`≤ ${n.maximum}`);
  if (n.minLength !== undefined) out.push(`at least ${n.minLength} character${n.minLength === 1 ? '' : 's'}`);
  if (n.maxLength !== undefined) out.push(`at most ${n.maxLength} characters`);
  if (n.minItems !== undefined) out.push(`at least ${n.minItems} item${n.minItems === 1 ? '' : 's'}`);
  if (n.maxItems !== undefined) out.push(`at most ${n.maxItems} items`);
  if (n.items?.enum) out.push(`items one of ${n.items.enum.map((v) => code(String(v))).join(', ')}`);
  return out.map(escape);
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Table cells cannot hold a bare `|`. */
function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
