import { ControlId } from '../../policy/rule';
import { EnvironmentView, ResourceRef } from '../cloud-assembly';

/** One template value that proves (part of) a control, e.g. `BucketEncryption…SSEAlgorithm` = `aws:kms`. */
export interface EvidenceProperty {
  /** Where the value is: a property path in the resource, or a short label for derived facts. */
  readonly name: string;
  readonly value: string;
}

/** A resource that implements a control, with the values that prove it. */
export interface EvidenceResource {
  /** Stack display name from manifest.json, e.g. `dev/Data`. */
  readonly stack: string;
  readonly logicalId: string;
  readonly constructPath: string;
  readonly type: string;
  readonly properties: readonly EvidenceProperty[];
}

/** What an extractor sees. */
export interface ExtractionContext {
  readonly env: EnvironmentView;
  /** Every environment of the assembly, for cross-environment checks (ENV-1). */
  readonly all: readonly EnvironmentView[];
}

/** Maps one control to its implementing resources in one environment. */
export interface ControlExtractor {
  readonly control: ControlId;
  /**
   * Resource types the control governs. An environment with none of them and
   * no implementing resource reports the control as not applicable.
   */
  readonly governs: readonly string[];
  /**
   * Whether the environment has anything the control governs, when that is
   * more than a resource type (e.g. a secrets contract).
   * @default the environment has a resource of a `governs` type
   */
  inScope?(context: ExtractionContext): boolean;
  extract(context: ExtractionContext): EvidenceResource[];
  /**
   * What violates the control beyond the gate's findings, one line each
   * (e.g. an expired exception record); any line makes the control violated.
   */
  violations?(context: ExtractionContext): string[];
  /**
   * How the part of the control that templates cannot show is evidenced
   * (a CLI run, a contract in user data, a process).
   */
  readonly beyondTemplates?: string;
  /** True when templates cannot show the control is met at all; its status is then never `met`. */
  readonly templatesInsufficient?: boolean;
}

/** Evidence entry for a located resource. */
export function evidenceOf(ref: ResourceRef, properties: readonly EvidenceProperty[]): EvidenceResource {
  return { stack: ref.stack.displayName, logicalId: ref.logicalId, constructPath: ref.constructPath, type: ref.type, properties };
}
