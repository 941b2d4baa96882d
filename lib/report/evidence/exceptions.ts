import { ControlExtractor } from './types';

/**
 * EXC-1: accepted exceptions as records. Today an acknowledgment carries the
 * rule, the resource and the reason (listed with every acknowledged finding
 * in this report), but no owner, ticket or expiry, and nothing fails a synth
 * on an expired or stale one; so the control is reported as not met from
 * templates, never as met.
 */
export const exceptionExtractors: readonly ControlExtractor[] = [
  {
    control: 'EXC-1',
    governs: [],
    inScope: ({ env }) => env.stacks.length > 0,
    extract: () => [],
    beyondTemplates:
      'Each acknowledged finding below carries its rule, resource and reason. Owner, ticket and expiry or review date per exception, ' +
      'and failing the synth on an expired or stale exception, are not implemented yet.',
    templatesInsufficient: true,
  },
];
