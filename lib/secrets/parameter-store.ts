import { paginateDescribeParameters, PutParameterCommand, SSMClient, Tag } from '@aws-sdk/client-ssm';

/** Where and as whom to call Parameter Store. */
export interface StoreClientOptions {
  readonly region: string;
  /** A named profile of the shared config files; otherwise the default chain. */
  readonly profile?: string;
  /** Another endpoint (LocalStack, tests); otherwise the regional AWS endpoint. */
  readonly endpointUrl?: string;
}

/**
 * The standard SDK credential chain and retry strategy (throttling is retried
 * with backoff). No logger: nothing of a request is ever logged.
 */
export function createSsmClient(options: StoreClientOptions): SSMClient {
  return new SSMClient({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    retryMode: 'standard',
    maxAttempts: 5,
  });
}

/** What DescribeParameters says about a parameter: metadata, never the value. */
export interface ParameterInfo {
  readonly name: string;
  readonly type?: string;
  readonly keyId?: string;
  readonly lastModifiedDate?: Date;
  readonly version?: number;
}

/** DescribeParameters's page-size ceiling. */
const PAGE_SIZE = 50;

/**
 * Every parameter below `path`, through all pages. DescribeParameters rather
 * than GetParametersByPath: it returns type, key and date without the value,
 * so listing and checking need no read (or decrypt) permission on secrets.
 */
export async function describeParametersUnder(client: SSMClient, path: string): Promise<Map<string, ParameterInfo>> {
  const found = new Map<string, ParameterInfo>();
  const pages = paginateDescribeParameters(
    { client, pageSize: PAGE_SIZE },
    { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path] }], MaxResults: PAGE_SIZE },
  );
  // Parameter Store filters after paging, so a page may be empty and still
  // carry a NextToken; the paginator follows it until there is none.
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) {
      if (!p.Name) continue;
      found.set(p.Name, { name: p.Name, type: p.Type, keyId: p.KeyId, lastModifiedDate: p.LastModifiedDate, version: p.Version });
    }
  }
  return found;
}

/** A SecureString write. */
export interface SecureStringWrite {
  readonly name: string;
  readonly value: string;
  /** Alias, ID or ARN of the customer-managed key. */
  readonly keyId: string;
  readonly description?: string;
  /** Applied when the parameter is created; Parameter Store refuses tags on an overwrite. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly overwrite: boolean;
}

export interface WriteResult {
  readonly version?: number;
  /** False when an existing value was replaced. */
  readonly created: boolean;
}

function isAlreadyExists(err: unknown): boolean {
  return err instanceof Error && err.name === 'ParameterAlreadyExists';
}

/**
 * Writes a SecureString. It always tries to create first, so a new parameter
 * gets its tags and an existing one is replaced only when `overwrite` is set;
 * without it, ParameterAlreadyExists reaches the caller.
 */
export async function putSecureString(client: SSMClient, write: SecureStringWrite): Promise<WriteResult> {
  const base = {
    Name: write.name,
    Value: write.value,
    Type: 'SecureString' as const,
    KeyId: write.keyId,
    ...(write.description ? { Description: write.description } : {}),
  };
  const tags: Tag[] = Object.entries(write.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  try {
    const out = await client.send(new PutParameterCommand({ ...base, Overwrite: false, ...(tags.length > 0 ? { Tags: tags } : {}) }));
    return { version: out.Version, created: true };
  } catch (err) {
    if (!write.overwrite || !isAlreadyExists(err)) throw err;
  }
  const out = await client.send(new PutParameterCommand({ ...base, Overwrite: true }));
  return { version: out.Version, created: false };
}
