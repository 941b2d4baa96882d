import { CfnTemplate, TemplateResource } from './template';
import { findingPart } from '../policy/vocabulary';
import { knownString } from './values';

/**
 * DeletionPolicy / UpdateReplacePolicy readers. `RetainExceptOnCreate` is
 * accepted for DeletionPolicy: it deletes only a resource created by the very
 * operation that failed and rolled back, which holds no data yet; on stack
 * deletion it retains like `Retain`. UpdateReplacePolicy does not support it.
 */
export function retentionFindings(
  resource: TemplateResource,
  template: CfnTemplate,
  options: { snapshotAllowed?: boolean; deletionDefault?: string } = {},
): { violations: string[]; unresolved: string[] } {
  const violations: string[] = [];
  const unresolved: string[] = [];
  const accepted = (attribute: 'DeletionPolicy' | 'UpdateReplacePolicy', value: string): boolean =>
    value === 'Retain' ||
    (attribute === 'DeletionPolicy' && value === 'RetainExceptOnCreate') ||
    (options.snapshotAllowed === true && value === 'Snapshot');
  for (const attribute of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    const raw = resource[attribute];
    if (raw === undefined) {
      const fallback = attribute === 'DeletionPolicy' ? options.deletionDefault : undefined;
      if (fallback === undefined || !accepted(attribute, fallback)) violations.push(`${attribute}=absent`);
      continue;
    }
    const value = knownString(raw, template);
    if (value === undefined) {
      unresolved.push(`${attribute}=unresolved`);
      continue;
    }
    // Fn::If flattens to both branches; every branch must retain.
    const branches = value.split('\n');
    const bad = branches.filter((b) => !accepted(attribute, b));
    if (bad.length > 0) violations.push(`${attribute}=${findingPart(bad[0])}`);
  }
  return { violations, unresolved };
}
