import { basename, isAbsolute } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { displayPath } from '../lib/paths';
import { warehouseConfigIssues } from '../lib/warehouse/plan';

/**
 * The CDK app: `npx cdk synth [-c config=path] [-c gate=off] [-c gate-cache=off] [-c today=YYYY-MM-DD]`.
 * The config is validated in full before any construct exists, so a bad
 * file stops synthesis with no template written. Every synth prints the
 * policy gate's summary, writes the evidence report to cdk.out/evidence/ and
 * exits 1 when the gate finds an unacknowledged error, whichever CDK CLI
 * command (synth, -q, --all, deploy, diff) or plain node runs it.
 */
const app = new App({
  context: {
    // The gate decides the exit code (lib/gated-synth.ts), the same way whether the CDK CLI or
    // node runs this file: aws-cdk-lib must not throw or print its own report first.
    '@aws-cdk/core:failSynthOnValidationErrors': false,
  },
});
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
const { synthGated } = require('../lib/gated-synth') as typeof import('../lib/gated-synth');
/* eslint-enable @typescript-eslint/no-require-imports */

// Exception records name the file they come from; the cloud assembly holds no absolute path of this machine.
const shownConfig = displayPath(configPath);
const configFile = isAbsolute(shownConfig) ? basename(shownConfig) : shownConfig;
const built = exitOnConfigError(() => buildBaselineApp(config, { app, gate: gateEnabled(app), today, configFile }));

// Evidence for auditors on every synth (cdk.out/evidence/), written even when the gate fails;
// the gate's summary on standard error; its verdict is the exit code.
process.exitCode = synthGated(app, built.gate, { configFile: configPath }).exitCode;
