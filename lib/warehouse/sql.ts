/**
 * Quoting for the Snowflake script. Every identifier is double-quoted and
 * every literal single-quoted by these functions, and nothing from the config
 * reaches the script any other way, so a tenant code, display name or owner
 * cannot end a string or a statement.
 */

/**
 * The identifiers the script creates: upper case so that the quoted form
 * means the same as the unquoted one people type in worksheets, and no `$`
 * so that no identifier can open a `$$` block.
 */
export const GENERATED_IDENTIFIER = /^[A-Z][A-Z0-9_]{0,254}$/;

/** Client-side template variables: `<% name %>` (Snowflake CLI). */
export const PLACEHOLDER_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Double-quotes an identifier; an embedded `"` is doubled, as Snowflake requires. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('An identifier must not be empty');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A dotted name, each part quoted: `"DB"."SCHEMA"."OBJECT"`. */
export function qualified(...parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * Characters written as a hex escape inside literals: the quote and the
 * backslash (Snowflake's escape character), control characters, and the
 * characters that open client-side substitutions (`<% %>` and `&{ }` in
 * Snowflake CLI, `&name` in SnowSQL), so that a display name cannot smuggle a
 * template variable into the script.
 */
const ESCAPED_IN_LITERAL = new Set(['\\', "'", '<', '&', '%', '{', '$']);

function mustEscape(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f || ESCAPED_IN_LITERAL.has(ch);
}

/** Single-quotes a string literal, escaping anything that could end it or be substituted into it. */
export function quoteLiteral(value: string): string {
  let escaped = '';
  for (const ch of value) {
    escaped += mustEscape(ch) ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch;
  }
  return `'${escaped}'`;
}

/**
 * A literal whose value the operator supplies when running the script, e.g.
 * `'<% loader_rsa_public_key %>'` for `snow sql -f ... -D loader_rsa_public_key=...`.
 * The script never holds the value itself.
 */
export function placeholderLiteral(name: string): string {
  if (!PLACEHOLDER_NAME.test(name)) throw new Error(`"${name}" is not a valid placeholder name`);
  return `'<% ${name} %>'`;
}

/** A parenthesised list of literals, e.g. `('a', 'b')`. */
export function literalList(values: readonly string[]): string {
  return `(${values.map(quoteLiteral).join(', ')})`;
}

/** True when `name` may be used as a generated identifier. */
export function isGeneratedIdentifier(name: string): boolean {
  return GENERATED_IDENTIFIER.test(name);
}
