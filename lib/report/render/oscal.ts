import { createHash } from 'node:crypto';
import { ControlResult, EvidenceReport } from '../model';
import { uuidV5 } from '../uuid';

/** Namespace of the props this report adds to OSCAL objects. */
export const PROP_NS = 'urn:edu-security-baseline:oscal';
export const OSCAL_VERSION = '1.1.2';
/** The NIST SP 800-53 Rev. 5 catalog the implemented requirements refer to. */
export const NIST_800_53_R5_CATALOG = 'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json';

interface Prop {
  readonly name: string;
  readonly value: string;
  readonly ns: string;
  readonly class?: string;
  readonly remarks?: string;
}

/** `SC-28(1)` → `sc-28.1`, the control-id form of the OSCAL NIST catalog. */
export function oscalControlId(nist: string): string {
  return nist.toLowerCase().replace(/\((\d+)\)/g, '.$1');
}

/** Prop values are single-line strings without surrounding whitespace (OSCAL StringDatatype). */
function clean(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? '-' : t;
}

function prop(name: string, value: string, extra: { class?: string; remarks?: string } = {}): Prop {
  return { name, value: clean(value), ns: PROP_NS, ...extra };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The evidence report as an OSCAL 1.1.2 component definition: one component
 * per stack and environment, implemented requirements for the NIST SP 800-53
 * Rev. 5 controls that the catalog's controls support, with props naming our
 * control, its status, the enforcing rules and the accepted exceptions.
 * UUIDs are derived from stable names; the only value that changes between
 * runs on the same cdk.out is `metadata.last-modified`.
 */
export function renderOscal(report: EvidenceReport): string {
  const components: unknown[] = [];
  for (const env of report.environments) {
    for (const stack of env.stacks) {
      // Stack display names already start with the stage (`dev/Data`); a root-assembly stack gets its environment prefixed.
      const key = stack.displayName.startsWith(`${env.name}/`) ? stack.displayName : `${env.name}/${stack.displayName}`;
      const inStack = (c: ControlResult): boolean => c.resources.some((r) => r.stack === stack.displayName);
      const controls = env.controls.filter(inStack);
      const nistIds = [...new Set(controls.flatMap((c) => c.nist80053r5))].sort((a, b) => cmp(oscalControlId(a), oscalControlId(b)));
      const requirements = nistIds.map((nist) => {
        const supporting = controls.filter((c) => c.nist80053r5.includes(nist));
        const props: Prop[] = [];
        for (const c of supporting) {
          props.push(prop('edu-control', c.id));
          props.push(prop('edu-control-status', `${c.id}: ${c.status}`, { remarks: c.reason }));
          for (const r of c.resources.filter((x) => x.stack === stack.displayName)) {
            props.push(prop('implemented-by', `${c.id}: ${r.logicalId || r.constructPath || r.type} (${r.type})`));
          }
          for (const r of c.rules) props.push(prop('enforced-by-rule', `${r.ruleSet}::${r.ruleId}`, { class: r.ran ? 'ran' : 'not-run' }));
          for (const a of c.acknowledgments.filter((f) => f.templatePath === stack.templatePath)) {
            props.push(prop('acknowledgment', `${a.ruleSet}::${a.ruleId} on ${a.resource || a.constructPath || 'the stack'}`, { remarks: a.acknowledgment?.reason || '(no reason recorded)' }));
          }
          for (const f of c.findings.filter((x) => x.templatePath === stack.templatePath)) {
            props.push(prop('open-finding', `${f.ruleSet}::${f.ruleId} on ${f.resource || f.constructPath || 'the stack'}`, { class: f.severity }));
          }
        }
        return {
          uuid: uuidV5(`implemented-requirement:${key}:${oscalControlId(nist)}`),
          'control-id': oscalControlId(nist),
          description: supporting.map((c) => `${c.id} (${c.status}): ${c.statement}`).join('\n\n'),
          props,
        };
      });
      components.push({
        uuid: uuidV5(`component:${key}`),
        type: 'service',
        title: `${stack.stackName} (${key})`,
        description: `CloudFormation stack ${stack.stackName} of environment ${env.name}, synthesized to ${stack.templatePath}.`,
        props: [
          prop('environment', env.name),
          prop('stack-name', stack.stackName),
          prop('deployment-target', stack.deploymentTarget),
          prop('template', stack.templatePath),
        ],
        ...(requirements.length > 0
          ? {
            'control-implementations': [{
              uuid: uuidV5(`control-implementation:${key}`),
              source: NIST_800_53_R5_CATALOG,
              description: `How ${key} implements the edu-security-baseline controls and the NIST SP 800-53 Rev. 5 controls they support.`,
              'implemented-requirements': requirements,
            }],
          }
          : {}),
      });
    }
  }
  const body = { components };
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
