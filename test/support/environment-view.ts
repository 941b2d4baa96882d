import { CfnTemplate } from '../../lib/cfn/template';
import { EnvironmentView, ResourceRef, StackView } from '../../lib/report/cloud-assembly';

/** Where the one-stack environment of {@link environmentOf} lives. */
export interface OneStackEnvironment {
  readonly name: string;
  /** The stack's construct ID below the stage, e.g. `Network`. */
  readonly stack: string;
  readonly account: string;
  readonly terminationProtection?: boolean;
}

/**
 * An evidence-report view of one environment holding one stack with this
 * template, so evidence extractors can be run on a hand-written template.
 */
export function environmentOf(template: CfnTemplate, where: OneStackEnvironment): EnvironmentView {
  const stack: StackView = {
    artifactId: `${where.name}${where.stack}`,
    displayName: `${where.name}/${where.stack}`,
    stackName: `riverside-${where.name}-${where.stack.toLowerCase()}`,
    templatePath: `${where.name}/${where.stack}.template.json`,
    environment: `aws://${where.account}/us-east-1`,
    terminationProtection: where.terminationProtection ?? false,
    template,
  };
  const resources: ResourceRef[] = Object.entries(template.Resources ?? {}).map(([logicalId, resource]) => ({
    stack,
    logicalId,
    type: resource.Type,
    resource,
    constructPath: `${where.name}/${where.stack}/${logicalId}`,
  }));
  return { name: where.name, directory: '', stacks: [stack], resources, sideFiles: [], exceptions: [] };
}
