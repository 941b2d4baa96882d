import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { FIELD_DOCS } from '../../lib/config/field-docs';
import { configJsonSchema, schemaFields } from '../../lib/config/json-schema';

const REPO = join(__dirname, '..', '..');

describe('config JSON Schema (schemas/config.schema.json)', () => {
  const schema = configJsonSchema();
  const fields = schemaFields(schema);

  it('documents every field (add the missing path to lib/config/field-docs.ts, then `npm run gen`)', () => {
    expect(fields.filter((f) => !FIELD_DOCS[f.path]).map((f) => f.path)).toEqual([]);
  });

  it('has no description for a field that does not exist', () => {
    const paths = new Set(fields.map((f) => f.path));
    expect(Object.keys(FIELD_DOCS).filter((p) => !paths.has(p))).toEqual([]);
  });

  it('accepts config/example.yaml, and the example names the schema for editors', () => {
    const text = readFileSync(join(REPO, 'config', 'example.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/config.schema.json');
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(parse(text)) ? [] : validate.errors).toEqual([]);
  });

  it('refuses an unknown field and a wrong type, as the loader does', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const example = parse(readFileSync(join(REPO, 'config', 'example.yaml'), 'utf8')) as { environments: Array<Record<string, unknown>>; extra?: number };
    example.environments[0].production = 'yes';
    example.extra = 1;
    expect(validate(example)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/environments/0/production', '']));
  });
});
