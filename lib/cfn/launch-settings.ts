import { CfnTemplate, TemplateResource } from './template';
import { isRecord, knownString, referencedLogicalId, referencedLogicalIds } from './values';

/**
 * What an EC2 instance is launched with. An AWS::EC2::Instance may take its
 * settings from an AWS::EC2::LaunchTemplate (CDK's requireImdsv2 creates one
 * and references it by LaunchTemplateName); properties set on the instance
 * win over the template's LaunchTemplateData. Rules judge instances on this
 * merged view, and launch templates on their own data unless only instances
 * of this template use them (then the instance carries the finding, once).
 */
export interface LaunchSettings {
  /** The value CloudFormation launches with, or undefined. */
  get(key: string): unknown;
  /**
   * Set when the instance names a launch template this template does not
   * define (an ID literal, an import): settings missing on the instance may
   * come from there, so a rule reports them as unresolved.
   */
  readonly externalTemplate?: string;
  /** True for a launch template that only instances of this template use: judge the instances instead. */
  readonly judgedOnInstances: boolean;
}

/** The logical ID of the launch template an instance references, or a description of an external one. */
export function launchTemplateOf(
  instance: TemplateResource,
  template: CfnTemplate,
): { logicalId?: string; external?: string } | undefined {
  const spec = instance.Properties?.LaunchTemplate;
  if (!isRecord(spec)) return undefined;
  const resources = template.Resources ?? {};
  for (const key of ['LaunchTemplateId', 'LaunchTemplateName']) {
    const value = spec[key];
    if (value === undefined) continue;
    const ref = referencedLogicalId(value);
    if (ref !== undefined && resources[ref]?.Type === 'AWS::EC2::LaunchTemplate') return { logicalId: ref };
    const name = knownString(value, template);
    if (name !== undefined && key === 'LaunchTemplateName') {
      const match = Object.entries(resources).find(
        ([, r]) => r.Type === 'AWS::EC2::LaunchTemplate' && knownString(r.Properties?.LaunchTemplateName, template) === name,
      );
      if (match) return { logicalId: match[0] };
    }
    return { external: `${key}=${name ?? 'computed'}` };
  }
  return { external: 'LaunchTemplate=unnamed' };
}

function usedOnlyByInstances(ltLogicalId: string, template: CfnTemplate): boolean {
  let byInstance = false;
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (id === ltLogicalId) continue;
    if (r.Type === 'AWS::EC2::Instance') {
      if (launchTemplateOf(r, template)?.logicalId === ltLogicalId) byInstance = true;
      continue;
    }
    if (referencedLogicalIds(r.Properties).has(ltLogicalId)) return false;
  }
  return byInstance;
}

/** The merged launch settings of an instance, or a launch template's own data. */
export function launchSettingsOf(resource: TemplateResource, logicalId: string, template: CfnTemplate): LaunchSettings {
  const props = resource.Properties ?? {};
  if (resource.Type === 'AWS::EC2::LaunchTemplate') {
    const data = isRecord(props.LaunchTemplateData) ? props.LaunchTemplateData : {};
    return { get: (key) => data[key], judgedOnInstances: usedOnlyByInstances(logicalId, template) };
  }
  const lt = launchTemplateOf(resource, template);
  const ltProps = lt?.logicalId !== undefined ? template.Resources?.[lt.logicalId]?.Properties : undefined;
  const data = isRecord(ltProps?.LaunchTemplateData) ? ltProps.LaunchTemplateData : {};
  return {
    get: (key) => (props[key] !== undefined ? props[key] : data[key]),
    externalTemplate: lt?.external,
    judgedOnInstances: false,
  };
}
