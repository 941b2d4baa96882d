/**
 * The words every part of the baseline uses about findings: which controls
 * exist, how severe a finding is, which rule sets report them, how a finding
 * ID is written, and what fails the build. The gate, the audit, the report
 * and the rules all import them from here; this module imports nothing, so
 * reading a finding never loads cdk-nag, aws-cdk-lib or the rules.
 */

/** The control IDs of docs/controls.md, in catalog order (lib/policy/controls.ts holds one entry per ID). */
export const CONTROL_IDS = [
  'DATA-1', 'DATA-2', 'DATA-3', 'DATA-4', 'DATA-5',
  'TEMP-1', 'TEMP-2', 'TEMP-3',
  'SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4',
  'LOG-1', 'LOG-2', 'LOG-3', 'LOG-4', 'LOG-5',
  'IAM-1', 'IAM-2', 'IAM-3', 'IAM-4', 'IAM-5',
  'NET-1', 'NET-2', 'NET-3', 'NET-4',
  'EC2-1', 'EC2-2',
  'AUDIT-1', 'KMS-1', 'KEEP-1', 'ENV-1', 'TENANT-1',
  'DEPLOY-1', 'DEPLOY-2', 'DEPLOY-3', 'DEPLOY-4', 'DEPLOY-5', 'EXC-1',
] as const;

export type ControlId = (typeof CONTROL_IDS)[number];

/** True for a string that names a control of the catalog. */
export function isControlId(text: string): text is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(text);
}

/** error blocks synthesis and CI; warning is reported only. */
export type Severity = 'error' | 'warning';

/**
 * A reported severity as the gate reads it: a missing severity is an error,
 * as in the CDK validation report (aws-cdk-lib's normalizeSeverity), and
 * `fatal` is an error too.
 */
export function normalizeSeverity(severity: string | undefined): Severity {
  return severity === undefined || severity === 'error' || severity === 'fatal' ? 'error' : 'warning';
}

/** The CDK validation plugin name of the baseline's own pack; acknowledgments read `EduSecurityChecks::...`. */
export const EDU_PLUGIN_NAME = 'EduSecurityChecks';
/** The cdk-nag pack name: its findings are `EduSecurity-<rule>[<finding>]`. */
export const EDU_PACK_NAME = 'EduSecurity';

/** The four rule sets of the gate, by the plugin name that namespaces their acknowledgments, in report order. */
export const RULE_SET_NAMES = [EDU_PLUGIN_NAME, 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower'] as const;
export type RuleSetName = (typeof RULE_SET_NAMES)[number];

/** aws-cdk-lib's own CloudFormation validation, which reports into the same validation-report.json. */
export const CFN_VALIDATE_RULE_SET = 'CloudFormation Validate';

/** The rule set a finding comes from: the validation plugin's name (one of the gate's, or another plugin's). */
export type RuleSet = RuleSetName | typeof CFN_VALIDATE_RULE_SET | (string & {});

/** The rule set a third-party rule ID belongs to, read from its spelling (`AwsSolutions-…`, `NIST.800.53.R5-…`, `CT.…`). */
export function ruleSetOfExternalRule(ruleId: string): RuleSetName | undefined {
  if (ruleId.startsWith('AwsSolutions-')) return 'AwsSolutions';
  if (ruleId.startsWith('NIST.800.53.R5-')) return 'NIST.800.53.R5';
  if (ruleId.startsWith('CT.')) return 'ControlTower';
  return undefined;
}

/**
 * The finding-ID grammar: `<rule>[<finding>]`, e.g.
 * `EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]`; acknowledged
 * as `<RuleSet>::<rule>[<finding>]`.
 */

/** The rule of a finding ID: everything before the `[finding]` suffix. */
export function stripFinding(ruleId: string): string {
  const bracket = ruleId.indexOf('[');
  return bracket === -1 ? ruleId : ruleId.slice(0, bracket);
}

/** How to acknowledge a finding: the namespaced ID the gate accepts. */
export function acknowledgmentIdOf(ruleSet: string, ruleId: string): string {
  return `${ruleSet}::${ruleId}`;
}

/**
 * The control an EduSecurityChecks finding belongs to, read from its rule ID:
 * rule IDs start with the control without its dash (`DATA1-…` enforces
 * DATA-1, `EC21-…` EC2-1; test/policy/controls.test.ts holds every rule's ID to its `control`).
 */
export function controlOfEduRuleId(ruleId: string): ControlId | null {
  const base = stripFinding(ruleId).replace(new RegExp(`^${EDU_PACK_NAME}-`), '');
  return CONTROL_IDS.find((id) => base.startsWith(`${id.replace('-', '')}-`)) ?? null;
}

/**
 * Makes an arbitrary fragment safe to embed in a finding ID. Finding IDs are
 * acknowledged by exact string, so they must be stable, must not contain `::`
 * (the CDK validation framework's namespace separator) nor whitespace, and
 * stay short enough to read in a CI log.
 */
export function findingPart(text: string, max = 80): string {
  const safe = text.replace(/::+/g, ':').replace(/\s+/g, '_').replace(/[[\]]/g, '');
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}

/**
 * One finding of the policy gate or of `edu-baseline audit`: the type every
 * output format and the evidence report are written from.
 */
export interface Finding {
  /** The reported rule ID including the `[finding]` suffix, e.g. `AwsSolutions-IAM5[Resource:*]`. */
  readonly ruleId: string;
  readonly ruleSet: RuleSet;
  /** The control of docs/controls.md the rule enforces, or null when none clearly applies. */
  readonly control: ControlId | null;
  readonly severity: Severity;
  /** Logical ID of the resource in its template ('' when the rule set reported none). */
  readonly resource: string;
  readonly constructPath?: string;
  /** Template file, relative to the cloud assembly directory. */
  readonly templatePath?: string;
  readonly message: string;
  readonly fix?: string;
  /**
   * `file:line` in the project where the resource's construct was created
   * (from its creation stack in the cloud assembly), relative to the
   * directory synthesis ran in; absent for plain templates.
   */
  readonly source?: string;
  /** Set when an acknowledgment suppressed the finding; it then never fails anything. */
  readonly acknowledged?: { readonly reason: string; readonly acknowledgedAt: string; readonly id?: string };
}

/** The one definition of "fails the build": an error that no acknowledgment covers. */
export function isBlocking(finding: Pick<Finding, 'severity' | 'acknowledged'>): boolean {
  return finding.severity === 'error' && !finding.acknowledged;
}

/** Counts of the gate's summary and every audit format: open errors, open warnings, acknowledged. */
export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number; acknowledged: number } {
  return {
    errors: findings.filter(isBlocking).length,
    warnings: findings.filter((f) => f.severity === 'warning' && !f.acknowledged).length,
    acknowledged: findings.filter((f) => f.acknowledged).length,
  };
}
