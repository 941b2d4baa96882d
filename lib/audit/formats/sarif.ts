import { isAbsolute } from 'node:path';
import { AuditResult } from '../audit';
import { baseRuleId, byImportance } from './common';

/** Version of the tool, reported in SARIF. */
const TOOL_VERSION = '0.1.0';

interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string };
  readonly properties: { readonly ruleSet: string; readonly control: string | null; readonly tags: string[] };
}

function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  const uri = path.split('/').map(encodeURIComponent).join('/');
  return isAbsolute(path) ? { uri: `file://${uri}` } : { uri, uriBaseId: '%SRCROOT%' };
}

/**
 * SARIF 2.1.0 for code scanning: one run; rules per rule ID (help = the fix);
 * results located at the line of the resource's logical ID in the template.
 * Acknowledged findings carry an accepted external suppression with the reason.
 */
export function formatSarif(result: AuditResult): string {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const results = result.templates.flatMap((t) =>
    [...t.findings].sort(byImportance).map((f) => {
      const id = baseRuleId(f.ruleId);
      if (!ruleIndex.has(id)) {
        ruleIndex.set(id, rules.length);
        rules.push({
          id,
          name: id.replace(/[^A-Za-z0-9]/g, ''),
          shortDescription: { text: f.message.split('\n')[0].slice(0, 200) },
          fullDescription: { text: f.message },
          help: { text: f.fix ?? f.message },
          properties: { ruleSet: f.ruleSet, control: f.control, tags: [f.ruleSet, ...(f.control ? [f.control] : [])] },
        });
      }
      return {
        ruleId: id,
        ruleIndex: ruleIndex.get(id) ?? 0,
        level: f.severity === 'error' ? 'error' : 'warning',
        message: { text: `${f.ruleId} on ${f.resource || 'the template'}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactUri(t.path),
              region: { startLine: t.resourceLines.get(f.resource) ?? 1 },
            },
            ...(f.resource ? { logicalLocations: [{ name: f.resource, kind: 'resource' }] } : {}),
          },
        ],
        partialFingerprints: { findingId: `${t.path}#${f.resource}#${f.ruleId}` },
        properties: { control: f.control, ruleSet: f.ruleSet, findingId: f.ruleId },
        ...(f.acknowledged ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.acknowledged.reason }] } : {}),
      };
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'edu-baseline', version: TOOL_VERSION, informationUri: 'https://github.com/cdklabs/cdk-nag', rules } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, undefined, 2)}\n`;
}
