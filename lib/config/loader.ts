import { readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { displayPath } from '../paths';
import { Document, isMap, isNode, isPair, isScalar, LineCounter, Node, parseDocument, YAMLError } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigIssue, ConfigLocation, formatPath } from './errors';
import { BaselineConfig, configSchema } from './schema';
import { jsonSyntaxErrorOffset } from './json-syntax';
import { findSecretValues, SECRET_VALUE_MESSAGE } from './secret-values';
import { validateConfig, ValidateOptions } from './validate';
import { DEFAULT_CONFIG_PATH } from './defaults';

/** The config used when `-c config=...` is not given. */
export { DEFAULT_CONFIG_PATH } from './defaults';

/**
 * The largest config file read. The example is 5 KB; a megabyte is far more
 * than any real deployment needs and keeps a hostile file from exhausting
 * memory before any check runs.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Aliases expand into copies when the file becomes data; a few nested
 * aliases can expand into billions of nodes (the "billion laughs" attack).
 * yaml's own guard refuses more than this many alias expansions.
 */
export const MAX_ALIAS_COUNT = 100;

type Path = ReadonlyArray<string | number>;

/** What a YAML parse error means, in words that do not quote the file. */
const YAML_ERRORS: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'a key is written twice in one mapping; keep one (a repeated key would silently replace the first)',
  BAD_INDENT: 'bad indentation or an unclosed bracket; align the entry with its siblings and close every [ and {',
  BAD_ALIAS: 'an alias (*name) that cannot be resolved; define the anchor (&name) before using it, or write the value out',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  TAB_AS_INDENT: 'a tab is used for indentation; indent with spaces',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (---); keep one',
  UNEXPECTED_TOKEN: 'unexpected character; check quoting and punctuation on this line',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block is used as a key; check indentation and colons',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines; put each key on one line followed by a colon',
  NON_STRING_KEY: 'a key is not a plain string',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  TAG_RESOLVE_FAILED: 'an unknown YAML tag (!name); remove it: the config uses plain values only',
  BAD_SCALAR_START: 'a value starts with a reserved character (@ or `); quote it',
};

/** Reads positions out of the parsed document. */
class Locator {
  constructor(
    private readonly doc: Document.Parsed | undefined,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): ConfigLocation {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /** The node at the path, or the nearest ancestor that exists. */
  node(path: Path): ConfigLocation | undefined {
    if (!this.doc) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.at(node.range[0]);
    }
    return undefined;
  }

  /** The key `key` of the mapping at the path (for unknown keys). */
  key(path: Path, key: string): ConfigLocation | undefined {
    const map = this.doc?.getIn(path, true) ?? (path.length === 0 ? this.doc?.contents : undefined);
    if (isMap(map)) {
      const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      if (pair && isNode(pair.key) && (pair.key as Node).range) return this.at((pair.key as Node).range![0]);
    }
    return this.node(path);
  }
}

/** The value at a path of the raw data, or undefined. */
function valueAt(raw: unknown, path: Path): unknown {
  let value: unknown = raw;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

/** A received value as a message may show it: short values quoted, long ones by size only. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length <= 40 && !/[\r\n]/.test(value) ? `the string "${value}"` : `a string of ${value.length} characters`;
  return `the ${typeof value} ${String(value)}`;
}

/** What a zod type name means to a person editing YAML. */
function expectedText(expected: string): string {
  switch (expected) {
    case 'boolean':
      return 'true or false (unquoted)';
    case 'number':
    case 'int':
      return 'a number (unquoted)';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping (key: value lines)';
    default:
      return expected;
  }
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** zod 4 definitions as far as this file walks them. */
interface ZodDefLike {
  readonly type: string;
  readonly shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  readonly element?: { _zod: { def: ZodDefLike } };
  readonly innerType?: { _zod: { def: ZodDefLike } };
  readonly in?: { _zod: { def: ZodDefLike } };
  readonly valueType?: { _zod: { def: ZodDefLike } };
}

/** The field names the schema allows at a path (for "did you mean"). */
function knownKeysAt(path: Path): string[] {
  let def = (configSchema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  const unwrap = (): void => {
    for (;;) {
      const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
      if (!next) return;
      def = next._zod.def;
    }
  };
  unwrap();
  for (const part of path) {
    const next = typeof part === 'number' ? def.element : (def.shape?.[part] ?? def.valueType);
    if (!next) return [];
    def = next._zod.def;
    unwrap();
  }
  return Object.keys(def.shape ?? {});
}

function didYouMean(key: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 3))) return `did you mean "${best.k}"?`;
  return known.length > 0 ? `allowed fields here: ${known.join(', ')}` : 'remove it';
}

