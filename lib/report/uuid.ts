import { createHash } from 'node:crypto';

/** RFC 4122 URL namespace. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Namespace of this project's OSCAL UUIDs: uuidV5('https://github.com/edu-security-baseline/oscal', URL_NAMESPACE). */
export const OSCAL_UUID_NAMESPACE = '05677c51-80bc-53ad-a962-a67a88b3ba33';

function bytesOf(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/**
 * A name-based (version 5, SHA-1) UUID per RFC 4122 §4.3: the same name in
 * the same namespace always gives the same UUID, so OSCAL documents written
 * from the same cdk.out are identical.
 */
export function uuidV5(name: string, namespace: string = OSCAL_UUID_NAMESPACE): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50; // version 5
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
