import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigIssue, formatPath } from './errors';
import { BaselineConfig, configSchema } from './schema';
import { validateConfig, ValidateOptions } from './validate';
import { DEFAULT_CONFIG_PATH } from './defaults';

/** The config used when `-c config=...` is not given. */
export { DEFAULT_CONFIG_PATH } from './defaults';

function describeZodIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return { path: path || '(top level)', message: `has unknown field ${keys}; remove it or check its spelling against config/example.yaml` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    // zod reports a missing field as a type error; say "is required" instead.
    const custom = /^is required/.test(issue.message) ? issue.message : `is required (expected ${issue.expected})`;
    return { path, message: custom };
  }
  if (issue.code === 'invalid_type') {
    return { path, message: `must be ${issue.expected}, not ${describeValue(issue.input)}` };
  }
  return { path, message: issue.message };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value}`;
}

/** Parses config text (YAML, of which JSON is a subset) and validates it fully. */
export function parseConfig(text: string, file: string, options: ValidateOptions = {}): BaselineConfig {
  let raw: unknown;
  const isJson = extname(file).toLowerCase() === '.json';
  if (isJson) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(file, [{ path: '', message: `is not valid JSON: ${(err as Error).message}` }]);
    }
  } else {
    // uniqueKeys: a key written twice in YAML is an error, never "last one wins".
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        file,
        doc.errors.map((e) => ({ path: '', message: `is not valid YAML: ${e.message.split('\n')[0]} (line ${e.linePos?.[0].line ?? '?'})` })),
      );
    }
    raw = doc.toJS();
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '', message: 'must be a mapping with deployment, environments, tenants, allowList, people and secrets' }]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map(describeZodIssue));
  }
  const issues = validateConfig(result.data, options);
  if (issues.length > 0) throw new ConfigError(file, issues);
  return result.data;
}

/** Reads and validates a config file; every failure is a ConfigError naming the file. */
export function loadConfig(file: string = DEFAULT_CONFIG_PATH, options: ValidateOptions = {}): BaselineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? (err as Error).message})`;
    throw new ConfigError(file, [{ path: '', message: `${why}; pass an existing YAML or JSON file with -c config=path/to/config.yaml` }]);
  }
  return parseConfig(text, file, options);
}
