import { join } from 'node:path';
import { auditTemplates } from '../../lib/audit/audit';
import { collectTemplateFiles } from '../../lib/audit/template-file';

const REDTEAM = join(__dirname, '../fixtures/redteam');

/**
 * A checked property that refers to a template parameter (the trail's
 * `KMSKeyId: !Ref TrailKeyArn`) makes cfn-guard report a shape the bundled
 * validator's reader throws on, which used to cost the template all its
 * Control Tower findings. The gate reads cfn-guard's report itself: the
 * template is evaluated like any other, and so is the one audited with it.
 */
test('Control Tower evaluates a template whose checked property refers to a parameter, beside another template', () => {
  const result = auditTemplates(
    collectTemplateFiles([join(REDTEAM, 'cloudtrail-single-region.yaml'), join(REDTEAM, 's3-kms-aws-managed-alias-sub.yaml')]),
  );
  const [trail, bucket] = result.templates;
  const ct = (t: typeof trail) => t.findings.filter((f) => f.ruleSet === 'ControlTower');
  // CT.CLOUDTRAIL.PR.1 wants a KMS key in the template (a literal ARN or a Ref to a key resource), not a parameter.
  expect(ct(trail)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ ruleId: 'CT.CLOUDTRAIL.PR.1', resource: 'AccountTrail', message: expect.stringContaining('encryption at rest') }),
      expect.objectContaining({ ruleId: 'CT.CLOUDTRAIL.PR.3', resource: 'AccountTrail' }),
    ]),
  );
  expect(ct(trail).every((f) => f.resource === 'AccountTrail' && f.templatePath === trail.path)).toBe(true);
  expect(ct(bucket)).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'CT.S3.PR.2', resource: 'RosterLanding', severity: 'error' })]));
  expect(ct(bucket).some((f) => f.resource === 'AccountTrail')).toBe(false);
  // Our own rules ran too.
  expect(trail.findings.some((f) => f.ruleSet === 'EduSecurityChecks' && f.control === 'AUDIT-1' && f.severity === 'error')).toBe(true);
});
