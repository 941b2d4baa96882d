import { ControlExtractor } from './types';

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
];
