/** Reading EC2 user data (see user-data.ts) for the sshd settings EC2-1 requires. */

/** The sshd keywords EC2-1 reads. */
const SSHD_KEYWORD = /\b(PasswordAuthentication|KbdInteractiveAuthentication|ChallengeResponseAuthentication|PermitRootLogin|PermitEmptyPasswords)\b/i;

/**
 * The capture groups of a sed pattern, in the order sed numbers them (by
 * opening parenthesis; BRE `\(` and ERE `(` alike), each reduced to its
 * literal text: `^#\?\(PasswordAuthentication\)` has group 1 `PasswordAuthentication`.
 */
function sedGroups(pattern: string): string[] {
  const groups: string[] = [];
  const open: { index: number; start: number }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const escaped = pattern[i] === '\\';
    const c = escaped ? pattern[i + 1] : pattern[i];
    if (c === '(') {
      open.push({ index: groups.length, start: i + (escaped ? 2 : 1) });
      groups.push('');
    } else if (c === ')' && open.length > 0) {
      const g = open.pop() as { index: number; start: number };
      groups[g.index] = literalOf(pattern.slice(g.start, i));
    }
    if (escaped) i++;
  }
  return groups;
}

/** The literal text a regex fragment stands for, roughly: first alternative, classes and operators dropped. */
function literalOf(fragment: string): string {
  return fragment
    .split(/\\?\|/)[0]
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\[A-Za-z]/g, '')
    .replace(/[\\^$?*+.(){}]/g, '');
}

/**
 * What a sed substitution writes: its replacement with back-references
 * (`\1`) filled in from the pattern's groups. With an address
 * (`/^PasswordAuthentication/s/no/yes/`) the edited line is the addressed
 * keyword's, so the keyword is written before the replacement.
 */
function sedWrites(address: string | undefined, pattern: string, replacement: string): string {
  const groups = sedGroups(pattern);
  let written = replacement.replace(/\\([1-9])/g, (_, n: string) => groups[Number(n) - 1] ?? '');
  const keyword = address !== undefined ? SSHD_KEYWORD.exec(address) : null;
  if (keyword && !SSHD_KEYWORD.test(written)) written = `${keyword[1]} ${written}`;
  return ` ${written.replace(/\\(.)/g, '$1')} `;
}

/** A line as sshd or the shell would act on it: comments dropped, sed search patterns removed. */
function effectiveLine(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('#') && !trimmed.startsWith('#!') && !/^#cloud-config/i.test(trimmed)) return '';
  if (!/\bsed\b/.test(line)) return line;
  // `sed 's/PasswordAuthentication yes/PasswordAuthentication no/'` writes only its replacement;
  // `sed '/^PasswordAuthentication/s/no/yes/'` writes `PasswordAuthentication yes`.
  return line.replace(
    /(?:\/((?:\\.|[^\\/])*)\/\s*)?\bs([/|#@,])((?:\\.|(?!\2)[^\\])*)\2((?:\\.|(?!\2)[^\\])*)\2/g,
    (_whole, address: string | undefined, _delimiter: string, pattern: string, replacement: string) => sedWrites(address, pattern, replacement),
  );
}

/** Required sshd settings, each with the forms that satisfy it. */
const REQUIRED: readonly { id: string; patterns: readonly RegExp[] }[] = [
  { id: 'PasswordAuthentication-no', patterns: [/\bPasswordAuthentication\s+no\b/i, /\bssh_pwauth:\s*["']?(false|0|no|off)\b/i] },
  {
    id: 'KbdInteractiveAuthentication-no',
    patterns: [/\bKbdInteractiveAuthentication\s+no\b/i, /\bChallengeResponseAuthentication\s+no\b/i],
  },
  { id: 'PermitRootLogin-no', patterns: [/\bPermitRootLogin\s+no\b/i] },
];

/** Settings that turn password or root login on, each with a stable ID. */
const FORBIDDEN: readonly { id: string; pattern: RegExp }[] = [
  { id: 'PasswordAuthentication-yes', pattern: /\bPasswordAuthentication\s+yes\b/i },
  { id: 'KbdInteractiveAuthentication-yes', pattern: /\b(KbdInteractive|ChallengeResponse)Authentication\s+yes\b/i },
  { id: 'PermitRootLogin-not-no', pattern: /\bPermitRootLogin\s+(?!no\b)[A-Za-z-]+/i },
  { id: 'PermitEmptyPasswords-yes', pattern: /\bPermitEmptyPasswords\s+yes\b/i },
  { id: 'chpasswd', pattern: /\bchpasswd\b/i },
  { id: 'ssh_pwauth-true', pattern: /\bssh_pwauth:\s*["']?(true|1|yes|on)\b/i },
  { id: 'lock_passwd-false', pattern: /\block_passwd:\s*["']?(false|0|no|off)\b/i },
  { id: 'passwd-set', pattern: /\|\s*(sudo\s+)?passwd\b|\bpasswd\s+--stdin\b|^\s*-?\s*(plain_text_)?passwd:\s*\S|\busermod\b.*\s(-p|--password)\s/i },
];

/** What the user data does to sshd: settings it lacks and lines that enable passwords or root. */
export interface SshdFindings {
  readonly missing: readonly string[];
  readonly forbidden: readonly { line: number; id: string }[];
}

export function sshdFindings(text: string): SshdFindings {
  const lines = text.split(/\r?\n/).map(effectiveLine);
  const effective = lines.join('\n');
  const missing = REQUIRED.filter((r) => !r.patterns.some((p) => p.test(effective))).map((r) => r.id);
  const forbidden = lines.flatMap((line, i) =>
    FORBIDDEN.filter((f) => f.pattern.test(line)).map((f) => ({ line: i + 1, id: f.id })),
  );
  return { missing, forbidden };
}
