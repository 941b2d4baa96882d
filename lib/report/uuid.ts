import { v5 } from 'uuid';

/** RFC 4122 URL namespace. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Namespace of this project's OSCAL UUIDs: uuidV5('https://github.com/edu-security-baseline/oscal', URL_NAMESPACE). */
export const OSCAL_UUID_NAMESPACE = '05677c51-80bc-53ad-a962-a67a88b3ba33';

/**
 * A name-based (version 5, SHA-1) UUID per RFC 4122 §4.3, from the `uuid`
 * package: the same name in the same namespace always gives the same UUID,
 * so OSCAL documents written from the same cdk.out are identical.
 */
export function uuidV5(name: string, namespace: string = OSCAL_UUID_NAMESPACE): string {
  return v5(name, namespace);
}
