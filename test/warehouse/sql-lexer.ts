/**
 * A small Snowflake lexer for the tests: enough to split the script into
 * statements and to tell words from quoted identifiers and string literals,
 * so assertions see the structure Snowflake would see.
 */

export type TokenKind = 'word' | 'ident' | 'string' | 'dollar' | 'punct' | 'number';

export interface Token {
  readonly kind: TokenKind;
  /** Decoded value: the identifier or string without quotes or escapes; upper-cased for words. */
  readonly value: string;
}

export interface Statement {
  readonly text: string;
  readonly tokens: readonly Token[];
}

/** Decodes a Snowflake single-quoted string body (backslash escapes and doubled quotes). */
function decodeString(body: string): string {
  return body.replace(/''|\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (match, esc: string | undefined) => {
    if (match === "''") return "'";
    if (!esc) return match;
    if (esc[0] === 'x' && esc.length === 3) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc[0] === 'u' && esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '0': '\0' };
    return simple[esc] ?? esc;
  });
}

/** Splits the script into statements at top-level semicolons; throws on an unterminated quote. */
export function lex(script: string): Statement[] {
  const statements: Statement[] = [];
  let tokens: Token[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const flush = (end: number) => {
    const text = script.slice(start, end).trim();
    if (tokens.length > 0) statements.push({ text, tokens });
    tokens = [];
    start = end + 1;
  };
  while (i < n) {
    const ch = script[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      if (tokens.length === 0) start = i;
    } else if (ch === "'") {
      let j = i + 1;
      while (j < n) {
        if (script[j] === '\\') j += 2;
        else if (script[j] === "'" && script[j + 1] === "'") j += 2;
        else if (script[j] === "'") break;
        else j++;
      }
      if (j >= n) throw new Error(`Unterminated string at offset ${i}`);
      tokens.push({ kind: 'string', value: decodeString(script.slice(i + 1, j)) });
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < n) {
        if (script[j] === '"' && script[j + 1] === '"') j += 2;
        else if (script[j] === '"') break;
        else j++;
      }
      if (j >= n) throw new Error(`Unterminated identifier at offset ${i}`);
      tokens.push({ kind: 'ident', value: script.slice(i + 1, j).replace(/""/g, '"') });
      i = j + 1;
    } else if (ch === '$' && script[i + 1] === '$') {
      const end = script.indexOf('$$', i + 2);
      if (end < 0) throw new Error(`Unterminated $$ block at offset ${i}`);
      tokens.push({ kind: 'dollar', value: script.slice(i + 2, end) });
      i = end + 2;
    } else if (ch === ';') {
      flush(i);
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(script[j])) j++;
      tokens.push({ kind: 'word', value: script.slice(i, j).toUpperCase() });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(script[j])) j++;
      tokens.push({ kind: 'number', value: script.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: ch });
      i++;
    }
  }
  if (tokens.length > 0) throw new Error('The script ends without a semicolon');
  return statements;
}

/** The leading words of a statement, e.g. "CREATE NETWORK RULE IF NOT EXISTS". */
export function head(statement: Statement, words = 6): string {
  const out: string[] = [];
  for (const token of statement.tokens) {
    if (token.kind !== 'word' || out.length >= words) break;
    out.push(token.value);
  }
  return out.join(' ');
}

/** Index of the first word token equal to `word` at or after `from`, or -1. */
export function findWord(tokens: readonly Token[], word: string, from = 0): number {
  for (let i = from; i < tokens.length; i++) if (tokens[i].kind === 'word' && tokens[i].value === word) return i;
  return -1;
}
