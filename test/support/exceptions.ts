import { ExceptionRecord } from '../../lib/policy/exceptions';

/** An exception record for a test: the rule, resource and reason that matter, owner, ticket and a far expiry filled in. */
export function testException(rule: string, resource: string, reason: string, extra: Partial<ExceptionRecord> = {}): ExceptionRecord {
  return { rule, resource, reason, owner: 'Test owner', ticket: 'TEST-1', expires: '2999-12-31', declaredIn: 'test', ...extra };
}
