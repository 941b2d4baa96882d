import { createHash } from 'node:crypto';
import { ControlStatus, EnvironmentReport, EvidenceReport, ReportFinding } from '../model';
import { uuidV5 } from '../uuid';
import { clean, componentUuid, OSCAL_VERSION, prop, ruleKey } from './oscal';

/**
 * The evidence report as an OSCAL 1.1.2 assessment-results document: one
 * result (this synth, judged by the policy gate) with
 * - observations: one per implementing resource of a control and the rules
 *   of that control that evaluated it (passed unless a finding says
 *   otherwise), and one per finding of a rule on a resource (open or
 *   accepted);
 * - findings: one per catalog control and environment, `satisfied` when the
 *   control is met (with or without accepted exceptions), `not-satisfied`
 *   when it is violated or not evidenced; controls that do not apply to an
 *   environment are listed in the result's remarks instead;
 * - risks: one per accepted exception, with its reason and its deadline
 *   (the exception's expiry or review date, when recorded).
 * The environments are components in the result's local definitions with the
 * UUIDs of the component definition's components. UUIDs are derived from
 * content, so the same cdk.out gives the same document but for
 * `metadata.last-modified`.
 */

type Json = Record<string, unknown>;

const SATISFIED: readonly ControlStatus[] = ['met', 'met with exceptions'];

/** A date (`2027-06-30`) or date-time as an OSCAL date-time with time zone: the end of that day, UTC. */
function deadline(date: string | undefined): string | undefined {
  if (!date) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return `${date}T23:59:59Z`;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(date) ? date : undefined;
}

function findingKey(env: string, f: ReportFinding): string {
  return `${env}|${ruleKey(f)}|${f.templatePath}|${f.resource}|${f.constructPath}`;
}

/** The environment's component as the subject, the resource named in the title (OSCAL subjects are components, not resources). */
function subject(env: EnvironmentReport, resource: string): Json {
  return { 'subject-uuid': componentUuid(env.name), type: 'component', title: `${resource} in environment ${env.name}` };
}

