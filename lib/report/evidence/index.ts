import { ControlId } from '../../policy/rule';
import { auditExtractors } from './audit';
import { computeExtractors } from './compute';
import { dataExtractors } from './data';
import { deployExtractors } from './deploy';
import { exceptionExtractors } from './exceptions';
import { iamExtractors } from './iam';
import { keyExtractors } from './keys';
import { logExtractors } from './logs';
import { networkExtractors } from './network';
import { secretExtractors } from './secrets';
import { tempExtractors } from './temp';
import { ControlExtractor } from './types';

export * from './types';

/** Every control's evidence extractor, one module per area. */
export const EXTRACTORS: readonly ControlExtractor[] = [
  ...dataExtractors,
  ...tempExtractors,
  ...secretExtractors,
  ...logExtractors,
  ...iamExtractors,
  ...networkExtractors,
  ...computeExtractors,
  ...auditExtractors,
  ...keyExtractors,
  ...deployExtractors,
  ...exceptionExtractors,
];

const BY_CONTROL = new Map<ControlId, ControlExtractor>(EXTRACTORS.map((e) => [e.control, e]));

/** The extractor of a control, or undefined when none is written (the report then says so). */
export function extractorFor(control: ControlId): ControlExtractor | undefined {
  return BY_CONTROL.get(control);
}
