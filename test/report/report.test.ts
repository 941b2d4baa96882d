import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLS } from '../../lib/policy/controls';
import { readCloudAssembly } from '../../lib/report/cloud-assembly';
import { extractorFor } from '../../lib/report/evidence';
import { renderValue } from '../../lib/report/evidence/values';
import { runReportCommand } from '../../lib/report/command';
import { buildEvidenceReport, ControlResult, EvidenceReport } from '../../lib/report/model';
import { renderHtml } from '../../lib/report/render/html';
import { renderMarkdown } from '../../lib/report/render/markdown';
import { renderAssessmentResults } from '../../lib/report/render/assessment-results';
import { REPORT_FILES, writeEvidence } from '../../lib/report/write';
import { FIXTURE, fixtureCopy, tempDir } from './support';

const AT = '2026-01-31T12:00:00Z';

function report(dir = FIXTURE): EvidenceReport {
  return buildEvidenceReport(readCloudAssembly(dir), { generatedAt: AT });
}

function control(r: EvidenceReport, id: string, env = 'dev'): ControlResult {
  const c = r.environments.find((e) => e.name === env)?.controls.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} in ${env}`);
  return c;
}

describe('control status from templates and findings', () => {
  const r = report();

  test('the fixture is read as one environment with its stack display name and a gate that ran', () => {
    expect(r.environments.map((e) => e.name)).toEqual(['dev']);
    expect(r.environments[0].stacks).toEqual([
      { displayName: 'dev/Data', stackName: 'fixture-dev-data', deploymentTarget: 'aws://111111111111/us-east-1', templatePath: 'assembly-dev/devData1234.template.json' },
    ]);
    expect(r.gate.ran).toBe(true);
  });

  test('a violated control shows as violated with its finding', () => {
    const log1 = control(r, 'LOG-1');
    expect(log1.status).toBe('violated');
    expect(log1.findings).toEqual([
      expect.objectContaining({ ruleId: 'EduSecurity-LOG1-LogGroupCmkRetention[RetentionInDays=30]', resource: 'TaskLogs', severity: 'error', constructPath: 'dev/Data/TaskLogs/Resource' }),
    ]);
    expect(log1.resources[0].properties).toContainEqual({ name: 'RetentionInDays', value: '30' });
    const md = renderMarkdown(r);
    expect(md).toContain('| [LOG-1](#dev-log-1) | Log groups encrypted and kept at least 365 days | violated |');
    expect(md).toContain('`EduSecurityChecks::EduSecurity-LOG1-LogGroupCmkRetention[RetentionInDays=30]`');
  });

  test('an acknowledged exception shows as met with exceptions, with its reason, and never as an open finding', () => {
    const data1 = control(r, 'DATA-1');
    expect(data1.status).toBe('met with exceptions');
    expect(data1.findings).toEqual([]);
    expect(data1.acknowledgments).toEqual([
      expect.objectContaining({
        ruleId: 'EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]',
        resource: 'LogBucket',
        acknowledgment: {
          reason: 'S3 server access log delivery requires SSE-S3 on the target bucket.',
          acknowledgedAt: 'dev/Data/Lake/AccessLogBucket',
          owner: 'edu-security-baseline maintainers',
          ticket: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
          reviewBy: '2027-06-30',
          declaredIn: 'lib/stacks/baseline-exceptions.json',
        },
      }),
    ]);
    const reason = 'S3 server access log delivery requires SSE-S3 on the target bucket.';
    expect(renderMarkdown(r)).toContain(reason);
    expect(renderHtml(r)).toContain(reason);
    // In OSCAL an accepted exception is a risk of the assessment results (test/report/oscal.test.ts).
    const ar = JSON.parse(renderAssessmentResults(r)) as { 'assessment-results': { results: { risks: { description: string; status: string }[] }[] } };
    expect(ar['assessment-results'].results[0].risks).toContainEqual(expect.objectContaining({ description: reason, status: 'deviation-approved' }));
  });

  test('the values that prove a control are the template values', () => {
    const lake = control(r, 'DATA-1').resources.find((x) => x.logicalId === 'LakeBucket');
    expect(lake).toEqual(expect.objectContaining({ stack: 'dev/Data', constructPath: 'dev/Data/Lake/Bucket/Resource', type: 'AWS::S3::Bucket' }));
    expect(lake?.properties).toEqual([
      { name: 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm', value: 'aws:kms' },
      { name: 'BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID', value: 'GetAtt(DataKey.Arn)' },
      { name: 'BucketEncryption.ServerSideEncryptionConfiguration[0].BucketKeyEnabled', value: 'true' },
    ]);
  });

  test('a control with governed resources but no implementing resource is not met: a VPC without flow logs', () => {
    const log4 = control(r, 'LOG-4');
    expect(log4.resources).toEqual([]);
    expect(log4.findings).toEqual([]);
    expect(log4.status).toBe('not evidenced');
    expect(log4.reason).toMatch(/No resource in this environment implements the control/);
    expect(renderMarkdown(r)).toContain('**No resource implements this control in this environment.**');
  });

  test('a control whose resources the environment lacks is not applicable and says why', () => {
    const temp1 = control(r, 'TEMP-1');
    expect(temp1.status).toBe('not applicable');
    expect(temp1.reason).toContain('AWS::EFS::FileSystem');
  });

  test('a control that only process evidence can show is never met from templates', () => {
    for (const id of ['SECRET-4', 'IAM-5']) expect(control(r, id).status).not.toBe('met');
    expect(extractorFor('SECRET-4')?.beyondTemplates).toContain('edu-baseline secrets check');
  });

  test('met requires an implementing resource and an enforcing rule that ran, with no open finding', () => {
    const data3 = control(r, 'DATA-3');
    expect(data3.status).toBe('met');
    expect(data3.resources.length).toBeGreaterThan(0);
    expect(data3.rules.some((x) => x.ran)).toBe(true);
    for (const env of r.environments) {
      for (const c of env.controls.filter((x) => x.status === 'met')) {
        expect(c.resources.length).toBeGreaterThan(0);
        expect(c.rules.some((x) => x.ran)).toBe(true);
        expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
      }
    }
  });

  test('the summary counts every control once', () => {
    const env = r.environments[0];
    expect(Object.values(env.summary).reduce((a, b) => a + b, 0)).toBe(CONTROLS.length);
    expect(env.summary.violated).toBe(env.controls.filter((c) => c.status === 'violated').length);
  });

  test('every control of the catalog has an evidence extractor', () => {
    expect(CONTROLS.filter((c) => !extractorFor(c.id)).map((c) => c.id)).toEqual([]);
  });
});

describe('EXC-1: exception records', () => {
  /** The fixture with its one record (the acknowledged DATA-1 finding) edited. */
  function withRecord(edit: (record: Record<string, unknown>) => void): EvidenceReport {
    const dir = fixtureCopy();
    const file = join(dir, 'assembly-dev', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { artifacts: Record<string, { metadata: Record<string, { data: Record<string, unknown> }[]> }> };
    edit(manifest.artifacts.devData1234.metadata['/dev/Data/Lake/AccessLogBucket'][0].data);
    writeFileSync(file, JSON.stringify(manifest));
    return report(dir);
  }

  test('met when every record is complete, in force and covers a finding; each record is listed with owner, ticket and review date', () => {
    const exc = control(report(), 'EXC-1');
    expect(exc.status).toBe('met');
    expect(exc.title).toBe('Accepted exceptions are records that expire');
    expect(exc.rules).toEqual([expect.objectContaining({ ruleSet: 'PolicyGate', ruleId: 'PolicyGate-EXC1-ExceptionRecords', ran: true })]);
    expect(exc.resources).toEqual([
      expect.objectContaining({
        constructPath: 'dev/Data/Lake/AccessLogBucket',
        type: 'Exception record',
        properties: expect.arrayContaining([
          { name: 'owner', value: 'edu-security-baseline maintainers' },
          { name: 'review by', value: '2027-06-30' },
          { name: 'findings covered', value: '1' },
          { name: 'state', value: 'in force (as of 2026-01-31)' },
        ]),
      }),
    ]);
  });

  test('violated by an expired record, naming it and its date', () => {
    const exc = control(withRecord((r) => { delete r.reviewBy; r.expires = '2026-01-30'; }), 'EXC-1');
    expect(exc.status).toBe('violated');
    expect(exc.reason).toMatch(/EduSecurity-DATA1-BucketKmsEncryption\[SSEAlgorithm=AES256\] at dev\/Data\/Lake\/AccessLogBucket: expired on 2026-01-30/);
  });

  test('violated by a stale record (it covers no finding)', () => {
    const exc = control(withRecord((r) => { r.rule = 'AwsSolutions::AwsSolutions-S1'; }), 'EXC-1');
    expect(exc.status).toBe('violated');
    expect(exc.reason).toMatch(/AwsSolutions::AwsSolutions-S1 at dev\/Data\/Lake\/AccessLogBucket: stale: matches no finding/);
  });

  test('not applicable in an environment without exceptions', () => {
    const exc = control(withRecord((r) => { r.resource = 'elsewhere/Data/X'; }), 'EXC-1');
    expect(exc.status).toBe('not applicable');
  });
});

describe('without the gate', () => {
  test('no validation report: nothing is met and the report says the gate did not run', () => {
    const dir = fixtureCopy();
    rmSync(join(dir, 'validation-report.json'));
    const r = report(dir);
    expect(r.gate).toEqual(expect.objectContaining({ reportFound: false, ran: false }));
    expect(r.gate.statement).toMatch(/the policy gate did not run/);
    expect(r.environments[0].summary.met).toBe(0);
    expect(r.environments[0].summary['met with exceptions']).toBe(0);
    expect(control(r, 'DATA-3').reason).toMatch(/gate did not run/);
  });
});

describe('written files', () => {
  test('the same cdk.out gives the same files except for the one generated-at timestamp', () => {
    const out = tempDir('edu-report-out-');
    const a = writeEvidence(FIXTURE, { outDir: join(out, 'a'), generatedAt: '2026-01-31T12:00:00Z' });
    const b = writeEvidence(FIXTURE, { outDir: join(out, 'b'), generatedAt: '2027-02-28T13:14:15Z' });
    expect(a.files.map((f) => f.slice(a.outDir.length + 1))).toEqual([REPORT_FILES.html, REPORT_FILES.markdown, REPORT_FILES.oscal, REPORT_FILES.assessmentResults, REPORT_FILES.data]);
    for (const name of Object.values(REPORT_FILES)) {
      const x = readFileSync(join(a.outDir, name), 'utf8');
      const y = readFileSync(join(b.outDir, name), 'utf8');
      // The assessment results also date their observations: at the synth when it recorded its time, else at the report.
      if (name !== REPORT_FILES.assessmentResults) expect(x.split('2026-01-31T12:00:00Z').length - 1).toBe(1);
      expect(x).not.toBe(y);
      expect(x.split('2026-01-31T12:00:00Z').join('T')).toBe(y.split('2027-02-28T13:14:15Z').join('T'));
    }
  });

  test('the HTML is self-contained: no external URL is loaded, CSS is inline with a print style, summary comes first', () => {
    const html = renderHtml(report());
    expect(html).not.toMatch(/<(?:script|link[^>]+stylesheet|img)[^>]*(?:src|href)="(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('@media print');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('class="env-detail"'));
  });

  test('HTML escapes template values', () => {
    expect(renderHtml({ ...report(), source: '<script>x</script>' })).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  test('SOURCE_DATE_EPOCH fixes the timestamp; a bad --generated-at is bad input (exit 2)', () => {
    const out = tempDir('edu-report-cli-');
    const errors: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => errors.push(s) };
    const old = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      expect(runReportCommand(FIXTURE, { out }, io)).toBe(0);
    } finally {
      if (old === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = old;
    }
    expect(readFileSync(join(out, REPORT_FILES.markdown), 'utf8')).toContain('Generated at 2026-01-01T00:00:00Z');
    expect(runReportCommand(FIXTURE, { out, generatedAt: 'yesterday' }, io)).toBe(2);
    expect(runReportCommand(join(out, 'missing'), { out }, io)).toBe(2);
    expect(errors.join('')).toMatch(/no manifest\.json/);
  });
});

describe('renderValue', () => {
  test('renders intrinsics readably', () => {
    expect(renderValue({ Ref: 'X' })).toBe('Ref(X)');
    expect(renderValue({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/*']] })).toBe('${GetAtt(B.Arn)}/*');
    expect(renderValue(undefined)).toBe('(not set)');
  });
});
