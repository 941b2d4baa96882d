import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** The hand-made cloud assembly: one stage `dev`, all four rule sets ran, one open LOG-1 error and one acknowledged DATA-1 finding. */
export const FIXTURE = join(__dirname, '../fixtures/report/assembly');

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh temp directory, removed after the file's tests (callable inside a test). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A writable copy of the fixture. */
export function fixtureCopy(): string {
  const dir = join(tempDir('edu-report-fixture-'), 'cdk.out');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Validates an OSCAL component definition against the vendored NIST schema (test/schemas/, settings in its README.md). */
export function oscalErrors(document: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'oscal-component-definition-schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
