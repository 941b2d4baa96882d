/** Where in the file a problem is: 1-based line and column. */
export interface ConfigLocation {
  readonly line: number;
  readonly column: number;
}

/** One problem in the config file: where it is and what to do about it. */
export interface ConfigIssue {
  /** Dotted path into the file, e.g. `allowList[3].expires`. */
  readonly path: string;
  readonly message: string;
  /** The line and column of the offending node, when the file was parsed that far. */
  readonly location?: ConfigLocation;
}

/**
 * Raised for any config that must not be synthesized. The message lists every
 * problem found, one per line, each naming the field, where it is
 * (`file:line:column`) and the fix. Messages never quote the file's text
 * beyond the short offending value of a field, and never a value that looks
 * like a secret.
 */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];
  public readonly file: string;

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => {
      const where = issue.location ? ` (${file}:${issue.location.line}:${issue.location.column})` : '';
      return `  - ${issue.path || '(file)'}: ${issue.message}${where}`;
    });
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
