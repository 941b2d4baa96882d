import { join } from 'node:path';
import { auditTemplates } from '../../lib/audit/audit';
import { collectTemplateFiles } from '../../lib/audit/template-file';
import { CONTROL_TOWER_UNEVALUATED } from '../../lib/policy/gate';

const REDTEAM = join(__dirname, '../fixtures/redteam');

/**
 * cdk-validator-cfnguard throws on a checked property that refers to a
 * template parameter. The template it cannot read gets a warning saying so;
 * the other templates of the same run keep their Control Tower findings.
 */
test('a template Control Tower cannot evaluate is reported, and does not wipe the results of the others', () => {
  const result = auditTemplates(
    collectTemplateFiles([join(REDTEAM, 'cloudtrail-single-region.yaml'), join(REDTEAM, 's3-kms-aws-managed-alias-sub.yaml')]),
  );
  const [crashing, healthy] = result.templates;
  const ct = (t: typeof crashing) => t.findings.filter((f) => f.ruleSet === 'ControlTower');
  expect(ct(crashing).filter((f) => f.ruleId === CONTROL_TOWER_UNEVALUATED)).toEqual([
    expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/could not evaluate this template .*refers to a template parameter/) }),
  ]);
  expect(ct(healthy).some((f) => f.ruleId === CONTROL_TOWER_UNEVALUATED)).toBe(false);
  expect(ct(healthy)).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'CT.S3.PR.2', resource: 'RosterLanding', severity: 'error' })]));
  // Our own rules still ran on the template Control Tower could not read.
  expect(crashing.findings.some((f) => f.ruleSet === 'EduSecurityChecks' && f.control === 'AUDIT-1' && f.severity === 'error')).toBe(true);
});
