import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/** The repository root (tests run from anywhere). */
export const REPO = resolve(__dirname, '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'templates');

/** A temp directory removed after the test file. */
export function tempDir(prefix = 'edu-audit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Validates a SARIF log against the vendored OASIS schema (test/schemas, draft-04). */
export function sarifErrors(log: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(REPO, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