function describeZodIssue(issue: z.core.$ZodIssue, raw: unknown, where: Locator): ConfigIssue[] {
  const path = formatPath(issue.path);
  const zodPath = issue.path as Path;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(zodPath);
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: `is not a field of ${path || 'the config'}; ${didYouMean(key, known)} (docs/config.md lists every field)`,
      location: where.key(zodPath, key),
    }));
  }
  const location = where.node(zodPath);
  const received = valueAt(raw, zodPath);
  if (issue.code === 'invalid_type') {
    if (received === undefined) {
      // zod reports a missing field as a type error; say "is required" instead.
      const custom = /^is required/.test(issue.message) ? issue.message : `is required (${expectedText(issue.expected)})`;
      return [{ path, message: custom, location }];
    }
    // zod 4 leaves `input` empty unless asked; the value is read from the file instead.
    const fix = /^is required: (.*)$/.exec(issue.message)?.[1];
    return [{ path, message: `must be ${expectedText(issue.expected)}, not ${describeValue(received)}${fix ? ` (${fix})` : ''}`, location }];
  }
  if (issue.code === 'invalid_value' || (issue.code === 'invalid_union' && received !== undefined)) {
    const values = issue.code === 'invalid_value' ? issue.values.map((v) => JSON.stringify(v)).join(', ') : undefined;
    const base = values && !/one of/.test(issue.message) ? `must be one of ${values}` : issue.message;
    return [{ path, message: `${base}, not ${describeValue(received)}`, location }];
  }
  return [{ path, message: issue.message, location }];
}

/** Decodes the bytes as UTF-8, refusing invalid sequences instead of replacing them. */
export function decodeConfig(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(file, [{ path: '', message: 'is not valid UTF-8 text; save the file as UTF-8 (a byte sequence in it is not a character)' }]);
  }
}

/** A LineCounter filled with the text's line starts. */
function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** Parses the text into a document, refusing every syntax problem, duplicate key, unknown tag and alias abuse. */
function parseText(text: string, file: string, lines: LineCounter): { raw: unknown; doc: Document.Parsed } {
  if (extname(file).toLowerCase() === '.json') {
    const offset = jsonSyntaxErrorOffset(text);
    if (offset !== undefined) {
      const location = new Locator(undefined, lineCounterOf(text)).at(offset);
      // Never JSON.parse's own message: it quotes the text around the error, which may hold a secret.
      throw new ConfigError(file, [
        { path: '', message: `is not valid JSON: syntax error at line ${location.line}, column ${location.column}; check the brackets, quotes and commas there`, location },
      ]);
    }
  }
  // JSON is parsed a second time as YAML (a superset) for what JSON.parse lacks: positions, and
  // duplicate keys refused instead of "last one wins" (uniqueKeys).
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const where = new Locator(undefined, lines);
  const problems = [...doc.errors, ...doc.warnings].map((e) => ({
    path: '',
    message: `is not valid YAML: ${YAML_ERRORS[e.code] ?? `syntax error (${e.code})`}`,
    location: where.at(e.pos[0]),
  }));
  if (problems.length > 0) throw new ConfigError(file, problems);
  try {
    return { raw: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), doc };
  } catch (err) {
    const message = (err as Error).message;
    const why = /Excessive alias count/.test(message)
      ? `expands its aliases (*name) into more than ${MAX_ALIAS_COUNT} copies, the shape of a "billion laughs" attack; write the values out`
      : /Unresolved alias/.test(message)
        ? 'uses an alias (*name) whose anchor (&name) is not defined before it; define the anchor or write the value out'
        : 'cannot be read as data (a YAML alias or tag problem)';
    throw new ConfigError(file, [{ path: '', message: why }]);
  }
}

/**
 * The config as far as it parsed, for the cross-field checks: every value
 * that passes its own schema, with list positions kept (entries that failed
 * are holes), so the cross-field problems appear in the same run as the
 * schema problems, with the same paths.
 */
function partialConfig(raw: unknown): BaselineConfig {
  const salvage = (schema: z.ZodType, value: unknown): unknown => {
    const whole = schema.safeParse(value);
    if (whole.success) return whole.data;
    // A list over its limit is not checked entry by entry: its length is the problem to fix first, and a
    // hostile 50,000-entry list would otherwise cost seconds of per-entry work before being refused.
    if (whole.error.issues.some((i) => i.code === 'too_big' && i.path.length === 0)) return undefined;
    let def = (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
    while (def.innerType) def = def.innerType._zod.def;
    if (def.type === 'array' && Array.isArray(value) && def.element) {
      const element = def.element as unknown as z.ZodType;
      const out: unknown[] = new Array(value.length);
      value.forEach((item, i) => {
        const parsed = salvage(element, item);
        if (parsed !== undefined) out[i] = parsed;
      });
      return out;
    }
    if (def.type === 'object' && def.shape && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape)) out[key] = salvage(field as unknown as z.ZodType, (value as Record<string, unknown>)[key]);
      return out;
    }
    return undefined;
  };
  return salvage(configSchema, raw) as BaselineConfig;
}

