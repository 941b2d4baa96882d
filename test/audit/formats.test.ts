import { AuditResult } from '../../lib/audit/audit';
import { formatJson, formatJunit, formatSarif, formatText } from '../../lib/audit/formats';
import { sarifErrors } from './support';

/** A hand-built result: an error, a warning and an acknowledged error in one template; a clean second template. */
const result: AuditResult = {
  ruleSets: ['EduSecurityChecks', 'AwsSolutions'],
  templates: [
    {
      path: 'vendor/with space.yaml',
      resourceLines: new Map([['Lake', 4], ['Topic', 12]]),
      findings: [
        { ruleId: 'EduSecurity-LOG5-Dashboard[NoDashboard]', ruleSet: 'EduSecurityChecks', control: 'LOG-5', severity: 'warning', resource: 'Topic', message: '[LOG-5] No dashboard.' },
        { ruleId: 'AwsSolutions-S1', ruleSet: 'AwsSolutions', control: 'DATA-5', severity: 'error', resource: 'Lake', message: 'The S3 Bucket has server access logs disabled.', acknowledged: { reason: 'Log bucket itself.', acknowledgedAt: 'Dev/Data/Lake' } },
        { ruleId: 'EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]', ruleSet: 'EduSecurityChecks', control: 'DATA-1', severity: 'error', resource: 'Lake', message: '[DATA-1] Bucket not encrypted with a CMK <&>.', fix: 'Use BucketEncryption.KMS.' },
      ],
    },
    { path: 'clean.json', resourceLines: new Map(), findings: [] },
  ],
};

describe('text', () => {
  test('groups by template then control, errors first, with rule, resource, message and fix', () => {
    const text = formatText(result);
    expect(text.split('\n').slice(0, 9)).toEqual([
      'vendor/with space.yaml: 1 error(s), 1 warning(s), 1 acknowledged',
      '  DATA-1',
      '    ERROR EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256] on Lake [EduSecurityChecks]',
      '      [DATA-1] Bucket not encrypted with a CMK <&>.',
      '      fix: Use BucketEncryption.KMS.',
      '  DATA-5',
      '    ACKNOWLEDGED AwsSolutions-S1 on Lake [AwsSolutions]',
      '      The S3 Bucket has server access logs disabled.',
      '      reason: Log bucket itself.',
    ]);
    expect(text).toContain('  LOG-5\n    WARNING EduSecurity-LOG5-Dashboard[NoDashboard] on Topic');
    expect(text).toContain('clean.json: 0 error(s), 0 warning(s), 0 acknowledged');
    expect(text.trimEnd().split('\n').pop()).toBe('2 template(s): 1 error(s), 1 warning(s), 1 acknowledged');
  });
});

describe('json', () => {
  test('has the documented shape, errors first, acknowledged marked', () => {
    const json = JSON.parse(formatJson(result)) as { templates: { path: string; findings: Record<string, unknown>[] }[] };
    expect(json.templates.map((t) => t.path)).toEqual(['vendor/with space.yaml', 'clean.json']);
    expect(json.templates[0].findings).toEqual([
      { ruleId: 'EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]', ruleSet: 'EduSecurityChecks', control: 'DATA-1', severity: 'error', resource: 'Lake', line: 4, message: '[DATA-1] Bucket not encrypted with a CMK <&>.', fix: 'Use BucketEncryption.KMS.' },
      { ruleId: 'EduSecurity-LOG5-Dashboard[NoDashboard]', ruleSet: 'EduSecurityChecks', control: 'LOG-5', severity: 'warning', resource: 'Topic', line: 12, message: '[LOG-5] No dashboard.' },
      { ruleId: 'AwsSolutions-S1', ruleSet: 'AwsSolutions', control: 'DATA-5', severity: 'error', resource: 'Lake', line: 4, message: 'The S3 Bucket has server access logs disabled.', acknowledged: { reason: 'Log bucket itself.' } },
    ]);
    expect(json.templates[1].findings).toEqual([]);
  });
});

describe('sarif', () => {
  const log = JSON.parse(formatSarif(result)) as {
    version: string;
    runs: {
      tool: { driver: { rules: { id: string; help: { text: string }; properties: { control: string | null } }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; suppressions?: { justification: string }[]; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    }[];
  };

  test('is valid SARIF 2.1.0', () => {
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  test('rules are per rule ID (without the finding) with the fix as help text', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['EduSecurity-DATA1-BucketKmsEncryption', 'EduSecurity-LOG5-Dashboard', 'AwsSolutions-S1']);
    expect(rules[0].help.text).toBe('Use BucketEncryption.KMS.');
    expect(rules[0].properties.control).toBe('DATA-1');
  });

  test('results point at the template (URI-encoded) and the line of the logical ID; acknowledged ones are suppressed', () => {
    const [error, warning, acknowledged] = log.runs[0].results;
    expect(error).toMatchObject({ ruleId: 'EduSecurity-DATA1-BucketKmsEncryption', ruleIndex: 0, level: 'error' });
    expect(error.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'vendor/with%20space.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } });
    expect(warning).toMatchObject({ level: 'warning', ruleIndex: 1 });
    expect(warning.locations[0].physicalLocation.region.startLine).toBe(12);
    expect(acknowledged.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Log bucket itself.' }]);
  });
});

describe('junit', () => {
  const xml = formatJunit(result);

  test('a testsuite per template with a testcase per rule with findings plus one per rule set', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="vendor/with space.yaml" tests="5" failures="1" errors="0" skipped="0">');
    expect(xml).toContain('<testsuite name="clean.json" tests="2" failures="0" errors="0" skipped="0">');
    expect(xml).toContain('<testcase classname="clean.json.AwsSolutions" name="AwsSolutions: rules without findings"/>');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="edu-baseline audit" tests="7" failures="1" errors="0">/);
  });

  test('errors are failures (escaped), warnings and acknowledged findings go to system-out', () => {
    expect(xml).toMatch(/name="EduSecurity-DATA1-BucketKmsEncryption">\n\s+<failure type="error" message="\[DATA-1\] 1 error finding\(s\): Lake">ERROR EduSecurity-DATA1-BucketKmsEncryption\[SSEAlgorithm=AES256\] on Lake: \[DATA-1\] Bucket not encrypted with a CMK &lt;&amp;&gt;\./);
    expect(xml).toMatch(/name="EduSecurity-LOG5-Dashboard">\n\s+<system-out>WARNING/);
    expect(xml).toMatch(/name="AwsSolutions-S1">\n\s+<system-out>ERROR AwsSolutions-S1 on Lake \(acknowledged: Log bucket itself\.\)/);
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });
});
