import { resourcesOfType } from '../cloud-assembly';
import { SSO_RESOURCE_TYPES } from '../../policy/rules/deploy/identity-resources-isolated';
import { launchSettingsOf } from '../../policy/cfn/launch-settings';
import { userDataText } from '../../policy/cfn/sshd-user-data';
import { flattenString, isRecord, referencedLogicalId } from '../../policy/cfn/values';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props } from './values';

const HOSTS = ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::AutoScaling::AutoScalingGroup'];

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
  {
    control: 'DEPLOY-3',
    governs: SSO_RESOURCE_TYPES,
    extract: ({ env }) =>
      resourcesOfType(env, ...SSO_RESOURCE_TYPES).map((r) => {
        const others = Object.values(r.stack.template.Resources ?? {}).filter((o) => !o.Type.startsWith('AWS::SSO::') && o.Type !== 'AWS::CDK::Metadata');
        return evidenceOf(r, [
          { name: 'Deployed to', value: r.stack.environment },
          { name: 'Stack', value: r.stack.stackName },
          { name: 'Other resources in the stack', value: others.length === 0 ? 'none' : others.map((o) => o.Type).join(', ') },
          ...props(r, r.type === 'AWS::SSO::Assignment' ? ['TargetType', 'TargetId'] : ['Name']),
        ]);
      }),
    beyondTemplates:
      'That the deploying account is the management account or the registered IAM Identity Center delegated administrator: ' +
      '`aws organizations list-delegated-administrators --service-principal sso.amazonaws.com` run from the management account.',
  },
  {
    control: 'DEPLOY-5',
    governs: HOSTS,
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration').map((r) => {
        const template = r.stack.template;
        const settings = launchSettingsOf(r.resource, r.logicalId, template);
        const image = settings.get('ImageId');
        const ref = referencedLogicalId(image);
        const parameter = ref !== undefined ? template.Parameters?.[ref] : undefined;
        const imageText = parameter !== undefined ? `parameter ${ref} (${String(parameter.Type)})` : image === undefined ? 'none' : flattenString(image, template).text;
        const properties: EvidenceProperty[] = [{ name: 'ImageId', value: imageText }];
        if (r.type === 'AWS::EC2::Instance') {
          const policy = r.resource.CreationPolicy;
          const signal = isRecord(policy) && isRecord(policy.ResourceSignal) ? policy.ResourceSignal : undefined;
          properties.push({ name: 'CreationPolicy.ResourceSignal', value: signal ? JSON.stringify(signal) : 'none' });
          const userData = settings.get('UserData');
          const text = userData === undefined ? '' : userDataText(userData, template).text;
          properties.push({ name: 'User data sends cfn-signal', value: /\bcfn-signal\b|\bsignal-resource\b/.test(text) ? 'yes' : 'no' });
        }
        return evidenceOf(r, properties);
      }),
    beyondTemplates:
      'That the boot succeeded: the stack event of the instance shows the SUCCESS signal; the image is recorded in the config ' +
      '(environments[].amiId) or in cdk.context.json, both under version control.',
  },
];
