import { readCloudAssembly } from '../../lib/report/cloud-assembly';
import { buildEvidenceReport } from '../../lib/report/model';
import { frameworkViews, requirementStatus } from '../../lib/report/render/frameworks';
import { renderHtml } from '../../lib/report/render/html';
import { renderMarkdown } from '../../lib/report/render/markdown';
import { FIXTURE } from './support';

/** The evidence read per framework: NIST SP 800-53 r5, CIS AWS Foundations v5.0.0, NIST CSF 2.0. */
describe('framework view', () => {
  const report = buildEvidenceReport(readCloudAssembly(FIXTURE), { generatedAt: '2026-01-31T12:00:00Z' });
  const dev = report.environments[0];
  const [nist, cis, csf] = frameworkViews(report);

  test('each control carries its CIS and CSF mappings beside NIST SP 800-53 r5', () => {
    const audit = dev.controls.find((c) => c.id === 'AUDIT-1')!;
    expect(audit.cisAwsV5).toEqual(['3.1', '3.2', '3.4', '3.5', '3.8', '3.9']);
    expect(audit.nistCsf2).toEqual(['DE.CM-03', 'PR.PS-04']);
    expect(dev.controls.find((c) => c.id === 'DATA-4')!.cisAwsV5).toEqual([]);
  });

  test('a requirement is as good as its weakest control: LOG-1 violated makes CSF PR.PS-04 and NIST AU-11 violated', () => {
    expect(requirementStatus(csf, 'PR.PS-04', dev.controls).status).toBe('violated');
    expect(requirementStatus(nist, 'AU-11', dev.controls)).toMatchObject({ status: 'violated', controls: [expect.objectContaining({ id: 'LOG-1' })] });
    const data1 = dev.controls.find((c) => c.id === 'DATA-1')!;
    expect(requirementStatus(cis, '2.1.1', dev.controls).controls.map((c) => c.id)).toEqual(['DATA-2']);
    expect(data1.status).toBe('met with exceptions');
  });

  test('the page and evidence.md have a table per framework with every mapped requirement', () => {
    const html = renderHtml(report);
    for (const id of ['nist-800-53-r5', 'cis-aws-v5', 'nist-csf-2']) expect(html).toContain(`data-framework="${id}"`);
    expect(html).toContain('<tr data-requirement="5.7">');
    expect(html).toContain('<tr data-requirement="ID.RA-07">');
    expect(html).toContain('<tr data-requirement="SC-28(1)">');
    const md = renderMarkdown(report);
    expect(md).toContain('### CIS Amazon Web Services Foundations Benchmark v5.0.0');
    expect(md).toMatch(/\| PR\.PS-04 Log records are generated and made available for continuous monitoring \| violated \(/);
  });
});
