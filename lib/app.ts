import { App } from 'aws-cdk-lib';
import { TODAY_CONTEXT_KEY } from '../constructs/conventions';
import { BaselineConfig, IDENTITY_STAGE_NAME } from './config';
import { applyAcknowledgments, baselineAcknowledgments, identityAcknowledgments } from './policy/acknowledgments';
import { attachPolicyGate, GatedRuleSet } from './policy/gate';
import { IdentityStage } from './stacks/identity-stack';
import { BaselineStage } from './stacks/stage';

/** Options of {@link buildBaselineApp}. */
export interface BuildOptions {
  /** The app to build into; default a new App. */
  readonly app?: App;
  /** Register the policy gate (default true); off only for benchmarks. */
  readonly gate?: boolean;
  /** The date allow-list expiry is judged against (YYYY-MM-DD); default today. */
  readonly today?: string;
}

/** The built app, one stage per configured environment, and the identity stage (DEPLOY-3). */
export interface BaselineApp {
  readonly app: App;
  readonly stages: readonly BaselineStage[];
  readonly identity: IdentityStage;
  /** The gate's rule sets (empty when the gate is off): their coverage goes into the verdict. */
  readonly gate: readonly GatedRuleSet[];
}

/**
 * Builds one Stage per environment from a validated config and, unless told
 * otherwise, attaches the policy gate with the baseline's acknowledged
 * exceptions. Shared by the CDK app entry, the tests and the benchmarks.
 */
export function buildBaselineApp(config: BaselineConfig, options: BuildOptions = {}): BaselineApp {
  const app = options.app ?? new App();
  // The gate's dated rules (NET-2) read the `-c today=` context; an app built "as of" a date sets it,
  // so the config check, the AllowList construct and the rule judge expiry against the same day.
  if (options.today !== undefined && app.node.tryGetContext(TODAY_CONTEXT_KEY) === undefined && app.node.children.length === 0) {
    app.node.setContext(TODAY_CONTEXT_KEY, options.today);
  }
  const stages = config.environments.map(
    (environment) => new BaselineStage(app, environment.name, { config, environment, today: options.today }),
  );
  // Acknowledgments are metadata: recorded even without the gate, so `audit cdk.out` replays them.
  stages.forEach((stage, i) => applyAcknowledgments(stage, baselineAcknowledgments(config, config.environments[i])));
  // DEPLOY-3: Identity Center resources deploy from the identity account, in a stage of their own.
  const identity = new IdentityStage(app, IDENTITY_STAGE_NAME, { config });
  applyAcknowledgments(identity, identityAcknowledgments(config));
  const gate = (options.gate ?? true) ? attachPolicyGate(app) : [];
  return { app, stages, identity, gate };
}
