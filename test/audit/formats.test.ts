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

  test('a testsuite per template, a testcase per finding plus one per rule set, skipped counted', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="vendor/with space.yaml" tests="5" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('<testsuite name="clean.json" tests="2" failures="0" errors="0" skipped="0">');
    expect(xml).toContain('<testcase classname="AwsSolutions" name="AwsSolutions: rules without findings" file="clean.json"/>');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="edu-baseline audit" tests="7" failures="1" errors="0" skipped="1">/);
  });

  test('errors are failures (escaped), warnings pass with system-out, acknowledged findings are skipped with the reason', () => {
    expect(xml).toMatch(/name="EduSecurity-DATA1-BucketKmsEncryption on Lake" file="vendor\/with space.yaml">\n\s+<failure type="error" message="\[DATA-1\] \[DATA-1\] Bucket not encrypted with a CMK &lt;&amp;&gt;\.">ERROR EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption\[SSEAlgorithm=AES256\] on Lake: /);
    expect(xml).toMatch(/name="EduSecurity-LOG5-Dashboard on Topic" file="[^"]+">\n\s+<system-out>WARNING/);
    expect(xml).toMatch(/name="AwsSolutions-S1 on Lake" file="[^"]+">\n\s+<skipped message="acknowledged: Log bucket itself\."\/>/);
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });

  test('no classname contains a dot, so Jenkins and GitLab do not split NIST.800.53.R5 into package and class', () => {
    const nist = formatJunit({
      ruleSets: ['NIST.800.53.R5'],
      templates: [{ path: 'cdk.out/x.template.json', resourceLines: new Map(), findings: [
        { ruleId: 'NIST.800.53.R5-S3BucketLoggingEnabled', ruleSet: 'NIST.800.53.R5', control: 'DATA-5', severity: 'error', resource: 'Lake', constructPath: 'dev/Data/Lake/Resource', source: 'lib/stacks/data-stack.ts:42', message: 'No logs.' },
      ] }],
    });
    const classnames = [...nist.matchAll(/classname="([^"]*)"/g)].map((m) => m[1]);
    expect(classnames).toEqual(['NIST-800-53-R5', 'NIST-800-53-R5']);
    // The file of a finding from a cloud assembly is the construct's source file, which is in the repository.
    expect(nist).toContain('name="NIST.800.53.R5-S3BucketLoggingEnabled on dev/Data/Lake/Resource" file="lib/stacks/data-stack.ts"');
  });
});

describe('sarif for GitHub code scanning', () => {
  const fromAssembly: AuditResult = {
    ruleSets: ['EduSecurityChecks'],
    templates: [{
      path: 'cdk.out/assembly-dev/devData58C5D5B6.template.json',
      resourceLines: new Map([['LakeBucket', 30]]),
      findings: [
        { ruleId: 'EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]', ruleSet: 'EduSecurityChecks', control: 'DATA-1', severity: 'error', resource: 'LakeBucket', constructPath: 'dev/Data/Lake/Bucket/Resource', source: 'constructs/data-lake.ts:133', message: '[DATA-1] Not a CMK.' },
      ],
    }],
  };
  type Log = { runs: { tool: { driver: { rules: { helpUri?: string; properties: Record<string, unknown> }[] } }; results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations?: unknown[]; partialFingerprints: Record<string, string> }[] }[] };
  const parse = (r: AuditResult, env: NodeJS.ProcessEnv = {}): Log => JSON.parse(formatSarif(r, env)) as Log;

  test('a finding of a synthesized template points at the source line in the repository, not at cdk.out', () => {
    const log = parse(fromAssembly);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'constructs/data-lake.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 133 } });
    expect(log.runs[0].results[0].relatedLocations).toHaveLength(1);
  });

  test('fingerprints survive unrelated changes: same rule and construct, another line and another template hash', () => {
    const moved: AuditResult = { ...fromAssembly, templates: [{ ...fromAssembly.templates[0], path: 'cdk.out/assembly-dev/devDataFFFFFFFF.template.json', findings: [{ ...fromAssembly.templates[0].findings[0], source: 'constructs/data-lake.ts:150' }] }] };
    const a = parse(fromAssembly).runs[0].results[0].partialFingerprints;
    expect(parse(moved).runs[0].results[0].partialFingerprints).toEqual(a);
    const other: AuditResult = { ...fromAssembly, templates: [{ ...fromAssembly.templates[0], findings: [{ ...fromAssembly.templates[0].findings[0], constructPath: 'dev/Data/Other/Resource' }] }] };
    expect(parse(other).runs[0].results[0].partialFingerprints).not.toEqual(a);
  });

  test('rules carry security-severity and the security tag; helpUri names the control documentation in GitHub Actions', () => {
    const rule = parse(fromAssembly, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'district/platform', GITHUB_SHA: 'abc123' }).runs[0].tool.driver.rules[0];
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.properties.tags).toEqual(['security', 'EduSecurityChecks', 'DATA-1']);
    expect(rule.helpUri).toBe('https://github.com/district/platform/blob/abc123/docs/controls.md#data-1');
    expect(parse(result).runs[0].tool.driver.rules.find((r) => r.properties.ruleSet === 'AwsSolutions')?.helpUri).toBe('https://github.com/cdklabs/cdk-nag/blob/main/RULES.md');
  });
});
