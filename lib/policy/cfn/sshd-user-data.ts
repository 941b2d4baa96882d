import { CfnTemplate } from '../rule';
import { flattenString, intrinsicName } from './values';

/**
 * Reading EC2 user data for the sshd settings EC2-1 requires. User data may
 * be a plain string (CloudFormation expects it base64-encoded already),
 * Fn::Base64 of a string, Fn::Join or Fn::Sub; Fn::If contributes both
 * branches.
 */

/** User data as text, with the intrinsics that could not be read. */
export interface UserDataText {
  readonly text: string;
  /** True when part of the text cannot be known (an import, a parameter without default, ...). */
  readonly partlyUnknown: boolean;
}

function decodeIfBase64(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  // Only accept a decoding that is readable text; otherwise keep what was written.
  const readable = [...decoded].every((c) => c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c !== '\x7f' && c !== '\ufffd'));
  return readable ? decoded : text;
}

export function userDataText(value: unknown, template: CfnTemplate): UserDataText {
  if (typeof value === 'string') return { text: decodeIfBase64(value), partlyUnknown: false };
  const flat = flattenString(value, template);
  const parameterPlaceholder = [...flat.text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].some((m) => template.Parameters?.[m[1]] !== undefined);
  const inner = intrinsicName(value) === 'Fn::Base64' ? flat.text : decodeIfBase64(flat.text);
  return { text: inner, partlyUnknown: flat.unresolved.length > 0 || parameterPlaceholder };
}

/** A line as sshd or the shell would act on it: comments dropped, sed search patterns removed. */
function effectiveLine(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('#') && !trimmed.startsWith('#!') && !/^#cloud-config/i.test(trimmed)) return '';
  if (!/\bsed\b/.test(line)) return line;
  // `sed 's/PasswordAuthentication yes/PasswordAuthentication no/'` writes only its replacement.
  return line.replace(/\bs([/|#@,])((?:\\.|(?!\1)[^\\])*)\1((?:\\.|(?!\1)[^\\])*)\1/g, ' $3 ');
}

/** Required sshd settings, each with the forms that satisfy it. */
const REQUIRED: readonly { id: string; patterns: readonly RegExp[] }[] = [
  { id: 'PasswordAuthentication-no', patterns: [/\bPasswordAuthentication\s+no\b/i, /\bssh_pwauth:\s*(false|0|no)\b/i] },
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
  { id: 'ssh_pwauth-true', pattern: /\bssh_pwauth:\s*(true|1|yes)\b/i },
  { id: 'lock_passwd-false', pattern: /\block_passwd:\s*(false|0|no)\b/i },
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
