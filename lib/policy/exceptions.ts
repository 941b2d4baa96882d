import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stackArtifacts } from '../assembly/manifest';
import { acknowledgeableRuleName, acknowledgmentNamespace, Finding } from './vocabulary';
import { ruleIdProblem } from './rule-sets';

/**
 * EXC-1: an accepted exception to a rule of the gate is a record, not code.
 * This module is the mechanism (apply records to constructs with aws-cdk-lib's
 * acknowledgment API, record them in the cloud assembly, judge them after
 * synthesis); the records themselves are data: the baseline's own in
 * lib/stacks/baseline-exceptions.json, a user's under `exceptions:` in the
 * config (lib/stacks/exceptions.ts turns both into records per stage).
 */
export interface ExceptionRecord {
  /**
   * The rule as the gate prints it after ERROR, `<RuleSet>::<RuleId>[<finding>]`,
   * e.g. `AwsSolutions::AwsSolutions-IAM5[Resource:*]`. A bare ID (no
   * namespace) is refused: cdk-nag would hide the finding without any record
   * in the validation report.
   */
  readonly rule: string;
  /**
   * Construct path below the stage naming one resource
   * (`Data/Lake/AccessLogBucket/Resource`, or the L2 `Data/Lake/AccessLogBucket`
   * whose default child is that resource), or a subtree below a stack ending
   * in `/*` (`Data/Lake/*`). Never a stack or the stage itself.
   */
  readonly resource: string;
  /** Why the exception is acceptable; shown in the validation report and the evidence report. */
  readonly reason: string;
  /** Who answers for the exception (a person, team or role with a contact). */
  readonly owner: string;
  /** The ticket or reference that records the decision (a URL or an ID such as SEC-123). */
  readonly ticket: string;
  /** Last day (inclusive, YYYY-MM-DD) the exception holds; after it the synth fails. */
  readonly expires?: string;
  /**
   * Day (YYYY-MM-DD) by which the baseline's maintainers re-check an exception
   * that AWS or a rule's limitation imposes; a passed review date is reported,
   * it does not fail the synth. A record has `expires` or `reviewBy`.
   */
  readonly reviewBy?: string;
  /** Where the record is declared, e.g. `exceptions[0] of config/example.yaml` or `lib/stacks/baseline-exceptions.json`. */
  readonly declaredIn: string;
  /**
   * The finding exists only when `edu-baseline audit` loads the cdk.out (e.g.
   * CDK's own custom-resource provider becomes typed L1 resources there), so
   * the synth does not call the record stale.
   */
  readonly auditOnly?: boolean;
}

/** A record as applied to a construct and written into the cloud assembly. */
export interface AppliedException extends Omit<ExceptionRecord, 'resource'> {
  /** The rule ID as acknowledged (finding part normalised as the gate reports it). */
  readonly rule: string;
  /** Full construct path of the acknowledged construct, stage included (`dev/Data/Lake/AccessLogBucket`). */
  readonly resource: string;
  /** The date expiry and review were judged against (YYYY-MM-DD; `-c today` or the UTC date of the synth). */
  readonly asOf: string;
}

/** Metadata type under which each applied record is written into the cloud assembly manifest. */
export const EXCEPTION_METADATA = 'edu:exception';

/** Why a record cannot be applied. */
export class ExceptionRecordError extends Error {
  constructor(
    public readonly record: ExceptionRecord,
    public readonly problem: string,
  ) {
    super(`Exception '${record.rule}' at '${record.resource}' (${record.declaredIn}): ${problem}`);
    this.name = 'ExceptionRecordError';
  }
}

/** Today's UTC date, YYYY-MM-DD. */
export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Applies records to a stage with `Validations.of(construct).acknowledge` and
 * writes each one, with the date it is judged against, into the construct's
 * metadata (so the gate, the evidence report and `audit` read the same
 * records from the cloud assembly). Throws when a record is malformed, names
 * no construct (a stale exception must not linger) or would cover a whole stack.
 */
export function applyExceptions(stage: Stage, records: readonly ExceptionRecord[], options: { today?: string } = {}): AppliedException[] {
  const asOf = options.today ?? utcToday();
  const applied: AppliedException[] = [];
  for (const record of records) {
    const rule = acknowledgeableId(record);
    if (record.reason.trim().length < 10) throw new ExceptionRecordError(record, 'give a reason (at least 10 characters) that an auditor can check.');
    if (record.owner.trim() === '') throw new ExceptionRecordError(record, 'name an owner who answers for the exception.');
    if (record.ticket.trim() === '') throw new ExceptionRecordError(record, 'name the ticket or reference that records the decision.');
    if ((record.expires === undefined) === (record.reviewBy === undefined)) {
      throw new ExceptionRecordError(record, 'give exactly one of an expiry date (expires) or a review date (reviewBy).');
    }
    const target = resolveResource(stage, record);
    Validations.of(target).acknowledge({ id: rule, reason: record.reason });
    const entry: AppliedException = { ...record, rule, resource: target.node.path, asOf };
    target.node.addMetadata(EXCEPTION_METADATA, entry);
    applied.push(entry);
  }
  return applied;
}

