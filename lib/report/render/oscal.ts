import { createHash } from 'node:crypto';
import { EDU_PACK_NAME, EDU_PLUGIN_NAME } from '../../policy/edu-checks';
import { EduRule } from '../../policy/rule';
import { ALL_RULES } from '../../policy/rules';
import { ControlResult, EnforcingRule, EnvironmentReport, EvidenceReport } from '../model';
import { uuidV5 } from '../uuid';

/** Namespace of the props this report adds to OSCAL objects. */
export const PROP_NS = 'urn:edu-security-baseline:oscal';
/**
 * Namespace of the rule props as compliance-trestle writes and reads them
 * (`Rule_Id`, `Rule_Description`, `Check_Id`, `Check_Description`, one group
 * per rule tied together by the same `remarks`, e.g. `rule_set_0`):
 * compliance-trestle's documentation, "Representation of rules in the props
 * of a ComponentDefinition", and its component definitions in
 * oscal-compass/compliance-trestle.
 */
export const TRESTLE_NS = 'https://oscal-compass/compliance-trestle/schemas/oscal/cd';
export const OSCAL_VERSION = '1.1.2';
/** The NIST SP 800-53 Rev. 5 catalog the implemented requirements refer to. */
export const NIST_800_53_R5_CATALOG = 'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json';

export interface Prop {
  readonly name: string;
  readonly value: string;
  readonly ns?: string;
  readonly class?: string;
  readonly remarks?: string;
}

/** `SC-28(1)` → `sc-28.1`, the control-id form of the OSCAL NIST catalog. */
export function oscalControlId(nist: string): string {
  return nist.toLowerCase().replace(/\((\d+)\)/g, '.$1');
}

/** Prop values are single-line strings without surrounding whitespace (OSCAL StringDatatype). */
export function clean(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? '-' : t;
}

