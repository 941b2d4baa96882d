/** One problem in the config file: where it is and what to do about it. */
export interface ConfigIssue {
  /** Dotted path into the file, e.g. `allowList[3].expires`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Raised for any config that must not be synthesized. The message lists every
 * problem found, one per line, each naming the field and the fix.
 */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];
  public readonly file: string;

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || '(file)'}: ${issue.message}`);
    super(`Invalid config ${file}:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

/** Renders a zod/our path as people write it: `allowList[3].expires`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
