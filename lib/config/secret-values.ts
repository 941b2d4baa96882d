import { secretShapes } from '../cfn/secret-detectors';

/**
 * Values in the config that look like credentials. The config reaches
 * templates, tags, metadata, tree.json and the evidence report, so a secret
 * written into any string field (a purpose, the data classification, a key
 * pair name) would be published; it is refused by path, never echoed.
 * Shapes are the SECRET-2 rule's detectors (lib/cfn/secret-detectors.ts)
 * plus, since a config field has no name to go by, a bare 40-character AWS
 * secret access key.
 */
const BARE_AWS_SECRET_KEY = /^(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*\d)[A-Za-z0-9/+]{40}$/;

/** The message every secret-looking value gets. */
export const SECRET_VALUE_MESSAGE =
  'looks like a secret (%KIND%); secrets go to Parameter Store via `edu-baseline secrets put`, never into the config file: remove it';

/** One secret-looking string in the raw config: its path and the kind of credential (never the value). */
export interface SecretValue {
  readonly path: Array<string | number>;
  readonly kind: string;
  readonly value: string;
}

/** The kind of credential a string looks like, or undefined. */
export function secretKindOf(text: string): string | undefined {
  const shape = secretShapes(text)[0];
  if (shape) return shape.kind.replace(/-shape$/, '');
  if (BARE_AWS_SECRET_KEY.test(text.trim())) return 'aws-secret-key';
  return undefined;
}

/** Every secret-looking string (value or key) in the parsed config. */
export function findSecretValues(raw: unknown): SecretValue[] {
  const found: SecretValue[] = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      const kind = secretKindOf(value);
      if (kind) found.push({ path, kind, value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const kind = secretKindOf(key);
        if (kind) found.push({ path: [...path, key], kind, value: key });
        visit(item, [...path, key]);
      }
    }
  };
  visit(raw, []);
  return found;
}