/** Parses config text (YAML or JSON) and validates it fully: every problem of the file in one ConfigError. */
export function parseConfig(text: string, file: string, options: ValidateOptions = {}): BaselineConfig {
  const lines = new LineCounter();
  const { raw, doc } = parseText(text, file, lines);
  const where = new Locator(doc, lines);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '', message: 'must be a mapping with deployment, environments, tenants, allowList, people and secrets' }]);
  }

  // Secrets first: their paths are refused by name only, and no other message may show their value.
  const secrets = findSecretValues(raw);
  const secretIssues: ConfigIssue[] = secrets.map((s) => ({
    path: formatPath(s.path),
    message: SECRET_VALUE_MESSAGE.replace('%KIND%', s.kind),
    location: where.node(s.path),
  }));
  const secretPaths = new Set(secretIssues.map((i) => i.path));
  const redact = (issue: ConfigIssue): ConfigIssue => {
    let message = issue.message;
    for (const s of secrets) message = message.split(s.value).join('<redacted>');
    return { ...issue, message };
  };

  const result = configSchema.safeParse(raw);
  const schemaIssues = result.success ? [] : result.error.issues.flatMap((issue) => describeZodIssue(issue, raw, where));
  let crossField: ConfigIssue[];
  try {
    // The further checks (warehouse) need the whole config; on a partial one only the cross-field checks run.
    crossField = result.success ? validateConfig(result.data, options) : validateConfig(partialConfig(raw), { ...options, checks: [] });
  } catch {
    // Parts the cross-field checks need did not parse; their problems appear once the schema problems are fixed.
    crossField = [];
  }
  const seen = new Set(schemaIssues.map((i) => i.path));
  // A reference into a section that did not parse completely may only look broken: it waits for the schema fix.
  const broken = new Set(schemaIssues.map((i) => /^[A-Za-z]+/.exec(i.path)?.[0]));
  const waits = (i: ConfigIssue): boolean =>
    Object.entries(REFERENCED_SECTIONS).some(([words, section]) => broken.has(section) && i.message.includes(words));
  const located = crossField
    .filter((i) => !seen.has(i.path) && !waits(i))
    .map((i) => ({ ...i, location: i.location ?? where.node(pathParts(i.path)) }));
  const issues = [...secretIssues, ...[...schemaIssues, ...located].filter((i) => !secretPaths.has(i.path)).map(redact)];
  if (issues.length > 0) throw new ConfigError(file, issues);
  const config = (result as { data: BaselineConfig }).data;
  SOURCES.set(config, { file, locate: (path) => where.node(pathParts(path)) });
  return config;
}

/** Where each parsed config came from, so resources built from a field can point at its line. */
const SOURCES = new WeakMap<BaselineConfig, { readonly file: string; locate(path: string): ConfigLocation | undefined }>();

/**
 * `file:line` of a config field (`allowList[3]`), relative to the working
 * directory when the file lies below it, for findings about resources that
 * the field makes (a SARIF location in the repository instead of cdk.out);
 * undefined for a config that was not parsed from a file.
 */
export function configSourceOf(config: BaselineConfig, path: string): string | undefined {
  const source = SOURCES.get(config);
  const location = source?.locate(path);
  if (!source || !location) return undefined;
  // Below the working directory as displayPath shows it; elsewhere as given, never made absolute (it lands in cdk.out).
  const shown = displayPath(source.file);
  return `${isAbsolute(shown) && !isAbsolute(source.file) ? source.file : shown}:${location.line}`;
}

/** Cross-field messages that name an entry of another section, and that section. */
const REFERENCED_SECTIONS: Readonly<Record<string, string>> = {
  'is not a tenant': 'tenants',
  'is not an environment': 'environments',
  'is not a people group': 'people',
  'is not in secrets[]': 'secrets',
};

/** `allowList[3].expires` → ['allowList', 3, 'expires']. */
function pathParts(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** Reads and validates a config file; every failure is a ConfigError naming the file. */
export function loadConfig(file: string = DEFAULT_CONFIG_PATH, options: ValidateOptions = {}): BaselineConfig {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(file, [{ path: '', message: `is ${size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes (1 MiB)` }]);
    }
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? (err as Error).message})`;
    throw new ConfigError(file, [{ path: '', message: `${why}; pass an existing YAML or JSON file with -c config=path/to/config.yaml` }]);
  }
  return parseConfig(decodeConfig(bytes, file), file, options);
}
