import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { warehouseConfigIssues } from '../lib/warehouse/plan';

/**
 * The CDK app: `npx cdk synth [-c config=path] [-c gate=off] [-c gate-cache=off] [-c today=YYYY-MM-DD]`.
 * The config is validated in full before any construct exists, so a bad
 * file stops synthesis with no template written. Every synth also writes the
 * evidence report to cdk.out/evidence/.
 */
// Creation stack traces hold absolute paths; the validation report stays portable without them.
const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
const today = app.node.tryGetContext('today') as string | undefined;

/** Runs a step that reads the config; a config problem ends the process with its message and no template. */
function exitOnConfigError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

const config = exitOnConfigError(() => loadConfig(configPath, { today, checks: [warehouseConfigIssues] }));

// The stacks, the rule sets and the report are loaded only for a valid config: a config error is reported in under a second.
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load, see above */
const { buildBaselineApp } = require('../lib/app') as typeof import('../lib/app');
const { gateEnabled } = require('../lib/policy/gate') as typeof import('../lib/policy/gate');
const { synthWithEvidence } = require('../lib/report/synth') as typeof import('../lib/report/synth');
/* eslint-enable @typescript-eslint/no-require-imports */

exitOnConfigError(() => buildBaselineApp(config, { app, gate: gateEnabled(app), today }));

try {
  // Evidence for auditors on every synth (cdk.out/evidence/), written even when the gate fails.
  synthWithEvidence(app);
} catch (err) {
  // The gate has printed its report; a stack trace would only bury it.
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
