import { NAME_LIMITS, NAME_PROPERTIES, nameProblems } from '../../config/name-limits';
import { entryCountOf } from '../../policy/cfn/prefix-lists';
import { ruleQuotaOf, ruleWeightOf } from '../../policy/rules/deploy/security-group-rule-quota';
import { STACK_RESOURCE_LIMIT } from '../../policy/rules/deploy/stack-resource-limit';
import { resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, EvidenceResource, evidenceOf, ExtractionContext } from './types';
import { renderValue } from './values';

/**
 * DEPLOY-4 (names): each named resource with its physical name, the name's
 * length against AWS's limit for that kind, and whether its characters and
 * form are accepted. Kept as its own function so the quota evidence of
 * DEPLOY-4 (prefix lists, rule counts, stack sizes) can be combined with it
 * in one extractor.
 */
export function physicalNameEvidence({ env }: ExtractionContext): EvidenceResource[] {
  return resourcesOfType(env, ...Object.keys(NAME_PROPERTIES)).flatMap((ref) => {
    const spec = NAME_PROPERTIES[ref.type];
    const value = ref.resource.Properties?.[spec.property];
    if (value === undefined) return [];
    const limit = NAME_LIMITS[spec.kind];
    const name = renderValue(value);
    const literal = typeof value === 'string';
    const problems = literal ? nameProblems(spec.kind, value) : [];
    return [
      evidenceOf(ref, [
        { name: spec.property, value: name },
        { name: `${spec.property} length`, value: literal ? `${value.length} of at most ${limit.max} (${limit.label})` : `computed at deploy time; literal parts only` },
        { name: `${spec.property} form`, value: literal ? (problems.length === 0 ? 'accepted' : problems.map((p) => p.message).join('; ')) : 'not judged (computed)' },
      ]),
    ];
  });
}

/**
 * One part of a control's evidence: the resource types it governs and the
 * resources with the values that prove it. A control whose checks grow gets
 * one more part in its list.
 */
export interface EvidencePart {
  readonly governs: readonly string[];
  extract(context: ExtractionContext): EvidenceResource[];
}

/** Builds a control's extractor from its parts. */
function fromParts(control: ControlExtractor['control'], parts: readonly EvidencePart[], beyondTemplates?: string): ControlExtractor {
  return {
    control,
    governs: [...new Set(parts.flatMap((p) => p.governs))],
    extract: (context) => parts.flatMap((p) => p.extract(context)),
    ...(beyondTemplates === undefined ? {} : { beyondTemplates }),
  };
}

/** DEPLOY-4: every prefix list's MaxEntries against its entry count (headroom). */
const prefixListHeadroom: EvidencePart = {
  governs: ['AWS::EC2::PrefixList'],
  extract: ({ env }) =>
    resourcesOfType(env, 'AWS::EC2::PrefixList').map((pl) =>
      evidenceOf(pl, [
        { name: 'PrefixListName', value: renderValue(pl.resource.Properties?.PrefixListName) },
        { name: 'MaxEntries', value: renderValue(pl.resource.Properties?.MaxEntries) },
        { name: 'Entries (count)', value: String(entryCountOf(pl.resource)) },
      ]),
    ),
};

/** DEPLOY-4: each security group's weighted rule count per direction against its quota. */
const securityGroupRuleWeights: EvidencePart = {
  governs: ['AWS::EC2::SecurityGroup'],
  extract: ({ env }) =>
    resourcesOfType(env, 'AWS::EC2::SecurityGroup').map((sg) => {
      const quota = ruleQuotaOf(sg.resource);
      return evidenceOf(
        sg,
        (['Ingress', 'Egress'] as const).map((direction) => {
          const { weight, uncounted } = ruleWeightOf(sg.logicalId, direction, sg.stack.template);
          const note = uncounted.length > 0 ? ` (${uncounted.length} prefix list(s) not countable from the template)` : '';
          return { name: `${direction} rules (prefix list = its MaxEntries)`, value: `${weight} of ${quota}${note}` };
        }),
      );
    }),
};

/** DEPLOY-4: resources per template against CloudFormation's limit, shown on each stack's first resource. */
const stackResourceCounts: EvidencePart = {
  governs: [],
  extract: ({ env }) =>
    env.stacks.flatMap((stack) => {
      const first = env.resources.find((r) => r.stack === stack);
      if (!first) return [];
      const count = Object.keys(stack.template.Resources ?? {}).length;
      return [evidenceOf(first, [{ name: `Resources in stack ${stack.stackName}`, value: `${count} of ${STACK_RESOURCE_LIMIT}` }])];
    }),
};

/** DEPLOY-4: physical names against AWS's limits. */
const physicalNames: EvidencePart = { governs: Object.keys(NAME_PROPERTIES), extract: physicalNameEvidence };

/** The parts of DEPLOY-4's evidence: quotas (prefix lists, rule counts, stack sizes) and names. */
export const DEPLOY4_EVIDENCE_PARTS: EvidencePart[] = [prefixListHeadroom, securityGroupRuleWeights, stackResourceCounts, physicalNames];

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
  fromParts(
    'DEPLOY-4',
    DEPLOY4_EVIDENCE_PARTS,
    'Names derived from the config are checked before synthesis (validateConfig, DEPLOY-4 names), and so are prefix-list headroom and the ' +
      'SSH group\'s weighted rule count against deployment.securityGroupRuleQuota; the templates show the result.',
  ),
];
