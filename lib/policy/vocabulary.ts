/**
 * The words every part of the baseline uses about findings: which controls
 * exist, how severe a finding is, which rule sets report them, how a finding
 * ID is written, and what fails the build. The gate, the audit, the report
 * and the rules all import them from here; it imports only rule-sets.ts (the
 * rule-set names and their rule-ID prefixes, also a leaf), so reading a
 * finding never loads cdk-nag, aws-cdk-lib or the rules.
 */
import { ALL_RULE_SETS, RULE_SET_RULE_PREFIXES, RuleSetName } from './rule-sets';

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
export const EDU_PLUGIN_NAME = 'EduSecurityChecks' satisfies RuleSetName;
/** The cdk-nag pack name: its findings are `EduSecurity-<rule>[<finding>]` (the pack's rule-ID prefix without its dash). */
export const EDU_PACK_NAME = RULE_SET_RULE_PREFIXES[EDU_PLUGIN_NAME].slice(0, -1);

/** The four rule sets of the gate, by the plugin name that namespaces their acknowledgments, in report order. */
export const RULE_SET_NAMES: readonly RuleSetName[] = ALL_RULE_SETS;
export type { RuleSetName };

/** aws-cdk-lib's own CloudFormation validation, which reports into the same validation-report.json. */
export const CFN_VALIDATE_RULE_SET = 'CloudFormation Validate';

/** The rule set a finding comes from: the validation plugin's name (one of the gate's, or another plugin's). */
export type RuleSet = RuleSetName | typeof CFN_VALIDATE_RULE_SET | (string & {});

/** The rule set a third-party rule ID belongs to, read from its spelling (`AwsSolutions-…`, `NIST.800.53.R5-…`, `CT.…`). */
export function ruleSetOfExternalRule(ruleId: string): RuleSetName | undefined {
  return ALL_RULE_SETS.find((set) => set !== EDU_PLUGIN_NAME && ruleId.startsWith(RULE_SET_RULE_PREFIXES[set]));
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
  return `${acknowledgmentNamespace(ruleSet)}::${ruleId}`;
}

/**
 * The namespace aws-cdk-lib gives a plugin's acknowledgments: its name with
 * spaces written as hyphens (`CloudFormation Validate` → `CloudFormation-Validate`,
 * aws-cdk-lib core/lib/validation/private/validation-id.js), the form it
 * records in the validation report's `acknowledgedId`. The gate's own rule
 * sets have no spaces, so their IDs read as their names.
 */
export function acknowledgmentNamespace(ruleSet: string): string {
  return ruleSet.replace(/ /g, '-');
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
 * Makes a finding ID acknowledgeable by `Validations.of(c).acknowledge`.
 *
 * aws-cdk-lib parses rule IDs as `namespace::rule` and also when matching
 * acknowledgments against reported findings (validation-id.js). Verified with
 * 2.276: a `::` inside `[...]` (cdk-nag's `AwsSolutions-IAM5[Action::s3:*]`)
 * is skipped by the parser and can be acknowledged, but a finding whose
 * brackets do not balance (IAM5 on a resource ARN such as `arn:...:b/x]*`)
 * makes the parser throw `InvalidValidationId`, and then the WHOLE synth fails
 * as soon as any acknowledgment exists anywhere in the app. So every finding
 * ID the gate reports is normalised here, once, for all rule sets:
 * - runs of `:` collapse to a single `:` (`AwsSolutions-IAM5[Resource:*]`),
 *   which also keeps IDs uniform with our own rules, which never emit `::`;
 * - if the finding's brackets do not balance, its bracket characters become `_`.
 * The gate (gate.ts) applies it to every reported rule name and exceptions.ts applies the same function to exception records' rules, so either
 * spelling (`[Action::s3:*]` or `[Action:s3:*]`) acknowledges the finding.
 */
export function acknowledgeableRuleName(ruleName: string): string {
  const collapse = (s: string): string => s.replace(/:{2,}/g, ':');
  const open = ruleName.indexOf('[');
  if (open === -1) return collapse(ruleName);
  const head = collapse(ruleName.slice(0, open));
  const inner = collapse(ruleName.endsWith(']') ? ruleName.slice(open + 1, -1) : ruleName.slice(open + 1));
  return `${head}[${bracketsBalance(inner) ? inner : inner.replace(/[[\]{}()]/g, '_')}]`;
}

function bracketsBalance(text: string): boolean {
  const pairs: Record<string, string> = { ']': '[', ')': '(', '}': '{' };
  const stack: string[] = [];
  for (const c of text) {
    if (c === '[' || c === '(' || c === '{') stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
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
