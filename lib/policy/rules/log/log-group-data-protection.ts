import { findingText } from '../../cfn/finding-text';
import { asArray, flattenString, isRecord, knownString } from '../../cfn/values';
import { CfnTemplate, EduRule } from '../../rule';

/**
 * Managed data identifiers every log group must audit and mask. Names as in
 * the CloudWatch Logs list (arn:aws:dataprotection::aws:data-identifier/<name>).
 * aws-cdk-lib's DataIdentifier has no static for DateOfBirth: use
 * `new DataIdentifier('DateOfBirth')`.
 */
export const REQUIRED_IDENTIFIERS: readonly string[] = ['EmailAddress', 'Name', 'Address', 'Ssn-US', 'DateOfBirth', 'AwsSecretKey'];

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Identifier names per operation (Audit, Deidentify) of a data-protection policy document. */
function coverage(document: unknown, template: CfnTemplate, into: Record<'Audit' | 'Deidentify', Set<string>>): void {
  if (!isRecord(document)) return;
  for (const statement of asArray(document.Statement)) {
    if (!isRecord(statement) || !isRecord(statement.Operation)) continue;
    const names = asArray(statement.DataIdentifier).map((id) => {
      const text = flattenString(id, template).text;
      const managed = /data-identifier\/(.+)$/.exec(text);
      return managed ? managed[1] : text;
    });
    if (isRecord(statement.Operation.Audit)) names.forEach((n) => into.Audit.add(n));
    const deidentify = statement.Operation.Deidentify;
    if (isRecord(deidentify) && isRecord(deidentify.MaskConfig)) names.forEach((n) => into.Deidentify.add(n));
  }
}

/** Account-wide data-protection policies of the template (they apply to every log group). */
function accountPolicies(template: CfnTemplate): unknown[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::Logs::AccountPolicy' && knownString(r.Properties?.PolicyType, template) === 'DATA_PROTECTION_POLICY')
    .map((r) => parsed(r.Properties?.PolicyDocument));
}

/**
 * LOG-2 on the log group: its DataProtectionPolicy (or an account-wide
 * AWS::Logs::AccountPolicy of type DATA_PROTECTION_POLICY in the same template)
 * audits and masks (Deidentify.MaskConfig) each of EmailAddress, Name,
 * Address, Ssn-US, DateOfBirth and AwsSecretKey. Account policies created
 * outside the template are not visible.
 */
export const logGroupDataProtection: EduRule = {
  id: 'LOG2-LogGroupDataProtection',
  control: 'LOG-2',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  info:
    'The log group does not audit and mask sensitive identifiers. Set dataProtectionPolicy: new DataProtectionPolicy({ identifiers: ' +
    '[DataIdentifier.EMAILADDRESS, DataIdentifier.NAME, DataIdentifier.ADDRESS, DataIdentifier.SSN_US, new DataIdentifier(\'DateOfBirth\'), ' +
    'DataIdentifier.AWSSECRETKEY] }) on logs.LogGroup (CDK writes the Audit and the Deidentify/MaskConfig statements).',
  explanation:
    'Logs must be sanitized (edu Security Overview: "Logs are sanitized to avoid containing sensitive data such as secret values or student data"). A ' +
    'data-protection policy masks student e-mail, names, addresses, SSNs, dates of birth and leaked AWS secret keys that slip into log events.',
  check(resource, { template }) {
    const inline = parsed(resource.Properties?.DataProtectionPolicy);
    const account = accountPolicies(template);
    if (inline === undefined && account.length === 0) return { violations: ['DataProtectionPolicy=absent'], unresolved: [] };
    const covered = { Audit: new Set<string>(), Deidentify: new Set<string>() };
    [inline, ...account].forEach((doc) => coverage(doc, template, covered));
    const violations: string[] = [];
    for (const operation of ['Audit', 'Deidentify'] as const) {
      if (covered[operation].size === 0) {
        violations.push(`${operation}Statement=absent`);
        continue;
      }
      for (const id of REQUIRED_IDENTIFIERS) {
        if (!covered[operation].has(id)) violations.push(`${operation}.DataIdentifier.${findingText(id)}=absent`);
      }
    }
    return { violations, unresolved: [] };
  },
};
