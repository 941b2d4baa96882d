import { NAME_LIMITS, NAME_PROPERTIES, nameProblems } from '../../config/name-limits';
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

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
  {
    control: 'DEPLOY-4',
    governs: Object.keys(NAME_PROPERTIES),
    beyondTemplates:
      'Names derived from the config are checked before synthesis (validateConfig, DEPLOY-4 names); the templates show the result.',
    extract: (context) => physicalNameEvidence(context),
  },
];
