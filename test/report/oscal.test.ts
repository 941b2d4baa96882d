import { readCloudAssembly } from '../../lib/report/cloud-assembly';
import { buildEvidenceReport, EvidenceReport } from '../../lib/report/model';
import { renderAssessmentResults } from '../../lib/report/render/assessment-results';
import { componentUuid, implementationStatus, oscalControlId, renderOscal, TRESTLE_NS } from '../../lib/report/render/oscal';
import { URL_NAMESPACE, uuidV5 } from '../../lib/report/uuid';
import { assessmentResultsErrors } from './oscal-assessment-results';
import { FIXTURE, oscalErrors } from './support';

const AT = '2026-01-31T12:00:00Z';

interface Prop { name: string; value: string; ns?: string; remarks?: string }
interface Requirement { uuid: string; 'control-id': string; description: string; props: Prop[] }
interface Component { uuid: string; type: string; title: string; props: Prop[]; 'control-implementations'?: { 'implemented-requirements': Requirement[] }[] }
interface ComponentDefinition { 'component-definition': { uuid: string; metadata: { 'last-modified': string }; components: Component[] } }
interface Observation { uuid: string; title: string; props: Prop[]; methods: string[]; subjects: { 'subject-uuid': string; type: string }[]; collected: string }
interface Finding { uuid: string; title: string; target: { type: string; 'target-id': string; status: { state: string; reason?: string } }; 'related-observations'?: { 'observation-uuid': string }[]; 'related-risks'?: { 'risk-uuid': string }[] }
interface Risk { uuid: string; title: string; description: string; status: string; deadline?: string; 'related-observations': { 'observation-uuid': string }[] }
interface AssessmentResults {
  'assessment-results': {
    uuid: string;
    metadata: { props: Prop[] };
    results: { 'local-definitions': { components: { uuid: string }[] }; observations: Observation[]; findings: Finding[]; risks: Risk[]; 'reviewed-controls': { 'control-selections': { 'include-controls': { 'control-id': string }[] }[] } }[];
    'back-matter': { resources: { title?: string; rlinks?: { href: string; hashes: { algorithm: string; value: string }[] }[] }[] };
  };
}

function report(generatedAt = AT): EvidenceReport {
  return buildEvidenceReport(readCloudAssembly(FIXTURE), { generatedAt });
}

