import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';
import { variantsOf } from '../../../cfn/branches';
import { launchSettingsOf, launchTemplateOf } from '../../../cfn/launch-settings';
import { userDataText } from '../../../cfn/user-data';
import { isRecord, referencedLogicalId } from '../../../cfn/values';

/** A command that sends the signal: the helper script, or the API through the CLI. */
const SIGNAL_COMMAND = /\bcfn-signal\b|\bsignal-resource\b/;

/** The user data an Auto Scaling group's instances launch with: its launch template's or launch configuration's. */
function groupUserData(group: TemplateResource, template: CfnTemplate): { value?: unknown; external?: string } {
  const props = group.Properties ?? {};
  const mixed = isRecord(props.MixedInstancesPolicy) && isRecord(props.MixedInstancesPolicy.LaunchTemplate)
    ? props.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
    : undefined;
  const spec = props.LaunchTemplate ?? mixed;
  if (spec !== undefined) {
    const lt = launchTemplateOf({ Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: spec } }, template);
    if (lt?.logicalId === undefined) return { external: lt?.external ?? 'LaunchTemplate=unnamed' };
    const data = template.Resources?.[lt.logicalId]?.Properties?.LaunchTemplateData;
    return { value: isRecord(data) ? data.UserData : undefined };
  }
  const lc = referencedLogicalId(props.LaunchConfigurationName);
  if (lc !== undefined && template.Resources?.[lc]?.Type === 'AWS::AutoScaling::LaunchConfiguration') {
    return { value: template.Resources[lc].Properties?.UserData };
  }
  return props.LaunchConfigurationName !== undefined ? { external: 'LaunchConfigurationName=external' } : {};
}

function hasResourceSignal(resource: TemplateResource): boolean {
  const policy = resource.CreationPolicy;
  return isRecord(policy) && isRecord(policy.ResourceSignal);
}

/**
 * DEPLOY-5, the boot signal: an AWS::EC2::Instance or AWS::AutoScaling::AutoScalingGroup that
 * boots with user data (its own, its launch template's, or its launch configuration's) has a
 * CreationPolicy with ResourceSignal, and that user data sends the signal (cfn-signal, or
 * `aws cloudformation signal-resource`). Without the policy CloudFormation reports the host
 * created as soon as EC2 starts it, so a failed hardening or mount passes silently; with the
 * policy and no signal every create times out and rolls back ("CreationPolicy attribute", AWS
 * CloudFormation User Guide). User data of each Fn::If branch is judged; user data that is
 * partly unknown and shows no signal is reported as unresolved. A warning: a host without
 * boot-time configuration that matters may not need one.
 */
export const bootSignalRule: EduRule = {
  id: 'DEPLOY5-BootSignal',
  control: 'DEPLOY-5',
  severity: 'warning',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup'],
  info:
    'A host boots with user data but the deploy does not wait for it: add CreationPolicy.ResourceSignal (CDK: resourceSignalTimeout) ' +
    'and signal the script\'s exit status from user data (userData.addSignalOnExitCommand(instance), or /opt/aws/bin/cfn-signal -e $? ' +
    'after the last check); with a CreationPolicy the user data must send the signal or every create times out.',
  explanation:
    'Hardening and mounts that fail at boot leave a host that looks deployed but is insecure or cannot work; the deploy must fail ' +
    'instead, and roll back.',
  check(resource, context): RuleOutcome {
    let value: unknown;
    let external: string | undefined;
    if (resource.Type === 'AWS::AutoScaling::AutoScalingGroup') {
      ({ value, external } = groupUserData(resource, context.template));
    } else {
      const settings = launchSettingsOf(resource, context.logicalId, context.template);
      value = settings.get('UserData');
      external = value === undefined ? settings.externalTemplate : undefined;
    }
    const signalled = hasResourceSignal(resource);
    if (value === undefined) {
      if (external !== undefined) return { violations: [], unresolved: [`UserData-from-${external}`] };
      // Waiting for a signal nothing sends: every create times out.
      return { violations: signalled ? ['UserData.cfn-signal=absent'] : [], unresolved: [] };
    }
    if (!signalled) return { violations: ['CreationPolicy.ResourceSignal=absent'], unresolved: [] };
    const violations = new Set<string>();
    const unresolved = new Set<string>();
    for (const variant of variantsOf(value)) {
      if (variant === undefined) continue;
      const userData = userDataText(variant, context.template);
      if (SIGNAL_COMMAND.test(userData.text)) continue;
      (userData.partlyUnknown ? unresolved : violations).add('UserData.cfn-signal=absent');
    }
    return { violations: [...violations], unresolved: [...unresolved] };
  },
};
