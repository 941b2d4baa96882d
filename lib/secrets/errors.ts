/**
 * Exit codes of `edu-baseline secrets`:
 * 0 everything is in order, 1 `check` found problems,
 * 2 the command could not do its job (usage, config, AWS or input errors).
 */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_FAILURE = 2;

/**
 * A failure the operator can act on. Its message is printed as is, so it must
 * already be free of secret values; `putSecret` redacts before it throws one.
 */
export class SecretsError extends Error {
  public readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = 'SecretsError';
    this.exitCode = exitCode;
  }
}

const REDACTED = '[REDACTED]';

/**
 * Removes every occurrence of `secret` from `text`, in the spellings an error
 * message can carry it: raw, JSON-escaped (SDK and service messages echo
 * request bodies) and URL-encoded. The longest spelling goes first so a
 * shorter one cannot leave part of a longer one behind.
 */
export function redact(text: string, secret: string): string {
  if (secret.length === 0) return text;
  const spellings = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  const trimmed = secret.trim();
  if (trimmed.length > 0) spellings.add(trimmed);
  let out = text;
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) {
    out = out.split(spelling).join(REDACTED);
  }
  return out;
}

/** The fields of an SDK (or Node network) error the CLI reads; everything else is ignored. */
export interface ErrorFacts {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

export function errorFacts(err: unknown): ErrorFacts {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const record = err as Error & {
    code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  };
  return {
    name: record.name,
    message: record.message,
    code: typeof record.code === 'string' ? record.code : undefined,
    httpStatus: record.$metadata?.httpStatusCode,
    requestId: record.$metadata?.requestId,
    attempts: record.$metadata?.attempts,
  };
}

/** What was being attempted, so an AWS failure can name the permission and resource. */
export interface AwsCallContext {
  /** The IAM actions the call needs, e.g. `ssm:PutParameter`. */
  readonly permissions: readonly string[];
  /** The resource those actions apply to, for the message. */
  readonly resource: string;
  /** Where the request went: the endpoint URL or the region. */
  readonly target: string;
  /**
   * Whether the service's own message may be shown. False for calls that
   * carry a secret value: services echo request content in validation errors.
   */
  readonly showServiceMessage: boolean;
}

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'AuthorizationError']);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);
const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'TooManyUpdates']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/**
 * Turns an SDK failure into a message that says what to do. Access denied
 * names the missing permission (from the service message when it says which,
 * otherwise every permission the call needs).
 */
export function describeAwsError(err: unknown, context: AwsCallContext): SecretsError {
  const facts = errorFacts(err);
  const detail = context.showServiceMessage && facts.message ? `: ${facts.message}` : '';
  const request = facts.requestId ? ` (request ID ${facts.requestId})` : '';

  if (ACCESS_DENIED.has(facts.name) || /not authorized to perform/i.test(facts.message)) {
    const named = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/i.exec(facts.message)?.[1];
    const missing = named ? [named] : context.permissions;
    return new SecretsError(
      `Access denied${request}: the caller lacks ${missing.join(' and ')} on ${context.resource}. ` +
        `Grant it to the operator's role (docs/secrets.md lists the permissions)${detail}`,
    );
  }
  if (facts.name === 'CredentialsProviderError' || /could not load credentials/i.test(facts.message)) {
    return new SecretsError(
      'No AWS credentials found: sign in (aws sso login --profile <name>) and pass --profile, or set the standard AWS_* environment variables',
    );
  }
  if (BAD_CREDENTIALS.has(facts.name)) {
    return new SecretsError(
      `AWS rejected the credentials (${facts.name})${request}: they are expired, wrong for this account, or the clock is off; sign in again and retry`,
    );
  }
  if (THROTTLED.has(facts.name)) {
    const attempts = facts.attempts ? ` after ${facts.attempts} attempts` : '';
    return new SecretsError(`Parameter Store is throttling requests (${facts.name})${attempts}${request}; wait a minute and run the command again`);
  }
  const network = facts.code && NETWORK.has(facts.code) ? facts.code : NETWORK.has(facts.name) ? facts.name : undefined;
  if (network) {
    return new SecretsError(`Cannot reach Parameter Store at ${context.target} (${network}); check the network, --region and --endpoint-url`);
  }
  const status = facts.httpStatus ? `, HTTP ${facts.httpStatus}` : '';
  const withheld = context.showServiceMessage ? '' : '; the service message is withheld because it can echo the value';
  return new SecretsError(`Parameter Store call failed (${facts.name}${status})${request}${detail}${withheld}`);
}
