import { App } from 'aws-cdk-lib';
import { TODAY_CONTEXT_KEY } from '../constructs/conventions';
import { BaselineConfig, IDENTITY_STAGE_NAME } from './config';
import { AppliedException } from './policy/exceptions';
import { attachPolicyGate, GatedRuleSet } from './policy/gate';
import { applyStageExceptions, baselineExceptions, identityExceptions } from './stacks/exceptions';
import { IdentityStage } from './stacks/identity-stack';
import { BaselineStage } from './stacks/stage';

/** Options of {@link buildBaselineApp}. */
export interface BuildOptions {
  /** The app to build into; default a new App. */
  readonly app?: App;
  /** Register the policy gate (default true); off only for benchmarks. */
  readonly gate?: boolean;
  /** The date allow-list and exception expiry are judged against (YYYY-MM-DD); default today (UTC). */
  readonly today?: string;
  /** The config file's path as the user named it, for messages and exception records. @default 'the config' */
  readonly configFile?: string;
}

/** The built app, one stage per configured environment, and the identity stage (DEPLOY-3). */
export interface BaselineApp {
  readonly app: App;
  readonly stages: readonly BaselineStage[];
  readonly identity: IdentityStage;
  /** The gate's rule sets (empty when the gate is off): their coverage goes into the verdict. */
  readonly gate: readonly GatedRuleSet[];
  /** EXC-1: every exception record applied (the baseline's and the config's), as written into the cloud assembly. */
  readonly exceptions: readonly AppliedException[];
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
  // Exceptions are metadata: recorded even without the gate, so `audit cdk.out` replays them and the report lists them.
  const exceptions = stages.flatMap((stage, i) => applyStageExceptions(stage, baselineExceptions(config, config.environments[i]), config, options));
  // DEPLOY-3: Identity Center resources deploy from the identity account, in a stage of their own.
  const identity = new IdentityStage(app, IDENTITY_STAGE_NAME, { config });
  exceptions.push(...applyStageExceptions(identity, identityExceptions(config), config, options));
  const gate = (options.gate ?? true) ? attachPolicyGate(app) : [];
  return { app, stages, identity, gate, exceptions };
}
