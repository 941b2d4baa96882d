import { readNumber } from '../../../cfn/booleans';
import { variantsOf } from '../../../cfn/branches';
import { requireCustomerManagedKey } from '../../../cfn/kms-keys';
import { EduRule } from '../../rule';

const MINIMUM_RETENTION_DAYS = 365;

/**
 * LOG-1 on the log group: KmsKeyId names a customer-managed key, and
 * RetentionInDays is set and at least 365 (absent means "never expire", which
 * the control rules out as much as too short a period). Each Fn::If branch is
 * judged (an AWS::NoValue branch means no retention, "never expire").
 */
export const logGroupCmkRetentionRule: EduRule = {
  id: 'LOG1-LogGroupCmkRetention',
  control: 'LOG-1',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  info:
    'The log group is not encrypted with a customer-managed key or does not keep events for a set period of at least 365 days. Set ' +
    'encryptionKey: <your CustomerManagedKey> and retention: RetentionDays.ONE_YEAR (or longer, not INFINITE) on logs.LogGroup ' +
    '(L1: KmsKeyId: <key ARN>, RetentionInDays: 365 or more).',
  explanation:
    'Logs are audit evidence for access to student data and may still carry operational detail; a customer-managed key controls who reads ' +
    'them, a year of retention supports investigations, and a set period keeps them from accumulating without end.',
  check(resource, { template }) {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    const unresolved: string[] = [];
    requireCustomerManagedKey('KmsKeyId', props.KmsKeyId, template, { violations, unresolved });
    // `!If [IsProd, 731, 30]`: every branch may be deployed, so each must keep a year.
    const branches = props.RetentionInDays === undefined ? [undefined] : variantsOf(props.RetentionInDays);
    for (const branch of branches) {
      const days = readNumber(branch, template);
      if (days === undefined) violations.push('RetentionInDays=absent');
      else if (days === 'unresolved') unresolved.push('RetentionInDays=unresolved');
      else if (days < MINIMUM_RETENTION_DAYS) violations.push(`RetentionInDays=${days}`);
    }
    return { violations: [...new Set(violations)], unresolved: [...new Set(unresolved)] };
  },
};
