/**
 * The parts of a CloudFormation template the rules and the evidence report
 * read. One definition for the policy gate, the audit and the report, so a
 * template is the same thing to all three.
 */

/** A CloudFormation resource as it appears in a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: unknown;
  /** CreationPolicy attribute (ResourceSignal, AutoScalingCreationPolicy), read by DEPLOY-5. */
  readonly CreationPolicy?: unknown;
}

/** A CloudFormation template (only the parts rules read). */
export interface CfnTemplate {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, Record<string, unknown>>;
  readonly Outputs?: Record<string, Record<string, unknown>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Description?: unknown;
  readonly Metadata?: Record<string, unknown>;
}

/** A template with what is known about where it deploys. */
export interface TemplateContext {
  readonly template: CfnTemplate;
  /** The account the template deploys to, when known (the gate knows it; a loose template does not). */
  readonly account?: string;
}
