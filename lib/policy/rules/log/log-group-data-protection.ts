import { IP_ADDRESS_IDENTIFIER, SanitizedLogGroup } from '../../../../constructs/sanitized-log-group';
import { findingPart } from '../../vocabulary';
import { asArray, flattenString, intrinsicName, isRecord, knownString, referencedLogicalId } from '../../../cfn/values';
import { CfnTemplate, EduRule, TemplateResource } from '../../rule';

/**
 * Managed data identifiers every log group must audit and mask. Names as in
 * the CloudWatch Logs list (arn:aws:dataprotection::aws:data-identifier/<name>).
 * aws-cdk-lib's DataIdentifier has no static for DateOfBirth: use
 * `new DataIdentifier('DateOfBirth')`.
 */
export const REQUIRED_IDENTIFIERS: readonly string[] = [
  'EmailAddress',
  'Name',
  'Address',
  'Ssn-US',
  'DateOfBirth',
  'AwsSecretKey',
  'OpenSshPrivateKey',
  'PgpPrivateKey',
  'PkcsPrivateKey',
  'PuttyPrivateKey',
];

/**
 * The platform's credential shapes (key=value passwords and tokens, URIs with
 * credentials, webhook URLs, Airflow secret variables and Fernet keys, PEM
 * blocks, Authorization headers): each must be configured with exactly this
 * regex, under any name, and that name audited and masked.
 */
export const REQUIRED_CUSTOM_IDENTIFIERS = SanitizedLogGroup.CUSTOM_IDENTIFIERS;

/** Custom identifier name → regex from a policy document's Configuration. */
function customIdentifiers(document: unknown, template: CfnTemplate, into: Map<string, string>): void {
  if (!isRecord(document) || !isRecord(document.Configuration)) return;
  for (const custom of asArray(document.Configuration.CustomDataIdentifier)) {
    if (!isRecord(custom)) continue;
    const name = knownString(custom.Name, template);
    const regex = knownString(custom.Regex, template);
    if (name !== undefined && regex !== undefined) into.set(name, regex);
  }
}

/** True if a value names the log group: a Ref or GetAtt to it, its literal name, or an ARN with that name. */
function namesLogGroup(value: unknown, logicalId: string, group: TemplateResource, template: CfnTemplate): boolean {
  if (value === undefined) return false;
  if (intrinsicName(value) !== undefined && referencedLogicalId(value) === logicalId) return true;
  const text = flattenString(value, template).text;
  if (text.includes(`\${${logicalId}.Arn}`) || text.includes(`\${${logicalId}}`)) return true;
  const name = knownString(group.Properties?.LogGroupName, template);
  return name !== undefined && (text === name || text.includes(`:log-group:${name}:`) || text.endsWith(`:log-group:${name}`));
}

/**
 * Where the group receives network or audit records: the destination of a VPC
 * flow log, or the CloudWatch Logs group of a trail. Masking IpAddress there
 * leaves the records useless to everyone without logs:Unmask (LOG-2).
 */
function networkOrAuditSource(logicalId: string, group: TemplateResource, template: CfnTemplate): string | undefined {
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const props = r.Properties ?? {};
    if (r.Type === 'AWS::EC2::FlowLog' && (namesLogGroup(props.LogGroupName, logicalId, group, template) || namesLogGroup(props.LogDestination, logicalId, group, template))) {
      return `FlowLog[${id}]`;
    }
    if (r.Type === 'AWS::CloudTrail::Trail' && namesLogGroup(props.CloudWatchLogsLogGroupArn, logicalId, group, template)) return `Trail[${id}]`;
  }
  return undefined;
}

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
 * audits and masks (Deidentify.MaskConfig) each managed identifier of
 * REQUIRED_IDENTIFIERS (PII, AWS secret keys, private keys) and each of the
 * platform's custom credential identifiers (matched by regex, any name). A
 * group that receives VPC flow logs or a trail's events must not mask
 * IpAddress. Account policies created outside the template are not visible.
 */
export const logGroupDataProtectionRule: EduRule = {
  id: 'LOG2-LogGroupDataProtection',
  control: 'LOG-2',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  info:
    'The log group does not audit and mask student PII and credentials, or masks IP addresses in network/audit records. Use the ' +
    'SanitizedLogGroup construct (maskIpAddresses: false for flow-log and trail groups), or set dataProtectionPolicy: new ' +
    'DataProtectionPolicy({ identifiers: [...SanitizedLogGroup.dataIdentifiers()] }) on logs.LogGroup: EmailAddress, Name, Address, Ssn-US, ' +
    'DateOfBirth, AwsSecretKey, the four private-key identifiers and the custom identifiers of SanitizedLogGroup.CUSTOM_IDENTIFIERS ' +
    '(CDK writes the Audit and the Deidentify/MaskConfig statements).',
  explanation:
    'Logs must be sanitized (edu Security Overview: "Logs are sanitized to avoid containing sensitive data such as secret values or student data"). A ' +
    'data-protection policy masks student e-mail, names, addresses, SSNs, dates of birth and the credentials the platform handles (AWS secret ' +
    'keys, private keys, passwords, tokens, connection URIs, webhook URLs, Airflow Fernet keys) that slip into log events. Flow-log and ' +
    'CloudTrail groups keep IP addresses readable: masked, their records cannot serve an investigation.',
  check(resource, { logicalId, template }) {
    const inline = parsed(resource.Properties?.DataProtectionPolicy);
    const account = accountPolicies(template);
    if (inline === undefined && account.length === 0) return { violations: ['DataProtectionPolicy=absent'], unresolved: [] };
    const covered = { Audit: new Set<string>(), Deidentify: new Set<string>() };
    const customs = new Map<string, string>();
    [inline, ...account].forEach((doc) => {
      coverage(doc, template, covered);
      customIdentifiers(doc, template, customs);
    });
    const violations: string[] = [];
    for (const operation of ['Audit', 'Deidentify'] as const) {
      if (covered[operation].size === 0) {
        violations.push(`${operation}Statement=absent`);
        continue;
      }
      for (const id of REQUIRED_IDENTIFIERS) {
        if (!covered[operation].has(id)) violations.push(`${operation}.DataIdentifier.${findingPart(id)}=absent`);
      }
      for (const required of REQUIRED_CUSTOM_IDENTIFIERS) {
        const names = [...customs].filter(([, regex]) => regex === required.regex).map(([name]) => name);
        if (!names.some((name) => covered[operation].has(name))) violations.push(`${operation}.CustomDataIdentifier.${required.name}=absent`);
      }
    }
    if (covered.Deidentify.has(IP_ADDRESS_IDENTIFIER)) {
      const source = networkOrAuditSource(logicalId, resource, template);
      if (source !== undefined) violations.push(`Deidentify.DataIdentifier.IpAddress=masks-${source}`);
    }
    return { violations, unresolved: [] };
  },
};
