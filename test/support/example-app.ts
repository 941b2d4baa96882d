import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BaselineConfig, loadConfig, parseConfig } from '../../lib/config';
import { BaselineStage } from '../../lib/stacks/stage';

/** Cloud assemblies made by this test file; removed once it finishes (apps may be made inside tests). */
const outdirs: string[] = [];
afterAll(() => outdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The date the example config's expiry dates are judged against in tests. */
export const TEST_TODAY = '2026-11-23';
export const EXAMPLE_CONFIG = join(__dirname, '../../config/example.yaml');

export function exampleConfig(): BaselineConfig {
  return loadConfig(EXAMPLE_CONFIG, { today: TEST_TODAY });
}

export function configFromText(text: string): BaselineConfig {
  return parseConfig(text, 'test.yaml', { today: TEST_TODAY });
}

/**
 * The feature flags of cdk.json, which the CDK CLI gives the app: tests build
 * the same templates as `npx cdk synth`.
 */
export function cdkJsonFeatureFlags(): Record<string, unknown> {
  const { context } = JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('@aws-cdk')));
}

/** A test app with stable output: the project's feature flags, no version metadata, no stack traces, no built-in validation. */
export function stableApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-app-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    builtinCloudFormationValidation: false,
    analyticsReporting: false,
    context: { ...cdkJsonFeatureFlags(), 'aws:cdk:disable-creation-stack-traces': true },
  });
}

/** Builds every environment of a config (without the gate) and returns the stages by name. */
export function buildStages(config: BaselineConfig = exampleConfig()): Record<string, BaselineStage> {
  const app = stableApp();
  const stages: Record<string, BaselineStage> = {};
  for (const environment of config.environments) {
    stages[environment.name] = new BaselineStage(app, environment.name, { config, environment, today: TEST_TODAY });
  }
  return stages;
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
