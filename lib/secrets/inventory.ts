import { DeclaredSecret } from '../config';
import { ControlId } from '../policy/rule';
import { ExpectedKey, isExpectedKey } from './key-match';
import { ParameterInfo } from './parameter-store';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One declared parameter as Parameter Store has it. No field ever holds the value. */
export interface SecretStatus {
  readonly name: string;
  readonly purpose: string;
  readonly tenantCode?: string;
  readonly maxAgeDays: number;
  readonly status: 'present' | 'missing';
  readonly type?: string;
  readonly keyId?: string;
  /** ISO 8601. */
  readonly lastModifiedDate?: string;
  /** Whole days since the last write. */
  readonly ageDays?: number;
  readonly version?: number;
}

/** The declared parameters, in declaration order, each with what Parameter Store reports. */
export function inventory(declared: readonly DeclaredSecret[], found: ReadonlyMap<string, ParameterInfo>, now: Date): SecretStatus[] {
  return declared.map((secret) => {
    const common = {
      name: secret.name,
      purpose: secret.purpose,
      ...(secret.tenantCode ? { tenantCode: secret.tenantCode } : {}),
      maxAgeDays: secret.maxAgeDays,
    };
    const info = found.get(secret.name);
    if (!info) return { ...common, status: 'missing' as const };
    const modified = info.lastModifiedDate;
    return {
      ...common,
      status: 'present' as const,
      type: info.type,
      keyId: info.keyId,
      lastModifiedDate: modified?.toISOString(),
      ageDays: modified ? Math.max(0, Math.floor((now.getTime() - modified.getTime()) / DAY_MS)) : undefined,
      version: info.version,
    };
  });
}

export type ProblemKind = 'missing' | 'not-secure-string' | 'wrong-key' | 'expired';

/** A reason `check` fails, with the control it breaks and the command that fixes it. */
export interface SecretProblem {
  readonly name: string;
  readonly kind: ProblemKind;
  readonly control: ControlId;
  readonly message: string;
  readonly fix: string;
}

/** Everything `check` needs besides the inventory. */
export interface CheckContext {
  readonly envName: string;
  readonly key: ExpectedKey;
  readonly now: Date;
}

function putCommand(envName: string, name: string, overwrite: boolean): string {
  return `edu-baseline secrets put --env ${envName}${overwrite ? ' --overwrite' : ''} ${name} < value-file`;
}

/**
 * SECRET-1 (exists, SecureString, the environment's key) and SECRET-4 (not
 * older than its maximum age) for each declared parameter; one parameter can
 * have several problems.
 */
export function findProblems(statuses: readonly SecretStatus[], ctx: CheckContext): SecretProblem[] {
  const problems: SecretProblem[] = [];
  for (const s of statuses) {
    if (s.status === 'missing') {
      problems.push({
        name: s.name,
        kind: 'missing',
        control: 'SECRET-1',
        message: `is declared (${s.purpose}) but has no value in Parameter Store`,
        fix: `write it: ${putCommand(ctx.envName, s.name, false)}`,
      });
      continue;
    }
    if (s.type !== 'SecureString') {
      problems.push({
        name: s.name,
        kind: 'not-secure-string',
        control: 'SECRET-1',
        message: `is a ${s.type ?? 'parameter of unknown type'}, not a SecureString: the value is stored unencrypted`,
        // Parameter Store refuses to change a parameter's type in place
        // (HierarchyTypeMismatchException), hence the delete.
        fix:
          `treat the value as exposed and rotate it at its source; delete the plaintext parameter ` +
          `(aws ssm delete-parameter --name ${s.name}), then ${putCommand(ctx.envName, s.name, false)}`,
      });
    } else if (!isExpectedKey(s.keyId, ctx.key)) {
      problems.push({
        name: s.name,
        kind: 'wrong-key',
        control: 'SECRET-1',
        message: `is encrypted with ${s.keyId ?? 'an unknown key'}, not the environment's key ${ctx.key.alias}`,
        fix:
          `re-encrypt it with the right key: ${putCommand(ctx.envName, s.name, true)}; ` +
          `if it was written with the key's ARN or ID, pass that as --key-arn instead`,
      });
    }
    const modified = s.lastModifiedDate ? Date.parse(s.lastModifiedDate) : undefined;
    if (modified === undefined) {
      problems.push({
        name: s.name,
        kind: 'expired',
        control: 'SECRET-4',
        message: 'has no last-modified date, so its age cannot be shown to be within its maximum',
        fix: `rotate it: ${putCommand(ctx.envName, s.name, true)}`,
      });
    } else if (ctx.now.getTime() - modified > s.maxAgeDays * DAY_MS) {
      problems.push({
        name: s.name,
        kind: 'expired',
        control: 'SECRET-4',
        message: `is ${s.ageDays ?? '?'} days old, older than its maximum age of ${s.maxAgeDays} days`,
        fix: `rotate it: issue a new credential at its source, then ${putCommand(ctx.envName, s.name, true)}, then revoke the old one`,
      });
    }
  }
  return problems;
}
