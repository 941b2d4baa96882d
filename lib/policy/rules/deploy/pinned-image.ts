import { EduRule, RuleOutcome } from '../../rule';
import { variantsOf } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { launchSettingsOf } from '../../../cfn/launch-settings';
import { flattenString, knownString, referencedLogicalId } from '../../../cfn/values';

/**
 * DEPLOY-5, the image: an instance, launch template or launch configuration whose ImageId is
 * resolved from an SSM parameter at deploy (or launch) time: a parameter of type
 * `AWS::SSM::Parameter::Value<...>` (what CDK's `MachineImage.latestAmazonLinux2023()` writes
 * without `cachedInContext`), a `{{resolve:ssm:...}}` dynamic reference (literal, Fn::Sub or
 * Fn::Join), or a launch template's `resolve:ssm:` ImageId. AWS updates the public image
 * parameters whenever it publishes an image, so an unrelated later deploy sees a new ImageId
 * and CloudFormation replaces the instance (ImageId: "Update requires: Replacement",
 * AWS::EC2::Instance, AWS CloudFormation Template Reference); with termination protection the
 * replacement fails. A warning: the image may be meant to float in development.
 */
export const pinnedImageRule: EduRule = {
  id: 'DEPLOY5-PinnedImage',
  control: 'DEPLOY-5',
  severity: 'warning',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  info:
    'The image is resolved from an SSM parameter at deploy time, so any deploy after AWS publishes a new image replaces the host. ' +
    'Pin it: an AMI ID from configuration (ec2.MachineImage.genericLinux({ region: "ami-..." })) or a lookup recorded in ' +
    'cdk.context.json (MachineImage.latestAmazonLinux2023({ cachedInContext: true })), and change it deliberately.',
  explanation:
    'A host replaced by an unrelated deploy loses its local state and, with termination protection, blocks the deploy; the image a ' +
    'production host runs must be chosen and reviewed, not whatever was newest on deploy day.',
  check(resource, context): RuleOutcome {
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return { violations: [], unresolved: [] };
    const value = settings.get('ImageId');
    if (value === undefined) return { violations: [], unresolved: [] };
    const violations = new Set<string>();
    for (const variant of variantsOf(value)) {
      const ref = referencedLogicalId(variant);
      const parameter = ref !== undefined ? context.template.Parameters?.[ref] : undefined;
      if (parameter !== undefined) {
        const type = String(parameter.Type ?? '');
        if (type.startsWith('AWS::SSM::Parameter::Value<')) {
          const name = knownString(parameter.Default) ?? ref;
          violations.add(`ImageId=ssm-parameter(${findingPart(name as string)})`);
        }
        continue;
      }
      const text = flattenString(variant, context.template).text;
      const dynamic = /\{\{resolve:ssm(-secure)?:(.*?)\}\}/.exec(text);
      if (dynamic) violations.add(`ImageId=resolve-ssm(${findingPart(dynamic[2])})`);
      else if (/^resolve:ssm:/.test(text)) violations.add(`ImageId=resolve-ssm(${findingPart(text.slice('resolve:ssm:'.length))})`);
    }
    return { violations: [...violations], unresolved: [] };
  },
};
