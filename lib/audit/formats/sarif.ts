import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { isAbsolute } from 'node:path';
import { AuditResult } from '../audit';
import { Finding } from '../../policy/vocabulary';
import { acknowledgmentId } from '../../policy/verdict';
import { productVersion } from '../../version';
import { baseRuleId, byImportance } from './common';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it ("SARIF support for code
 * scanning", docs.github.com):
 * - a result points at a file in the repository: the construct's source
 *   line when the template came from a cloud assembly (cdk.out is not in the
 *   repository, so GitHub could not annotate it), else the template file and
 *   the line of the resource's logical ID;
 * - `partialFingerprints` from the rule and the resource's identity (construct
 *   path or logical ID), never a line, so unrelated edits keep alerts matched;
 * - acknowledged findings carry an accepted suppression with their reason, so
 *   they are not open alerts;
 * - rules carry `security-severity` and a `security` tag, which make GitHub
 *   rank them as security alerts, and a `helpUri`.
 */

/** GitHub's bands: 7.0-8.9 high, 4.0-6.9 medium. An error blocks the build; a warning advises. */
const SECURITY_SEVERITY = { error: '8.0', warning: '5.0' } as const;

const NAG_RULES_URI = 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md';
const CONTROL_TOWER_URI = 'https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html';

/**
 * Where the control catalog can be read: the repository's docs/controls.md
 * at the analysed commit when GitHub Actions runs the audit, else
 * `EDU_BASELINE_DOCS_URL` (a folder URL ending in /docs).
 */
function docsBase(env: NodeJS.ProcessEnv): string | undefined {
  if (env.EDU_BASELINE_DOCS_URL) return env.EDU_BASELINE_DOCS_URL.replace(/\/$/, '');
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/docs`;
  }
  return undefined;
}

function helpUriOf(f: Finding, env: NodeJS.ProcessEnv): string | undefined {
  if (f.ruleSet === 'AwsSolutions' || f.ruleSet === 'NIST.800.53.R5') return NAG_RULES_URI;
  if (f.ruleSet === 'ControlTower') return CONTROL_TOWER_URI;
  const base = docsBase(env);
  return base && f.control ? `${base}/controls.md#${f.control.toLowerCase()}` : undefined;
}

function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  const uri = path.split('/').map(encodeURIComponent).join('/');
  return isAbsolute(path) ? { uri: `file://${uri}` } : { uri, uriBaseId: '%SRCROOT%' };
}

/** `lib/stacks/data-stack.ts:42` → file and line. */
function parseSource(source: string): { file: string; line: number } | undefined {
  const m = /^(.+):(\d+)$/.exec(source);
  return m ? { file: m[1], line: Number(m[2]) } : undefined;
}

function fingerprint(f: Finding, templatePath: string): string {
  const identity = f.constructPath ?? `${templatePath}#${f.resource}`;
  return createHash('sha256').update(`${f.ruleSet}\u0000${f.ruleId}\u0000${identity}`).digest('hex');
}

/** SARIF 2.1.0 of an audit: one run, a rule per rule ID, a result per finding. */
export function formatSarif(result: AuditResult, env: NodeJS.ProcessEnv = process.env): string {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Result[] = result.templates.flatMap((t) =>
    [...t.findings].sort(byImportance).map((f) => {
      const id = baseRuleId(f.ruleId);
      if (!ruleIndex.has(id)) {
        ruleIndex.set(id, rules.length);
        const helpUri = helpUriOf(f, env);
        const help = f.fix ?? f.message;
        rules.push({
          id,
          name: id.replace(/[^A-Za-z0-9]/g, ''),
          shortDescription: { text: f.message.split('\n')[0].slice(0, 200) },
          fullDescription: { text: f.message },
          help: { text: help, markdown: `${help}${f.control ? `\n\nControl: **${f.control}**` : ''}` },
          ...(helpUri ? { helpUri } : {}),
          defaultConfiguration: { level: f.severity },
          properties: {
            ruleSet: f.ruleSet,
            control: f.control,
            tags: ['security', f.ruleSet, ...(f.control ? [f.control] : [])],
            'security-severity': SECURITY_SEVERITY[f.severity],
            precision: 'high',
          },
        });
      }
      const source = f.source ? parseSource(f.source) : undefined;
      const templateLocation = {
        physicalLocation: { artifactLocation: artifactUri(t.path), region: { startLine: t.resourceLines.get(f.resource) ?? 1 } },
      };
      const primary = source
        ? { physicalLocation: { artifactLocation: artifactUri(source.file), region: { startLine: source.line } } }
        : templateLocation;
      const where = f.constructPath ?? f.resource ?? 'the template';
      const sarifResult: Result = {
        ruleId: id,
        ruleIndex: ruleIndex.get(id) ?? 0,
        level: f.severity,
        message: { text: `${f.ruleId} on ${where || 'the template'}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
        locations: [
          {
            ...primary,
            ...(f.resource
              ? { logicalLocations: [{ name: f.resource, ...(f.constructPath ? { fullyQualifiedName: f.constructPath } : {}), kind: 'resource' }] }
              : {}),
          },
        ],
        // The synthesized template, for a reader of the SARIF file outside GitHub.
        ...(source ? { relatedLocations: [{ id: 1, ...templateLocation, message: { text: `${f.resource} in the synthesized template` } }] } : {}),
        partialFingerprints: { 'eduBaselineFinding/v1': fingerprint(f, t.path) },
        properties: { control: f.control, ruleSet: f.ruleSet, findingId: f.ruleId, acknowledgmentId: acknowledgmentId(f) },
        ...(f.acknowledged ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.acknowledged.reason }] } : {}),
      };
      return sarifResult;
    }),
  );
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'edu-baseline', version: productVersion(), rules } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, undefined, 2)}\n`;
}
