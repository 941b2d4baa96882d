import { SecretsError } from './errors';

/** The environment's secrets key, in every spelling DescribeParameters can report it. */
export interface ExpectedKey {
  /** The alias the stacks create, e.g. alias/riverside-prod-secrets. */
  readonly alias: string;
  readonly region: string;
  readonly account: string;
  /**
   * The key's ARN or ID (from the secrets stack's output or `aws kms describe-key`),
   * for parameters written with the key ID instead of the alias.
   */
  readonly keyArn?: string;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/((?:mrk-)?[0-9a-f-]+)$/;
const KEY_ID = /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** Validates `--key-arn`; a usage error names the accepted forms. */
export function parseKeyArn(value: string): string {
  if (KEY_ARN.test(value) || KEY_ID.test(value)) return value;
  throw new SecretsError(
    `--key-arn "${value}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or key ID; ` +
      'pass the ARN of the environment secrets key, e.g. from `aws kms describe-key --key-id <alias>`',
  );
}

/**
 * Whether a parameter's KeyId is the environment's key. KMS resolves an alias
 * only through kms:DescribeKey, which this tool does not call (the operator
 * needs no KMS read permission), so an ID or ARN matches only when it was
 * given as `--key-arn`. Region and account must match: a same-named alias in
 * another account is another key (ENV-1).
 */
export function isExpectedKey(keyId: string | undefined, expected: ExpectedKey): boolean {
  if (!keyId) return false;
  if (keyId === expected.alias) return true;
  const aliasArn = ALIAS_ARN.exec(keyId);
  if (aliasArn) {
    return aliasArn[1] === expected.region && aliasArn[2] === expected.account && aliasArn[3] === expected.alias;
  }
  if (!expected.keyArn) return false;
  const wantedArn = KEY_ARN.exec(expected.keyArn);
  const wantedId = wantedArn ? wantedArn[3] : expected.keyArn;
  if (keyId === wantedId) return true;
  const actualArn = KEY_ARN.exec(keyId);
  if (!actualArn || actualArn[3] !== wantedId) return false;
  return wantedArn ? keyId === expected.keyArn : actualArn[1] === expected.region && actualArn[2] === expected.account;
}
