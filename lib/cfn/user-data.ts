import { CfnTemplate } from './template';
import { flattenString, intrinsicName } from './values';

/**
 * Reading EC2 user data, for the rules (sshd settings, boot signal, secret
 * values) and the evidence report alike. User data may be a plain string
 * (CloudFormation expects it base64-encoded already), Fn::Base64 of a
 * string, Fn::Join or Fn::Sub; Fn::If contributes both branches.
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

/** The text user data will hold once deployed, as far as the template tells it. */
export function userDataText(value: unknown, template: CfnTemplate): UserDataText {
  if (typeof value === 'string') return { text: decodeIfBase64(value), partlyUnknown: false };
  const flat = flattenString(value, template);
  const parameterPlaceholder = [...flat.text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].some((m) => template.Parameters?.[m[1]] !== undefined);
  const inner = intrinsicName(value) === 'Fn::Base64' ? flat.text : decodeIfBase64(flat.text);
  return { text: inner, partlyUnknown: flat.unresolved.length > 0 || parameterPlaceholder };
}
