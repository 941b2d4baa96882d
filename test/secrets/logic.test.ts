import { redact, describeAwsError } from '../../lib/secrets/errors';
import { findProblems, inventory } from '../../lib/secrets/inventory';
import { isExpectedKey, parseKeyArn } from '../../lib/secrets/key-match';

const expected = { alias: 'alias/riverside-prod-secrets', region: 'us-east-1', account: '222222222222' };
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:222222222222:key/${KEY_ID}`;

describe('isExpectedKey', () => {
  it.each([
    ['alias/riverside-prod-secrets', {}, true],
    ['arn:aws:kms:us-east-1:222222222222:alias/riverside-prod-secrets', {}, true],
    ['arn:aws:kms:us-east-1:111111111111:alias/riverside-prod-secrets', {}, false],
    ['arn:aws:kms:eu-west-1:222222222222:alias/riverside-prod-secrets', {}, false],
    ['alias/riverside-dev-secrets', {}, false],
    ['alias/aws/ssm', {}, false],
    [KEY_ID, {}, false],
    [KEY_ID, { keyArn: KEY_ARN }, true],
    [KEY_ARN, { keyArn: KEY_ARN }, true],
    [KEY_ARN, { keyArn: KEY_ID }, true],
    [`arn:aws:kms:us-east-1:111111111111:key/${KEY_ID}`, { keyArn: KEY_ID }, false],
    [`arn:aws:kms:us-east-1:222222222222:key/ffffffff-12ab-34cd-56ef-1234567890ab`, { keyArn: KEY_ARN }, false],
    [undefined, { keyArn: KEY_ARN }, false],
  ])('%s with %j → %s', (keyId, extra, result) => {
    expect(isExpectedKey(keyId, { ...expected, ...extra })).toBe(result);
  });

  it('validates --key-arn', () => {
    expect(parseKeyArn(KEY_ARN)).toBe(KEY_ARN);
    expect(parseKeyArn('mrk-1234567890abcdef1234567890abcdef')).toBe('mrk-1234567890abcdef1234567890abcdef');
    expect(() => parseKeyArn('alias/riverside-prod-secrets')).toThrow('is not a KMS key ARN');
  });
});

describe('findProblems', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const declared = [{ name: '/edu/prod/a', purpose: 'A', maxAgeDays: 30 }];
  const check = (info: { type?: string; keyId?: string; lastModifiedDate?: Date }) =>
    findProblems(inventory(declared, new Map([['/edu/prod/a', { name: '/edu/prod/a', ...info }]]), now), { envName: 'prod', key: expected, now });

  it('reports a plaintext parameter once (its key is not judged) and its age separately', () => {
    const problems = check({ type: 'String', lastModifiedDate: new Date('2026-01-01T00:00:00Z') });
    expect(problems.map((p) => `${p.control} ${p.kind}`)).toEqual(['SECRET-1 not-secure-string', 'SECRET-4 expired']);
  });

  it('reports a parameter without a date as of unknown age', () => {
    expect(check({ type: 'SecureString', keyId: expected.alias }).map((p) => p.kind)).toEqual(['expired']);
  });

  it('passes a right one', () => {
    expect(check({ type: 'SecureString', keyId: expected.alias, lastModifiedDate: new Date('2026-05-20T00:00:00Z') })).toEqual([]);
  });

  it('computes whole days of age', () => {
    const [status] = inventory(declared, new Map([['/edu/prod/a', { name: '/edu/prod/a', lastModifiedDate: new Date('2026-05-01T00:00:01Z') }]]), now);
    expect(status.ageDays).toBe(30);
  });
});

describe('redact', () => {
  it('removes raw, JSON-escaped, URL-encoded and trimmed spellings', () => {
    const secret = ' pa"ss\nw/rd ';
    const text = `raw[${secret}] json[${JSON.stringify(secret)}] url[${encodeURIComponent(secret)}] trimmed[${secret.trim()}]`;
    const out = redact(text, secret);
    expect(out).toBe('raw[[REDACTED]] json["[REDACTED]"] url[[REDACTED]] trimmed[[REDACTED]]');
  });

  it('leaves text alone for an empty secret', () => {
    expect(redact('abc', '')).toBe('abc');
  });
});

describe('describeAwsError', () => {
  const context = { permissions: ['ssm:PutParameter', 'kms:Encrypt'], resource: 'arn:p', target: 'ssm.us-east-1.amazonaws.com', showServiceMessage: false };

  it('lists every permission the call needs when the denial does not name one', () => {
    const err = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    expect(describeAwsError(err, context).message).toBe(
      "Access denied: the caller lacks ssm:PutParameter and kms:Encrypt on arn:p. Grant it to the operator's role (docs/secrets.md lists the permissions)",
    );
  });

  it('withholds the service message of a call that carries a value', () => {
    const err = Object.assign(new Error('echo of the request'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const message = describeAwsError(err, context).message;
    expect(message).not.toContain('echo of the request');
    expect(message).toContain('withheld');
    expect(describeAwsError(err, { ...context, showServiceMessage: true }).message).toContain('echo of the request');
  });
});
