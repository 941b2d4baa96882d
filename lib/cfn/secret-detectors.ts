/**
 * Detectors for secret values, shared by the SECRET-2 rule, the audit CLI
 * and tests. Detection is by NAME (a key that names a secret, with a literal
 * value) and by SHAPE (text that looks like a credential whatever its name).
 * Detectors return kinds and positions only: a finding must never carry the
 * value it found.
 */

/** Names that hold secrets: password, secret, token, API key, credential, private key, passphrase. */
const SECRET_NAME = /(password|passwd|pwd|secret|token|api[-_]?key|apikey|credential|private[-_]?key|passphrase|auth[-_]?key)/i;

/**
 * Names that mention a secret but hold something else: a reference to it
 * (ARN, parameter name or path, ID), a setting about it (length, TTL,
 * policy, rotation) or the sshd keyword PasswordAuthentication.
 */
const NOT_A_SECRET_NAME =
  /(arn|name|names|path|param|parameter|id|ids|ref|url|uri|file|key[-_]?id|ttl|length|type|policy|enabled|source|validity|version|header|template|rotation|expir\w*|authentication|generate\w*|exclude\w*|kms\w*|store)$/i;

/** True for a key name that holds a secret value (e.g. DB_PASSWORD, apiKey, client_secret). */
/**
 * Abbreviations that name a password only as a whole word of the name
 * (`DB_PASS`, `mysqlPw`, `smtp-pass`); inside a word they mean something else
 * (`PASSTHROUGH`, `PWR`).
 */
const SECRET_ABBREVIATION = /(^|[-_])(pass|pw)($|[-_])/i;

/** Words of a name split on separators and camelCase, joined by `_`: `dbPass` → `db_pass`. */
function snakeWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function looksLikeSecretName(name: string): boolean {
  const compact = name.replace(/[^A-Za-z0-9_-]/g, '');
  return (SECRET_NAME.test(compact) || SECRET_ABBREVIATION.test(snakeWords(compact))) && !NOT_A_SECRET_NAME.test(compact);
}

/**
 * True for a value that could be a secret written in place: not empty, not a
 * reference (`{{resolve:...}}` dynamic reference, `${...}` placeholder, shell
 * variable or command), not an ARN or Parameter Store path, not a boolean or
 * plain number, not an obvious placeholder.
 */
export function isLiteralSecretCandidate(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v.length === 0) return false;
  if (/\{\{resolve:/.test(v) || /\$\{/.test(v) || /^\$/.test(v) || /^`/.test(v)) return false;
  if (/^arn:/.test(v) || /^\/[\w./-]+$/.test(v)) return false;
  // Booleans, numbers and CloudFormation enum settings (EC2 MetadataOptions.HttpTokens: required).
  if (/^(true|false|yes|no|none|null|undefined|on|off|required|optional|enabled|disabled)$/i.test(v) || /^\d+$/.test(v)) return false;
  if (/^<[^>]*>$/.test(v)) return false;
  return true;
}

export interface ShapeMatch {
  /** Stable detector ID, e.g. `aws-access-key-id-shape`. */
  readonly kind: string;
  /** Offset of the match in the scanned text. */
  readonly index: number;
}

/** Shapes of credentials recognisable without a name. */
const SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'aws-access-key-id-shape', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'private-key-shape', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g },
  { kind: 'slack-webhook-shape', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/g },
  // Slack API tokens: bot (xoxb-), user (xoxp-), app-level (xapp-), legacy and refresh tokens (xoxa-, xoxr-, xoxs-, xoxe-).
  { kind: 'slack-token-shape', pattern: /\b(xox[abeoprs]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g },
  { kind: 'github-token-shape', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'jwt-shape', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // scheme://user:password@host, with a literal password (not ${...}, $VAR or a dynamic reference).
  { kind: 'url-password-shape', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+:(?!\$|\{\{)[^\s/@'"]+@/gi },
  // A password given on the command line: `mysql -pSecret`, `mysqldump -p'Secret'`, `sshpass -p Secret`,
  // `--password Secret` (a variable, `$(...)` or a dynamic reference is not a literal).
  { kind: 'cli-password-flag', pattern: /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n|;&]*?\s-p(?!\s)["']?(?![$`{"'])[^\s"']+/g },
  { kind: 'cli-password-flag', pattern: /\bsshpass\s+-p\s*["']?(?![$`{"'])[^\s"']+/g },
  { kind: 'cli-password-flag', pattern: /\s--password\s+["']?(?![$`{"'-])[^\s"']+/g },
];

/** 40 base64 characters: the shape of an AWS secret access key. */
const AWS_SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;
/** The names an AWS secret access key is written next to. */
const AWS_SECRET_KEY_NAME = /(aws_?secret|secret_?access_?key|SecretAccessKey|secret_?key)/i;

/** Credential shapes in a text (one line or a value). */
export function secretShapes(text: string): ShapeMatch[] {
  const found: ShapeMatch[] = [];
  for (const { kind, pattern } of SHAPES) {
    for (const m of text.matchAll(pattern)) found.push({ kind, index: m.index ?? 0 });
  }
  const secretKey = AWS_SECRET_KEY.exec(text);
  if (secretKey && AWS_SECRET_KEY_NAME.test(text)) found.push({ kind: 'aws-secret-key-shape', index: secretKey.index });
  return found;
}

/**
 * `name=value` (shell, env files), `name: value` (YAML, a space after the
 * colon) and `"name": value` (JSON) with a literal value. An ARN's
 * `secretsmanager:us-east-1` is none of these.
 */
const ASSIGNMENT =
  /(?:([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=|([A-Za-z_][A-Za-z0-9_.-]*):[ \t]+|["']([A-Za-z_][A-Za-z0-9_.-]*)["'][ \t]*:)[ \t]*("[^"]*"|'[^']*'|[^\s"'#;,}]+)/g;

/** Names in a line that are assigned a literal secret (e.g. `export DB_PASSWORD=hunter2`). */
export function secretAssignments(line: string): string[] {
  const names: string[] = [];
  for (const m of line.matchAll(ASSIGNMENT)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (looksLikeSecretName(name) && isLiteralSecretCandidate(m[4])) names.push(name);
  }
  return names;
}

/** One finding in a (possibly multi-line) text: the line (1-based) and what was found, never the value. */
export interface TextFinding {
  readonly line: number;
  readonly kind: string;
}

/** Secret shapes and secret-named assignments in a text, line by line. */
export function scanText(text: string): TextFinding[] {
  const findings: TextFinding[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const s of secretShapes(line)) findings.push({ line: i + 1, kind: s.kind });
    for (const name of secretAssignments(line)) findings.push({ line: i + 1, kind: `name=${name}` });
  });
  return findings;
}
