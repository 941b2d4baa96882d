import { AuditResult } from '../audit';
import { byImportance } from './common';

/**
 * `{"templates":[{"path":…,"findings":[{ruleId, ruleSet, control, severity, resource, line, message, fix?, acknowledged?}]}]}`.
 */
export function formatJson(result: AuditResult): string {
  const templates = result.templates.map((t) => ({
    path: t.path,
    findings: [...t.findings].sort(byImportance).map((f) => ({
      ruleId: f.ruleId,
      ruleSet: f.ruleSet,
      control: f.control,
      severity: f.severity,
      resource: f.resource,
      line: t.resourceLines.get(f.resource) ?? null,
      message: f.message,
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.acknowledged ? { acknowledged: { reason: f.acknowledged.reason } } : {}),
    })),
  }));
  return `${JSON.stringify({ templates }, undefined, 2)}\n`;
}