describe('OSCAL component definition', () => {
  const r = report();
  const doc = JSON.parse(renderOscal(r)) as ComponentDefinition;
  const cd = doc['component-definition'];
  const dev = cd.components[0];
  const reqs = dev['control-implementations']![0]['implemented-requirements'];

  test('is valid against the official NIST OSCAL 1.1.2 component-definition schema', () => {
    expect(oscalErrors(doc)).toEqual([]);
  });

  test('has one component per environment (not per stack), plus the policy gate as a validation component', () => {
    expect(cd.components.map((c) => [c.type, c.title])).toEqual([['service', 'Environment dev'], ['validation', 'edu-security-baseline policy gate']]);
    expect(dev.uuid).toBe(componentUuid('dev'));
    expect(dev.props).toContainEqual(expect.objectContaining({ name: 'stack', value: 'dev/Data (fixture-dev-data)' }));
  });

  test('states implementation-status on every implemented requirement, from the controls that support it', () => {
    for (const q of reqs) expect(q.props.filter((p) => p.name === 'implementation-status')).toHaveLength(1);
    // SC-28 is supported by DATA-1 (met with exceptions) and LOG-1 (violated) among others: partly implemented.
    const sc28 = reqs.find((q) => q['control-id'] === 'sc-28')!;
    expect(sc28.props[0]).toMatchObject({ name: 'implementation-status', value: 'partial' });
    expect(sc28.props[0].remarks).toContain('LOG-1: violated');
    expect(implementationStatus([])).toBe('not-applicable');
  });

  test('rules are trestle rule props: Rule_Id and Rule_Description on the component, Check_Id and Check_Description on the gate, grouped by remarks', () => {
    const group = (c: Component, remarks: string): Record<string, string> => Object.fromEntries(c.props.filter((p) => p.remarks === remarks).map((p) => [p.name, p.value]));
    const ruleIdProp = dev.props.find((p) => p.name === 'Rule_Id' && p.value === 'EduSecurity-DATA1-BucketKmsEncryption')!;
    expect(ruleIdProp.ns).toBe(TRESTLE_NS);
    expect(ruleIdProp.remarks).toMatch(/^rule_set_\d+$/);
    expect(Object.keys(group(dev, ruleIdProp.remarks!))).toEqual(['Rule_Id', 'Rule_Description']);
    expect(group(dev, ruleIdProp.remarks!).Rule_Description).toMatch(/^DATA-1: /);
    const gate = cd.components[1];
    const check = gate.props.find((p) => p.name === 'Rule_Id' && p.value === 'EduSecurity-DATA1-BucketKmsEncryption')!;
    expect(group(gate, check.remarks!)).toMatchObject({ Check_Id: 'EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption', Check_Description: expect.stringContaining('ran on this synth') });
    // The requirement names the rules that check it, as trestle links a requirement to its rules.
    expect(reqs.find((q) => q['control-id'] === 'sc-28')!.props).toContainEqual(expect.objectContaining({ name: 'Rule_Id', value: 'EduSecurity-DATA1-BucketKmsEncryption', ns: TRESTLE_NS }));
  });

  test('states no met / violated status in a custom prop: that is what the assessment results are for', () => {
    expect(JSON.stringify(doc)).not.toContain('edu-control-status');
  });

  test('UUIDs are derived, not random: stable across runs and changed only by content', () => {
    const again = JSON.parse(renderOscal(report('2030-01-01T00:00:00Z'))) as ComponentDefinition;
    expect(again['component-definition'].uuid).toBe(cd.uuid);
    expect(again['component-definition'].components[0].uuid).toBe(dev.uuid);
  });

  test('uuidV5 follows RFC 4122 (known vector) and sets version and variant bits', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(uuidV5('https://github.com/edu-security-baseline/oscal', URL_NAMESPACE)).toBe('05677c51-80bc-53ad-a962-a67a88b3ba33');
    expect(uuidV5('anything')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('NIST enhancements use the catalog form', () => {
    expect(oscalControlId('SC-28(1)')).toBe('sc-28.1');
    expect(oscalControlId('AC-2')).toBe('ac-2');
  });
});

describe('OSCAL assessment results of the synth', () => {
  const r = report();
  const doc = JSON.parse(renderAssessmentResults(r)) as AssessmentResults;
  const ar = doc['assessment-results'];
  const result = ar.results[0];
  const finding = (id: string): Finding => result.findings.find((f) => f.target['target-id'] === id)!;

  test('is valid OSCAL 1.1.2 assessment results (official shared definitions + the AR model, see oscal-assessment-results.ts)', () => {
    expect(assessmentResultsErrors(doc)).toEqual([]);
  });

  test('the validation catches what it should: a bad finding state, a missing collected time, an unknown observation method', () => {
    const bad = JSON.parse(JSON.stringify(doc)) as AssessmentResults;
    const first = bad['assessment-results'].results[0];
    first.findings[0].target.status.state = 'met';
    first.observations[0] = Object.fromEntries(Object.entries(first.observations[0]).filter(([k]) => k !== 'collected')) as unknown as Observation;
    first.observations[1].methods = ['GUESS'];
    expect(assessmentResultsErrors(bad)).toEqual(expect.arrayContaining([
      expect.stringMatching(/findings\/0\/target\/status\/state must be equal to one of the allowed values/),
      expect.stringMatching(/observations\/0 must have required property 'collected'/),
      expect.stringMatching(/observations\/1\/methods\/0 must be equal to one of the allowed values/),
    ]));
  });

  test('a finding per control: satisfied when met (also with exceptions), not-satisfied when violated or not evidenced', () => {
    expect(finding('LOG-1').target.status).toMatchObject({ state: 'not-satisfied', reason: 'fail' });
    expect(finding('DATA-1').target.status).toMatchObject({ state: 'satisfied', reason: 'pass' });
    const notApplicable = r.environments[0].controls.filter((c) => c.status === 'not applicable').map((c) => c.id);
    expect(result.findings.map((f) => f.target['target-id']).sort()).toEqual(r.environments[0].controls.map((c) => c.id).filter((id) => !notApplicable.includes(id)).sort());
    expect(result['reviewed-controls']['control-selections'][0]['include-controls']).toHaveLength(r.environments[0].controls.length);
  });

  test('observations per evaluated resource and per rule finding, on the environment component', () => {
    const obs = new Map(result.observations.map((o) => [o.uuid, o]));
    const log1 = finding('LOG-1')['related-observations']!.map((x) => obs.get(x['observation-uuid'])!);
    expect(log1.map((o) => o.title)).toContain('EduSecurityChecks::EduSecurity-LOG1-LogGroupCmkRetention[RetentionInDays=30] on TaskLogs (dev)');
    expect(log1.find((o) => o.title.startsWith('LOG-1: '))?.props).toContainEqual(expect.objectContaining({ name: 'result', value: 'fail' }));
    for (const o of result.observations) expect(o.subjects[0]).toMatchObject({ 'subject-uuid': componentUuid('dev'), type: 'component' });
    expect(result['local-definitions'].components.map((c) => c.uuid)).toEqual([componentUuid('dev')]);
  });

  test('an accepted exception is a risk with its reason, linked from its control\'s finding; a deadline when one is recorded', () => {
    const risk = result.risks.find((k) => k.title.includes('EduSecurity-DATA1-BucketKmsEncryption'))!;
    expect(risk).toMatchObject({ status: 'deviation-approved', description: 'S3 server access log delivery requires SSE-S3 on the target bucket.' });
    expect(finding('DATA-1')['related-risks']).toEqual([{ 'risk-uuid': risk.uuid }]);
    const withExpiry = structuredClone(r) as EvidenceReport;
    const data1 = withExpiry.environments[0].controls.find((c) => c.id === 'DATA-1')!;
    Object.assign(data1.acknowledgments[0].acknowledgment!, { expires: '2027-06-30' });
    const again = JSON.parse(renderAssessmentResults(withExpiry)) as AssessmentResults;
    expect(again['assessment-results'].results[0].risks.find((k) => k.title.includes('DATA1'))?.deadline).toBe('2027-06-30T23:59:59Z');
  });

  test('names the tool versions and the sha256 of every file it describes', () => {
    expect(ar.metadata.props).toContainEqual(expect.objectContaining({ name: 'tool-version', value: expect.stringMatching(/^cdk-nag /) }));
    const files = ar['back-matter'].resources.filter((x) => x.rlinks).map((x) => x.rlinks![0]);
    expect(files.map((f) => f.href)).toEqual(r.provenance.digests.map((d) => d.path));
    expect(files[0].hashes[0]).toEqual({ algorithm: 'SHA-256', value: r.provenance.digests[0].sha256 });
  });
});
