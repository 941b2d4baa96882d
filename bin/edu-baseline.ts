import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from '../lib/app';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { gateEnabled } from '../lib/policy/gate';
import { synthWithEvidence } from '../lib/report/synth';

/**
 * The CDK app: `npx cdk synth [-c config=path] [-c gate=off] [-c today=YYYY-MM-DD]`.
 * The config is validated in full before any construct exists, so a bad
 * file stops synthesis with no template written. Every synth also writes the
 * evidence report to cdk.out/evidence/.
 */
// Creation stack traces hold absolute paths; the validation report stays portable without them.
const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
const today = app.node.tryGetContext('today') as string | undefined;

try {
  const config = loadConfig(configPath, { today });
  buildBaselineApp(config, { app, gate: gateEnabled(app), today });
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

try {
  // Evidence for auditors on every synth (cdk.out/evidence/), written even when the gate fails.
  synthWithEvidence(app);
} catch (err) {
  // The gate has printed its report; a stack trace would only bury it.
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
