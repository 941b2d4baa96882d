import { join } from 'node:path';
import { App, PolicyViolation } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CONTROL_TOWER_SERVICES } from '../lib/policy/gate';
import { controlTowerRulesRoot, guardRuleFiles, runControlTower } from '../lib/policy/guard/control-tower';
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

/**
 * The findings of a report as order-free strings: rule, message, template
 * and resource. Locations are left out: the validator lists every path a
 * check traversed (with repeats), the gate the first one per check.
 */
function canonical(violations: readonly PolicyViolation[]): string[] {
  const findings = violations.flatMap((v) =>
    v.violatingResources
      // The validator reports a check that names no resource with an undefined logical ID.
      .filter((r) => typeof r.resourceLogicalId === 'string')
      .map((r) => JSON.stringify([v.ruleName, v.description, v.fix, r.templatePath, r.resourceLogicalId])),
  );
  return [...new Set(findings)].sort();
}

/**
 * Checks that the gate's Control Tower run (rule files filtered by resource
 * type, cfn-guard's report read by lib/policy/guard/results.ts) finds exactly
 * what the bundled validator finds in one run over all rule folders.
 */
export function verifyControlTower(cdkOut: string): ControlTowerCheck {
  const templatePaths = templateFiles(cdkOut);
  const context = { templatePaths, stackTemplates: [], appConstruct: new App() };
  const dirs = CONTROL_TOWER_SERVICES.map((s) => join(controlTowerRulesRoot(), 'cfn-guard', s));
  let start = Date.now();
  const single = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: dirs, maxBuffer: 256 * 1024 * 1024 }).validate(context);
  const singleRunSeconds = (Date.now() - start) / 1000;
  start = Date.now();
  const gate = runControlTower(templatePaths, guardRuleFiles(dirs));
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
