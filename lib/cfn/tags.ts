import { CfnTemplate, TemplateResource } from './template';
import { asArray, isRecord, knownString } from './values';

/**
 * Tags as CloudFormation writes them: a list of {Key, Value} on most
 * resources, a map on a few (AWS::SSM::Parameter), and TagSpecifications on
 * EC2 launch templates (the template's own and the instances' it launches).
 */
export function tagsOf(resource: TemplateResource): Map<string, unknown> {
  const props = resource.Properties ?? {};
  const tags = new Map<string, unknown>();
  const addList = (list: unknown): void => {
    if (isRecord(list)) {
      for (const [k, v] of Object.entries(list)) tags.set(k, v);
      return;
    }
    for (const t of asArray(list)) {
      if (isRecord(t) && typeof t.Key === 'string') tags.set(t.Key, t.Value);
    }
  };
  addList(props.Tags);
  for (const spec of asArray(props.TagSpecifications)) if (isRecord(spec)) addList(spec.Tags);
  const data = props.LaunchTemplateData;
  if (isRecord(data)) for (const spec of asArray(data.TagSpecifications)) if (isRecord(spec)) addList(spec.Tags);
  return tags;
}

/** Words of a name, split on separators and camelCase: `ProdReadOnly` → prod, read, only. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

export type ProductionMarker = 'production' | 'not-production' | 'unknown';

/**
 * Whether a resource belongs to production. The baseline tags every resource
 * with `production=true|false` (and `environment=<name>`): the `production`
 * tag decides; without it, an `environment` tag of prod/production, or a name
 * containing the word prod/production, marks production.
 */
export function productionMarker(resource: TemplateResource, name: unknown, template?: CfnTemplate): ProductionMarker {
  const tags = tagsOf(resource);
  if (tags.has('production')) {
    const raw = tags.get('production');
    const value = typeof raw === 'boolean' ? String(raw) : knownString(raw, template);
    if (value === undefined) return 'unknown';
    return value.toLowerCase() === 'true' ? 'production' : 'not-production';
  }
  const environment = knownString(tags.get('environment'), template);
  if (environment !== undefined && /^prod(uction)?$/i.test(environment)) return 'production';
  const nameText = knownString(name, template);
  if (nameText !== undefined && nameTokens(nameText).some((t) => t === 'prod' || t === 'production')) return 'production';
  return 'not-production';
}
