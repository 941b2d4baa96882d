import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCloudAssembly } from './cloud-assembly';
import { buildEvidenceReport, EvidenceReport } from './model';
import { renderAssessmentResults } from './render/assessment-results';
import { renderHtml } from './render/html';
import { renderMarkdown } from './render/markdown';
import { renderOscal } from './render/oscal';

/** The files `edu-baseline report` writes, by name. */
export const REPORT_FILES = {
  html: 'evidence.html',
  markdown: 'evidence.md',
  oscal: 'component-definition.json',
  assessmentResults: 'assessment-results.json',
  data: 'evidence.json',
} as const;

/** Where the report goes when no `--out` is given: a directory inside the cloud assembly. */
export function defaultOutDir(cdkOut: string): string {
  return join(cdkOut, 'evidence');
}

/**
 * The generated-at timestamp: `explicit` if given, else `SOURCE_DATE_EPOCH`
 * (seconds, the reproducible-builds convention), else now; ISO 8601 UTC
 * without milliseconds.
 */
export function generatedAt(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  let date: Date;
  if (explicit) date = new Date(explicit);
  else if (env.SOURCE_DATE_EPOCH && /^\d+$/.test(env.SOURCE_DATE_EPOCH)) date = new Date(Number(env.SOURCE_DATE_EPOCH) * 1000);
  else date = new Date();
  if (Number.isNaN(date.getTime())) throw new Error(`invalid generated-at timestamp '${explicit ?? env.SOURCE_DATE_EPOCH ?? ''}'; use ISO 8601, e.g. 2026-01-31T12:00:00Z.`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What {@link writeEvidence} wrote. */
export interface WrittenReport {
  readonly report: EvidenceReport;
  readonly outDir: string;
  readonly files: readonly string[];
}

function writeAtomically(file: string, content: string): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/** Reads a cloud assembly and writes evidence.html, evidence.md, component-definition.json, assessment-results.json and evidence.json. */
export function writeEvidence(cdkOut: string, options: { outDir?: string; generatedAt?: string } = {}): WrittenReport {
  const report = buildEvidenceReport(readCloudAssembly(cdkOut), { generatedAt: generatedAt(options.generatedAt) });
  const outDir = options.outDir ?? defaultOutDir(cdkOut);
  mkdirSync(outDir, { recursive: true });
  const contents: [string, string][] = [
    [REPORT_FILES.html, renderHtml(report)],
    [REPORT_FILES.markdown, renderMarkdown(report)],
    [REPORT_FILES.oscal, renderOscal(report)],
    [REPORT_FILES.assessmentResults, renderAssessmentResults(report)],
    [REPORT_FILES.data, `${JSON.stringify(report, null, 2)}\n`],
  ];
  const files = contents.map(([name, content]) => {
    const file = join(outDir, name);
    writeAtomically(file, content);
    return file;
  });
  return { report, outDir, files };
}
