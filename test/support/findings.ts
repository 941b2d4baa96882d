import { readValidationResults } from '../../lib/policy/findings';
import { Finding, isBlocking } from '../../lib/policy/vocabulary';

/** Findings of a synthesized cloud assembly directory (empty when no gate ran). */
export function findingsOfAssembly(outdir: string): Finding[] {
  return [...(readValidationResults(outdir)?.findings ?? [])];
}

/** Findings that fail CI. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(isBlocking);
}
