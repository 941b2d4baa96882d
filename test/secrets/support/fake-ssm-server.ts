import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for Parameter Store that speaks the SSM JSON 1.1 protocol
 * (POST /, `X-Amz-Target: AmazonSSM.<Action>`, JSON bodies, epoch-second
 * timestamps, `__type` errors) for the actions the CLI uses, so tests run the
 * real SDK serialisation, signing, retries and paging. Values stay in memory
 * and are never logged; `requests` records metadata only.
 */

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface StoredParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  readonly keyId?: string;
  readonly lastModifiedDate: Date;
  readonly version: number;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What a request looked like, without its body. */
export interface RecordedRequest {
  readonly action: string;
  /** The SigV4 credential scope region, when the request was signed. */
  readonly signedRegion?: string;
  readonly signed: boolean;
  readonly nextToken: boolean;
  readonly status: number;
  readonly errorType?: string;
}

interface Fault {
  readonly action: string;
  readonly type: string;
  readonly message: string;
  /** How many more requests fail; Infinity for always. */
  remaining: number;
  /** Put the request's Value into the message, as validation errors can. */
  readonly echoValue: boolean;
}

class ServiceError extends Error {
  constructor(
    public readonly type: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[A-Z0-9]+\/\d{8}\/([a-z0-9-]+)\/ssm\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

interface JsonBody {
  [key: string]: unknown;
}

function str(body: JsonBody, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

interface StringFilter {
  readonly Key: string;
  readonly Option?: string;
  readonly Values?: readonly string[];
}

function matches(p: StoredParameter, filter: StringFilter): boolean {
  const values = filter.Values ?? [];
  switch (filter.Key) {
    case 'Name': {
      const option = filter.Option ?? 'Equals';
      return values.some((v) => {
        const wanted = v.startsWith('/') || !p.name.startsWith('/') ? v : `/${v}`;
        if (option === 'BeginsWith') return p.name.startsWith(wanted);
        if (option === 'Contains') return p.name.includes(v);
        return p.name === wanted;
      });
    }
    case 'Path': {
      const recursive = filter.Option === 'Recursive';
      return values.some((v) => {
        const base = v.endsWith('/') ? v : `${v}/`;
        if (!p.name.startsWith(base)) return false;
        return recursive || !p.name.slice(base.length).includes('/');
      });
    }
    case 'Type':
      return values.includes(p.type);
    default:
      throw new ServiceError('InvalidFilterKey', `The filter key ${filter.Key} is not supported by this fake.`);
  }
}

export class FakeSsmServer {
  private readonly params = new Map<string, StoredParameter>();
  private readonly faults: Fault[] = [];
  private server?: Server;
  /** Metadata of every request, in order. */
  readonly requests: RecordedRequest[] = [];

  /**
   * @param pageSize DescribeParameters page size, kept small so listing
   *   the example config's secrets takes several pages.
   */
  constructor(private readonly pageSize = 3) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stores a parameter as if written earlier (possibly badly: plaintext, another key, long ago). */
  seed(p: Omit<StoredParameter, 'version' | 'tags'> & { version?: number; tags?: Record<string, string> }): void {
    this.params.set(p.name, { ...p, version: p.version ?? 1, tags: p.tags ?? {} });
  }

  delete(name: string): void {
    this.params.delete(name);
  }

  get(name: string): StoredParameter | undefined {
    return this.params.get(name);
  }

  all(): StoredParameter[] {
    return [...this.params.values()];
  }

  /** The next `times` calls of `action` fail with `type`. */
  fail(action: string, type: string, message: string, options: { times?: number; echoValue?: boolean } = {}): void {
    this.faults.push({ action, type, message, remaining: options.times ?? 1, echoValue: options.echoValue ?? false });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  reset(): void {
    this.params.clear();
    this.clearFaults();
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
    const auth = SIGV4.exec(String(req.headers.authorization ?? ''));
    let body: JsonBody = {};
    let status = 200;
    let errorType: string | undefined;
    let payload: unknown;
    try {
      if (req.method !== 'POST' || !action) throw new ServiceError('UnknownOperationException', 'Expected POST with X-Amz-Target: AmazonSSM.<Action>.');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new ServiceError('SerializationException', 'Expected Content-Type application/x-amz-json-1.1.');
      }
      if (!auth) throw new ServiceError('MissingAuthenticationTokenException', 'Request is missing a SigV4 Authorization header.', 403);
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ServiceError('SerializationException', 'Body must be a JSON object.');
      body = parsed as JsonBody;
      const fault = this.faults.find((f) => f.action === action && f.remaining > 0);
      if (fault) {
        fault.remaining -= 1;
        const echoed = fault.echoValue ? ` Value '${str(body, 'Value') ?? ''}' at 'value' failed to satisfy constraint.` : '';
        throw new ServiceError(fault.type, `${fault.message}${echoed}`);
      }
      payload = this.dispatch(action, body);
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError('InternalServerError', 'Internal error in the fake.', 500);
      status = e.status;
      errorType = e.type;
      payload = { __type: e.type, message: e.message };
    }
    this.requests.push({
      action,
      signed: auth !== null,
      ...(auth ? { signedRegion: auth[1] } : {}),
      nextToken: typeof body.NextToken === 'string',
      status,
      ...(errorType ? { errorType } : {}),
    });
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': `fake-${this.requests.length}`,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(text);
  }

  private dispatch(action: string, body: JsonBody): unknown {
    switch (action) {
      case 'PutParameter':
        return this.putParameter(body);
      case 'DescribeParameters':
        return this.describeParameters(body);
      default:
        throw new ServiceError('UnknownOperationException', `The fake does not implement ${action}.`);
    }
  }

  private putParameter(body: JsonBody): unknown {
    const name = str(body, 'Name');
    const value = str(body, 'Value');
    if (!name || value === undefined || value.length === 0) throw new ServiceError('ValidationException', 'Name and a non-empty Value are required.');
    const overwrite = body.Overwrite === true;
    const tags = Array.isArray(body.Tags) ? (body.Tags as Array<{ Key: string; Value: string }>) : [];
    if (overwrite && tags.length > 0) {
      throw new ServiceError('ValidationException', 'Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag.');
    }
    const existing = this.params.get(name);
    if (existing && !overwrite) {
      throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const type = (str(body, 'Type') ?? existing?.type) as ParameterType | undefined;
    if (!type) throw new ServiceError('ValidationException', 'A parameter type is required when you create a parameter.');
    if (existing && existing.type !== type) {
      throw new ServiceError('HierarchyTypeMismatchException', 'Parameter Store does not support changing a parameter type in a hierarchy.');
    }
    const keyId = str(body, 'KeyId');
    if (keyId && type !== 'SecureString') throw new ServiceError('ValidationException', 'KeyId is valid only for SecureString parameters.');
    const version = (existing?.version ?? 0) + 1;
    const description = str(body, 'Description') ?? existing?.description;
    this.params.set(name, {
      name,
      type,
      value,
      ...(type === 'SecureString' ? { keyId: keyId ?? existing?.keyId ?? 'alias/aws/ssm' } : {}),
      lastModifiedDate: new Date(),
      version,
      ...(description ? { description } : {}),
      tags: existing ? existing.tags : Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
    });
    return { Version: version, Tier: 'Standard' };
  }

  private describeParameters(body: JsonBody): unknown {
    const max = typeof body.MaxResults === 'number' ? body.MaxResults : 50;
    if (max < 1 || max > 50) throw new ServiceError('ValidationException', 'MaxResults must be between 1 and 50.');
    let offset = 0;
    const token = str(body, 'NextToken');
    if (token !== undefined) {
      const decoded = Number(Buffer.from(token, 'base64').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0) throw new ServiceError('InvalidNextToken', 'The NextToken is not valid.');
      offset = decoded;
    }
    const filters = Array.isArray(body.ParameterFilters) ? (body.ParameterFilters as StringFilter[]) : [];
    // Like the real service: page over everything, then filter the page, so a
    // page can come back empty with a NextToken.
    const everything = [...this.params.values()].sort((a, b) => a.name.localeCompare(b.name));
    const size = Math.min(max, this.pageSize);
    const page = everything.slice(offset, offset + size).filter((p) => filters.every((f) => matches(p, f)));
    const next = offset + size < everything.length ? Buffer.from(`offset:${offset + size}`).toString('base64') : undefined;
    return {
      Parameters: page.map((p) => ({
        Name: p.name,
        ARN: `arn:aws:ssm:us-east-1:111111111111:parameter${p.name}`,
        Type: p.type,
        ...(p.keyId ? { KeyId: p.keyId } : {}),
        LastModifiedDate: p.lastModifiedDate.getTime() / 1000,
        LastModifiedUser: 'arn:aws:iam::111111111111:user/fake',
        ...(p.description ? { Description: p.description } : {}),
        Version: p.version,
        Tier: 'Standard',
        DataType: 'text',
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }
}
