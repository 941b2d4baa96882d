import { resourcesOfType } from '../cloud-assembly';
import { SSO_RESOURCE_TYPES } from '../../policy/rules/deploy/identity-resources-isolated';
import { ControlExtractor, evidenceOf } from './types';
import { props } from './values';

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
];