export function prop(name: string, value: string, extra: { ns?: string; class?: string; remarks?: string } = {}): Prop {
  return { name, value: clean(value), ns: extra.ns ?? PROP_NS, ...(extra.class ? { class: extra.class } : {}), ...(extra.remarks ? { remarks: extra.remarks } : {}) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The UUID of an environment's component; the assessment results name the same component. */
export function componentUuid(env: string): string {
  return uuidV5(`component:${env}`);
}

/** A rule as trestle identifies it: the rule set's own ID, and the gate's check `<rule set>::<rule>`. */
export function ruleKey(r: Pick<EnforcingRule, 'ruleSet' | 'ruleId'>): string {
  return `${r.ruleSet}::${r.ruleId}`;
}

/** First sentence of a text, for a one-line description. */
function firstSentence(text: string): string {
  const t = clean(text);
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  return m ? m[1] : t;
}

function ruleDescription(r: EnforcingRule, supports: readonly string[], rules: readonly EduRule[]): string {
  if (r.ruleSet === EDU_PLUGIN_NAME) {
    const own = rules.find((x) => `${EDU_PACK_NAME}-${x.id}` === r.ruleId);
    if (own) return `${supports.join(', ')}: ${firstSentence(own.info)}`;
  }
  return `${supports.join(', ')}: ${r.ruleSet} rule ${r.ruleId}`;
}

/** The rules that check the applicable controls of an environment, each with the controls it supports. */
function applicableRules(env: EnvironmentReport): { rule: EnforcingRule; supports: string[] }[] {
  const unique = new Map<string, { rule: EnforcingRule; supports: string[] }>();
  for (const c of env.controls.filter((x) => x.status !== 'not applicable')) {
    for (const r of c.rules) {
      const entry = unique.get(ruleKey(r)) ?? { rule: r, supports: [] };
      entry.supports.push(c.id);
      unique.set(ruleKey(r), entry);
    }
  }
  return [...unique.values()].sort((a, b) => cmp(ruleKey(a.rule), ruleKey(b.rule)));
}

/**
 * Rules as trestle rule props, one group per rule tied by `remarks:
 * rule_set_<n>`: on an environment's (service) component the rule and what
 * it checks; on the gate's (validation) component the rule and the gate's
 * check that runs it, as trestle separates rules from the checks of a
 * policy validation point.
 */
function ruleProps(entries: readonly { rule: EnforcingRule; supports: string[] }[], rules: readonly EduRule[], kind: 'rule' | 'check'): Prop[] {
  return entries.flatMap(({ rule: r, supports }, i) => {
    const remarks = `rule_set_${i}`;
    return kind === 'rule'
      ? [prop('Rule_Id', r.ruleId, { ns: TRESTLE_NS, remarks }), prop('Rule_Description', ruleDescription(r, supports, rules), { ns: TRESTLE_NS, remarks })]
      : [
        prop('Rule_Id', r.ruleId, { ns: TRESTLE_NS, remarks }),
        prop('Check_Id', ruleKey(r), { ns: TRESTLE_NS, remarks }),
        prop('Check_Description', `${r.ruleSet}${r.severity ? ` (${r.severity})` : ''}, ${r.ran ? 'ran' : 'did not run'} on this synth`, { ns: TRESTLE_NS, remarks }),
      ];
  });
}

/**
 * The OSCAL implementation-status of a NIST requirement in an environment,
 * from the catalog controls that support it: implemented when every
 * applicable one is met (with or without accepted exceptions), planned when
 * none is, partial otherwise; not-applicable when none applies.
 */
export function implementationStatus(supporting: readonly ControlResult[]): 'implemented' | 'partial' | 'planned' | 'not-applicable' {
  const applicable = supporting.filter((c) => c.status !== 'not applicable');
  if (applicable.length === 0) return 'not-applicable';
  const met = applicable.filter((c) => c.status === 'met' || c.status === 'met with exceptions').length;
  return met === applicable.length ? 'implemented' : met === 0 ? 'planned' : 'partial';
}

function component(env: EnvironmentReport, rules: readonly EduRule[]): unknown {
  const nistIds = [...new Set(env.controls.flatMap((c) => c.nist80053r5))].sort((a, b) => cmp(oscalControlId(a), oscalControlId(b)));
  const requirements = nistIds.map((nist) => {
    const supporting = env.controls.filter((c) => c.nist80053r5.includes(nist));
    const applicable = supporting.filter((c) => c.status !== 'not applicable');
    const ruleIds = [...new Set(applicable.flatMap((c) => c.rules.map((r) => r.ruleId)))].sort(cmp);
    const status = implementationStatus(supporting);
    return {
      uuid: uuidV5(`implemented-requirement:${env.name}:${oscalControlId(nist)}`),
      'control-id': oscalControlId(nist),
      // The statements are in docs/controls.md and evidence.json; repeating them per requirement and environment tripled the file.
      description: `Supported by the edu-security-baseline controls ${supporting.map((c) => `${c.id} (${c.status})`).join(', ')} (docs/controls.md).`,
      props: [
        // The OSCAL-namespace prop (no ns) that trestle and SSP tooling read the status from.
        { name: 'implementation-status', value: status, remarks: supporting.map((c) => `${c.id}: ${c.status}`).join('; ') },
        ...ruleIds.map((id) => prop('Rule_Id', id, { ns: TRESTLE_NS })),
      ],
    };
  });
  const stacks = env.stacks.map((s) => prop('stack', `${s.displayName} (${s.stackName})`, { remarks: `${s.templatePath}, deployed to ${s.deploymentTarget}` }));
  return {
    uuid: componentUuid(env.name),
    type: 'service',
    title: `Environment ${env.name}`,
    description: `The stacks of environment ${env.name} (${env.stacks.map((s) => s.stackName).join(', ')}) as synthesized by the edu-security-baseline and checked by its policy gate.`,
    props: [prop('environment', env.name), ...stacks, ...ruleProps(applicableRules(env), rules, 'rule')],
    ...(requirements.length > 0
      ? {
        'control-implementations': [{
          uuid: uuidV5(`control-implementation:${env.name}`),
          source: NIST_800_53_R5_CATALOG,
          description: `How environment ${env.name} implements the edu-security-baseline controls and the NIST SP 800-53 Rev. 5 controls they support. Evidence per control (resources, values, findings) is in evidence.json; the assessment of this synth is assessment-results.json.`,
          'implemented-requirements': requirements,
        }],
      }
      : {}),
  };
}

/**
 * The evidence report as an OSCAL 1.1.2 component definition: one component
 * per environment with its rules as trestle rule props, one validation
 * component (the policy gate) with the checks that run them, and for each NIST SP
 * 800-53 Rev. 5 control that the catalog's controls support an implemented
 * requirement with its `implementation-status` and the rules that check it.
 * Met / violated per control is not stated here but in the assessment
 * results (assessment-results.json), where OSCAL puts it. UUIDs are derived
 * from stable names; the only value that changes between runs on the same
 * cdk.out is `metadata.last-modified`.
 */
export function renderOscal(report: EvidenceReport, rules: readonly EduRule[] = ALL_RULES): string {
  const checks = new Map<string, { rule: EnforcingRule; supports: string[] }>();
  for (const env of report.environments) for (const e of applicableRules(env)) checks.set(ruleKey(e.rule), checks.get(ruleKey(e.rule)) ?? e);
  const gate = {
    uuid: uuidV5('component:policy-gate'),
    type: 'validation',
    title: 'edu-security-baseline policy gate',
    description: `Runs on every synth: ${report.gate.ruleSets.join(', ') || 'no rule set ran'}. ${report.gate.statement}`,
    props: ruleProps([...checks.values()].sort((a, b) => cmp(ruleKey(a.rule), ruleKey(b.rule))), rules, 'check'),
  };
  const body = { components: [...report.environments.map((env) => component(env, rules)), gate] };
  // The document UUID and version follow the content, not the clock: same cdk.out, same document.
  const digest = createHash('sha256').update(JSON.stringify({ gate: report.gate.statement, body })).digest('hex');
  const document = {
    'component-definition': {
      uuid: uuidV5(`component-definition:${digest}`),
      metadata: {
        title: `${report.title}: edu-security-baseline`,
        'last-modified': report.generatedAt,
        version: `content-${digest.slice(0, 12)}`,
        'oscal-version': OSCAL_VERSION,
        remarks: report.gate.statement,
      },
      ...body,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
