import { ExceptionStatus } from '../../policy/exceptions';
import { ControlExtractor, EvidenceResource } from './types';

/** One record's state in a word, as the page shows it. */
function stateOf(s: ExceptionStatus): string {
  if (s.expired) return `expired on ${s.record.expires}`;
  if (s.stale) return 'stale: matches no finding';
  if (s.record.auditOnly && s.matched === 0) return 'in force (its finding appears only when auditing the cdk.out)';
  if (s.reviewDue) return `in force, review was due ${s.record.reviewBy}`;
  return 'in force';
}

function evidenceOfRecord(s: ExceptionStatus): EvidenceResource {
  const r = s.record;
  const [stage, stack] = r.resource.split('/');
  return {
    stack: `${stage}/${stack}`,
    logicalId: '',
    constructPath: r.resource,
    type: 'Exception record',
    properties: [
      { name: 'rule', value: r.rule },
      { name: 'reason', value: r.reason },
      { name: 'owner', value: r.owner },
      { name: 'ticket', value: r.ticket },
      r.expires !== undefined ? { name: 'expires', value: r.expires } : { name: 'review by', value: r.reviewBy ?? '(none)' },
      { name: 'declared in', value: r.declaredIn },
      { name: 'findings covered', value: String(s.matched) },
      { name: 'state', value: `${stateOf(s)} (as of ${r.asOf})` },
    ],
  };
}

/**
 * EXC-1: every accepted exception is a record. The records are read from the
 * cloud assembly (the gate wrote each one into the manifest metadata of the
 * construct it covers) and judged as the gate judges them: each has a rule, a
 * resource, a reason, an owner, a ticket and an expiry or review date; none
 * has expired and each covers at least one finding (audit-only records
 * excepted). An expired or stale record violates the control.
 */
export const exceptionExtractors: readonly ControlExtractor[] = [
  {
    control: 'EXC-1',
    governs: [],
    inScope: ({ env }) => env.exceptions.length > 0,
    extract: ({ env }) => env.exceptions.map(evidenceOfRecord),
    violations: ({ env }) =>
      env.exceptions
        .filter((s) => s.expired || s.stale || !s.record.owner || !s.record.ticket || (!s.record.expires && !s.record.reviewBy))
        .map((s) => `${s.record.rule} at ${s.record.resource}: ${s.expired || s.stale ? stateOf(s) : 'incomplete record'}`),
    beyondTemplates:
      'The records come from the cloud assembly\'s manifest metadata, which the gate writes for every exception it applies; the synth ' +
      'that wrote this assembly failed on any expired or stale record, and the records of the baseline and the config are listed here with their state.',
  },
];