/** Validates the rule's syntax and normalises the finding part exactly as the gate does. */
function acknowledgeableId(record: ExceptionRecord): string {
  const problem = ruleIdProblem(record.rule);
  if (problem) throw new ExceptionRecordError(record, `the rule ${problem}; a bare or unknown ID would hide the finding without a record.`);
  const sep = record.rule.indexOf('::');
  return `${record.rule.slice(0, sep)}::${acknowledgeableRuleName(record.rule.slice(sep + 2))}`;
}

function resolveResource(stage: Stage, record: ExceptionRecord): IConstruct {
  const subtree = record.resource.endsWith('/*');
  const path = subtree ? record.resource.slice(0, -2) : record.resource;
  if (path === '' || path.startsWith('/') || path.includes('*')) {
    throw new ExceptionRecordError(record, "the resource must be a construct path below the stage, optionally ending in '/*'; wildcards elsewhere are not allowed.");
  }
  const target = path.split('/').reduce<IConstruct | undefined>((c, id) => c?.node.tryFindChild(id), stage);
  if (!target) {
    throw new ExceptionRecordError(record, `no construct '${path}' in stage '${stage.stageName}': the exception matches nothing (stale); remove it or fix its path.`);
  }
  if (Stack.isStack(target) || Stage.isStage(target)) {
    throw new ExceptionRecordError(record, 'an exception for a whole stack is not allowed; name the resource or a subtree below the stack.');
  }
  if (!subtree && !isSingleResource(target)) {
    throw new ExceptionRecordError(record, `'${path}' is not a single resource; end the path with '/*' to accept its whole subtree deliberately.`);
  }
  return target;
}

function isSingleResource(construct: IConstruct): boolean {
  const child = construct.node.defaultChild;
  return CfnResource.isCfnResource(construct) || (child !== undefined && CfnResource.isCfnResource(child));
}

/** The records applied in a cloud assembly, read from its manifests (root and nested Stage assemblies). */
export function exceptionsOfAssembly(outdir: string): AppliedException[] {
  const records: AppliedException[] = [];
  const stacks = existsSync(join(outdir, 'manifest.json')) ? stackArtifacts(outdir) : [];
  for (const { metadata } of stacks) {
    for (const entries of Object.values(metadata)) {
      for (const entry of entries) {
        if (entry.type === EXCEPTION_METADATA && typeof entry.data === 'object' && entry.data !== null) records.push(entry.data as unknown as AppliedException);
      }
    }
  }
  return records;
}

/** What the gate says about one applied record. */
export interface ExceptionStatus {
  readonly record: AppliedException;
  /** The acknowledged findings the record covers. */
  readonly matched: number;
  /** `expires` lies before `asOf`: the synth fails. */
  readonly expired: boolean;
  /** No finding matched although its rule set ran (and the record is not audit-only): the synth fails. */
  readonly stale: boolean;
  /** `reviewBy` lies before `asOf`: reported, not failing. */
  readonly reviewDue: boolean;
}

/**
 * Judges applied records against the findings of the same synthesis. A record
 * matches a finding that aws-cdk-lib acknowledged with its ID at its construct
 * path. Only rule sets that ran can show a record stale.
 */
export function judgeExceptions(records: readonly AppliedException[], findings: readonly Finding[], ranRuleSets: readonly string[]): ExceptionStatus[] {
  return records.map((record) => {
    const matched = findings.filter((f) => f.acknowledged?.id === record.rule && f.acknowledged.acknowledgedAt === record.resource).length;
    const namespace = record.rule.slice(0, record.rule.indexOf('::'));
    return {
      record,
      matched,
      expired: record.expires !== undefined && record.expires < record.asOf,
      stale: matched === 0 && !record.auditOnly && ranRuleSets.some((set) => acknowledgmentNamespace(set) === namespace),
      reviewDue: record.reviewBy !== undefined && record.reviewBy < record.asOf,
    };
  });
}

/** How the gate names a record in its output: rule, resource, where declared. */
export function describeException(record: AppliedException): string {
  return `exception ${record.rule} at ${record.resource} (${record.declaredIn}; owner ${record.owner}; ticket ${record.ticket})`;
}

/** The lines that fail the gate (expired, stale) and those it only reports (review due). */
export function exceptionVerdictLines(statuses: readonly ExceptionStatus[]): { problems: string[]; notices: string[] } {
  const problems: string[] = [];
  const notices: string[] = [];
  for (const s of statuses) {
    const name = describeException(s.record);
    if (s.expired) {
      problems.push(`${name} expired on ${s.record.expires} (today is ${s.record.asOf}): fix the finding and remove the exception, or renew it with a new expiry and ticket`);
    }
    if (s.stale) {
      problems.push(`${name} matches no finding (stale): remove it, or correct its rule and resource to what the gate prints for the finding`);
    }
    if (s.reviewDue) notices.push(`${name} was due for review on ${s.record.reviewBy} (today is ${s.record.asOf}): re-check it and update its review date`);
  }
  return { problems, notices };
}
