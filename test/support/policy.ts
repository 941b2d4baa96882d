import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runRule } from '../../lib/policy/evaluate';
import { CfnTemplate, EduRule, Severity } from '../../lib/policy/rule';

/** One rule outcome on one resource of a template, before acknowledgments. */
export interface RuleFinding {
  readonly rule: EduRule;
  readonly logicalId: string;
  readonly findingId: string;
  readonly severity: Severity;
  /** True when the finding is about a value the rule could not resolve. */
  readonly unresolved: boolean;
}

/**
 * Every finding of the given rules over a whole template. The NagPack uses
 * the same `runRule`, so unit tests on plain JSON and the gate agree.
 */
export function evaluateTemplate(template: CfnTemplate, rules: readonly EduRule[], account?: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const rule of rules) {
      const outcome = runRule(rule, resource, logicalId, template, account);
      for (const findingId of outcome.violations) {
        findings.push({ rule, logicalId, findingId, severity: rule.severity, unresolved: false });
      }
      for (const findingId of outcome.unresolved) {
        findings.push({ rule, logicalId, findingId, severity: 'warning', unresolved: true });
      }
    }
  }
  return findings;
}

/** Cloud assemblies made by this test file; removed once it finishes (apps may be made inside tests). */
const outdirs: string[] = [];
afterAll(() => outdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A throwaway app whose cloud assembly goes to a temp dir removed after the test file. */
export function testApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'edu-test-'));
  outdirs.push(outdir);
  return new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
}

/** A stack in a fresh test app, in a fixed account and region. */
export function testStack(id = 'TestStack'): Stack {
  return new Stack(testApp(), id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** Findings of the given rules for a synthesized stack or a plain template. */
export function findings(source: Stack | CfnTemplate, ...rules: EduRule[]): RuleFinding[] {
  const template = source instanceof Stack ? (Template.fromStack(source).toJSON() as CfnTemplate) : source;
  return evaluateTemplate(template, rules);
}

/** `logicalId: findingId` of the violations (not the unresolved warnings), for compact assertions. */
export function violations(source: Stack | CfnTemplate, ...rules: EduRule[]): string[] {
  return findings(source, ...rules)
    .filter((f) => !f.unresolved)
    .map((f) => `${f.logicalId}: ${f.findingId}`);
}

/** `logicalId: findingId` of the unresolved-value warnings. */
export function unresolvedWarnings(source: Stack | CfnTemplate, ...rules: EduRule[]): string[] {
  return findings(source, ...rules)
    .filter((f) => f.unresolved)
    .map((f) => `${f.logicalId}: ${f.findingId}`);
}

/** A one-resource template, for hand-written (third-party style) fixtures. */
export function templateOf(resources: CfnTemplate['Resources'], extra: Partial<CfnTemplate> = {}): CfnTemplate {
  return { ...extra, Resources: resources };
}
