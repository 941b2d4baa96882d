import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemblyIndex, findingsFromValidationReport } from '../../lib/policy/findings';
import { Finding, isBlocking } from '../../lib/policy/vocabulary';

/** Findings of a synthesized cloud assembly directory (empty when no gate ran). */
export function findingsOfAssembly(outdir: string): Finding[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  return findingsFromValidationReport(JSON.parse(readFileSync(file, 'utf8')), { index: assemblyIndex(outdir) });
}

/** Findings that fail CI. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(isBlocking);
}