export function renderAssessmentResults(report: EvidenceReport): string {
  const collected = report.provenance.synthesizedAt ?? report.generatedAt;
  const observations: Json[] = [];
  const risks: Json[] = [];
  const findings: Json[] = [];
  const notApplicable: string[] = [];
  const findingObservation = new Map<string, string>();
  const riskOf = new Map<string, string>();

  for (const env of report.environments) {
    // One observation per finding of a rule on a resource, open or accepted.
    const all = [...env.controls.flatMap((c) => [...c.findings, ...c.acknowledgments]), ...env.unmappedFindings];
    for (const f of all) {
      const key = findingKey(env.name, f);
      if (findingObservation.has(key)) continue;
      const uuid = uuidV5(`observation:finding:${key}`);
      findingObservation.set(key, uuid);
      const ack = f.acknowledgment;
      observations.push({
        uuid,
        title: `${ruleKey(f)} on ${f.resource || f.constructPath || 'the stack'} (${env.name})`,
        description: clean(f.message),
        props: [
          prop('rule', ruleKey(f)),
          prop('severity', f.severity),
          prop('result', ack ? 'fail (accepted exception)' : 'fail'),
          ...(f.control ? [prop('edu-control', f.control)] : []),
        ],
        methods: ['TEST'],
        types: ['finding'],
        subjects: [subject(env, f.constructPath || f.resource || 'the stack')],
        'relevant-evidence': [{ href: f.templatePath || 'validation-report.json', description: `Finding of ${ruleKey(f)} in validation-report.json${f.templatePath ? ` on template ${f.templatePath}` : ''}.` }],
        collected,
      });
      if (ack) {
        const riskUuid = uuidV5(`risk:${key}`);
        riskOf.set(key, riskUuid);
        const due = deadline(ack.expires ?? ack.reviewBy);
        risks.push({
          uuid: riskUuid,
          title: `Accepted exception: ${ruleKey(f)} on ${f.resource || f.constructPath || 'the stack'} (${env.name})`,
          description: clean(ack.reason || '(no reason recorded)'),
          statement: clean(`${f.message} Accepted${ack.owner ? ` by ${ack.owner}` : ''}${ack.ticket ? ` (${ack.ticket})` : ''}${ack.acknowledgedAt ? ` at ${ack.acknowledgedAt}` : ''}.`),
          props: [
            prop('rule', ruleKey(f)),
            ...(ack.owner ? [prop('owner', ack.owner)] : []),
            ...(ack.ticket ? [prop('ticket', ack.ticket)] : []),
          ],
          // OSCAL risk status: an accepted exception is a deviation that was approved.
          status: 'deviation-approved',
          ...(due ? { deadline: due } : {}),
          'related-observations': [{ 'observation-uuid': uuid }],
          ...(due ? {} : { remarks: 'No expiry or review date is recorded for this exception.' }),
        });
      }
    }

    for (const c of env.controls) {
      if (c.status === 'not applicable') {
        notApplicable.push(`${env.name}/${c.id}`);
        continue;
      }
      const related: string[] = [];
      const ran = c.rules.filter((r) => r.ran);
      // One observation per implementing resource and the control's rules that evaluated it.
      for (const r of c.resources) {
        const failing = [...c.findings, ...c.acknowledgments].filter((f) => f.resource === r.logicalId && r.logicalId !== '');
        const uuid = uuidV5(`observation:resource:${env.name}:${c.id}:${r.stack}:${r.logicalId}:${r.constructPath}`);
        related.push(uuid);
        // The values that prove the control are in evidence.json (controls[].resources); here the outcome of the rules.
        observations.push({
          uuid,
          title: `${c.id}: ${r.constructPath || r.logicalId || r.type} (${r.type})`,
          description: `${ran.length > 0 ? `Evaluated by ${ran.map(ruleKey).join(', ')}` : 'No rule of this control ran'}; ${failing.length === 0 ? 'no finding' : `${failing.length} finding(s)`}.`,
          props: [prop('result', failing.some((f) => !f.acknowledgment) ? 'fail' : failing.length > 0 ? 'fail (accepted exception)' : ran.length > 0 ? 'pass' : 'not evaluated')],
          methods: ['TEST'],
          types: ['control-objective'],
          subjects: [subject(env, `${r.stack}/${r.logicalId || '-'}`)],
          collected,
        });
      }
      const own = [...c.findings, ...c.acknowledgments].map((f) => findingKey(env.name, f));
      for (const key of own) related.push(findingObservation.get(key)!);
      const relatedRisks = own.map((k) => riskOf.get(k)).filter((u): u is string => u !== undefined);
      const satisfied = SATISFIED.includes(c.status);
      findings.push({
        uuid: uuidV5(`finding:${env.name}:${c.id}`),
        title: `${c.id} in ${env.name}: ${c.status}`,
        description: clean(`${c.statement} ${c.reason}`),
        props: [
          prop('environment', env.name),
          prop('edu-control-status', c.status),
          // One prop per framework, its requirements comma-separated: the mapping, not a prop per ID.
          prop('nist-800-53-r5', c.nist80053r5.join(', ')),
          ...(c.cisAwsV5.length > 0 ? [prop('cis-aws-foundations-v5', c.cisAwsV5.join(', '))] : []),
          prop('nist-csf-2', c.nistCsf2.join(', ')),
        ],
        target: {
          type: 'objective-id',
          'target-id': c.id,
          status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: satisfied ? 'pass' : c.status === 'violated' ? 'fail' : 'other', remarks: clean(c.reason) },
        },
        ...(related.length > 0 ? { 'related-observations': [...new Set(related)].map((u) => ({ 'observation-uuid': u })) } : {}),
        ...(relatedRisks.length > 0 ? { 'related-risks': [...new Set(relatedRisks)].map((u) => ({ 'risk-uuid': u })) } : {}),
      });
    }
  }

  const p = report.provenance;
  const planResource = uuidV5('back-matter:policy-gate');
  const controlIds = [...new Set(report.environments.flatMap((e) => e.controls.map((c) => c.id)))];
  const result: Json = {
    uuid: uuidV5(`result:${p.digests.map((d) => d.sha256).join(',')}`),
    title: 'Policy gate on the synthesized templates',
    description: clean(`The policy gate's rule sets (${report.gate.ruleSets.join(', ') || 'none'}) evaluated the CloudFormation templates of this cloud assembly at synth; the gate's verdict was "${p.verdict.value}". ${report.gate.statement}`),
    start: collected,
    end: collected,
    props: [prop('gate-verdict', p.verdict.value, { remarks: `from the ${p.verdict.source}` })],
    'local-definitions': {
      components: report.environments.map((env) => ({
        uuid: componentUuid(env.name),
        type: 'service',
        title: `Environment ${env.name}`,
        description: `Stacks ${env.stacks.map((s) => `${s.stackName} (${s.templatePath})`).join(', ')}.`,
        status: { state: 'under-development' },
      })),
    },
    'reviewed-controls': {
      'control-selections': [{
        description: 'The controls of the edu-security-baseline catalog (docs/controls.md), each mapped to NIST SP 800-53 Rev. 5, CIS AWS Foundations Benchmark v5.0.0 and NIST CSF 2.0.',
        'include-controls': controlIds.map((id) => ({ 'control-id': id })),
      }],
    },
    ...(observations.length > 0 ? { observations } : {}),
    ...(risks.length > 0 ? { risks } : {}),
    ...(findings.length > 0 ? { findings } : {}),
    ...(notApplicable.length > 0 ? { remarks: `Not applicable (nothing the control governs in the environment), so not assessed: ${notApplicable.join(', ')}.` } : {}),
  };
  const toolProps = Object.entries(p.tools).map(([name, version]) => prop('tool-version', `${name} ${version}`));
  const body = {
    'import-ap': {
      href: `#${planResource}`,
      remarks: 'There is no separate assessment plan: the plan is the policy gate itself, described in the back matter.',
    },
    results: [result],
    'back-matter': {
      resources: [
        {
          uuid: planResource,
          title: 'Assessment plan: the edu-security-baseline policy gate',
          description: 'Every synth runs four rule sets over the CloudFormation templates: EduSecurityChecks (the baseline\'s own rules, one control each), cdk-nag AwsSolutions and NIST.800.53.R5, and the AWS Control Tower proactive-control rules; an unacknowledged error fails the synth. The control catalog is docs/controls.md.',
        },
        ...p.digests.map((d) => ({
          uuid: uuidV5(`back-matter:file:${d.path}:${d.sha256}`),
          title: d.path,
          description: 'A file of the cloud assembly this assessment describes (`edu-baseline report --verify` recomputes its digest).',
          rlinks: [{ href: d.path, hashes: [{ algorithm: 'SHA-256', value: d.sha256 }] }],
        })),
      ],
    },
  };
  // The UUID and version follow the content, not the clock (the collection time is left out): same cdk.out, same document.
  const digest = createHash('sha256').update(JSON.stringify(body).split(collected).join('')).digest('hex');
  const document = {
    'assessment-results': {
      uuid: uuidV5(`assessment-results:${digest}`),
      metadata: {
        title: `${report.title}: assessment of the synth`,
        'last-modified': report.generatedAt,
        version: `content-${digest.slice(0, 12)}`,
        'oscal-version': OSCAL_VERSION,
        props: [
          ...toolProps,
          ...(p.config ? [prop('config-sha256', p.config.sha256, { remarks: p.config.path })] : []),
          ...(p.git ? [prop('git-commit', p.git.commit, p.git.dirty ? { remarks: 'with uncommitted changes to tracked files' } : {})] : []),
        ],
        remarks: report.gate.statement,
      },
      ...body,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
