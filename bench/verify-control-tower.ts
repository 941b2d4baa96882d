import { join } from 'node:path';
import { App, PolicyViolation } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CONTROL_TOWER_SERVICES, controlTowerRulesRoot, guardRuleFiles, runControlTower } from '../lib/policy/gate';
import { templateFiles } from './measure';

/** Outcome of {@link verifyControlTower}. */
export interface ControlTowerCheck {
  readonly equal: boolean;
  readonly violations: number;
  /** Seconds of the validator's own single run over every rule file. */
  readonly singleRunSeconds: number;
  /** Seconds of the gate's run (applicable rules only, batches in parallel). */
  readonly gateRunSeconds: number;
}

/** A violation as an order-free string, for comparing two reports. */
function canonical(violations: readonly PolicyViolation[]): string[] {
  return violations
    .map((v) => JSON.stringify({ ...v, violatingResources: v.violatingResources.map((r) => JSON.stringify(r)).sort() }))
    .sort();
}

/**
 * Checks that the gate's Control Tower run (rule files filtered by resource
 * type, split into parallel cfn-guard processes) reports exactly what the
 * bundled validator reports in one run over all rule folders.
 */
export function verifyControlTower(cdkOut: string): ControlTowerCheck {
  const templatePaths = templateFiles(cdkOut);
  const context = { templatePaths, stackTemplates: [], appConstruct: new App() };
  const dirs = CONTROL_TOWER_SERVICES.map((s) => join(controlTowerRulesRoot(), 'cfn-guard', s));
  let start = Date.now();
  const single = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: dirs, maxBuffer: 256 * 1024 * 1024 }).validate(context);
  const singleRunSeconds = (Date.now() - start) / 1000;
  start = Date.now();
  const gate = runControlTower(context, guardRuleFiles(dirs));
  const gateRunSeconds = (Date.now() - start) / 1000;
  const a = canonical(single.violations as PolicyViolation[]);
  const b = canonical(gate.violations);
  return {
    equal: single.success === gate.success && JSON.stringify(a) === JSON.stringify(b),
    violations: a.length,
    singleRunSeconds,
    gateRunSeconds,
  };
}
