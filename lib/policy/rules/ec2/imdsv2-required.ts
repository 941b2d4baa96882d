import { EduRule, RuleOutcome } from '../../rule';
import { branchesOf } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { launchSettingsOf } from '../../../cfn/launch-settings';
import { isRecord, knownString } from '../../../cfn/values';

/**
 * EC2-2, IMDSv2: MetadataOptions.HttpTokens is `required` on the instance or
 * its launch template (CDK's requireImdsv2 and the L1 metadataOptions both
 * count). An instance without MetadataOptions and without a launch template
 * that sets it fails; a launch template outside the template is unresolved.
 * Auto Scaling launch configurations (still common in vendor templates) carry
 * MetadataOptions themselves and are judged the same way.
 */
export const imdsv2RequiredRule: EduRule = {
  id: 'EC22-Imdsv2Required',
  control: 'EC2-2',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  info:
    'The instance metadata service accepts IMDSv1. Set requireImdsv2: true on ec2.Instance / LaunchTemplate (or ' +
    'MetadataOptions.HttpTokens: required).',
  explanation:
    'IMDSv1 lets a server-side request forgery read the instance role credentials, which reach the lake of student ' +
    'records (FERPA); IMDSv2 session tokens stop that.',
  check(resource, context): RuleOutcome {
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return { violations: [], unresolved: [] };
    const options = settings.get('MetadataOptions');
    if (options === undefined) {
      if (settings.externalTemplate !== undefined) return { violations: [], unresolved: [`HttpTokens-from-${settings.externalTemplate}`] };
      return { violations: ['MetadataOptions.HttpTokens-absent'], unresolved: [] };
    }
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const branch of branchesOf(options)) {
      const tokens = isRecord(branch) ? branch.HttpTokens : undefined;
      for (const t of branchesOf(tokens)) {
        const text = knownString(t, context.template);
        if (text === undefined && t !== undefined) unresolved.push('MetadataOptions.HttpTokens');
        else if (text !== 'required') violations.push(`MetadataOptions.HttpTokens=${findingPart(text ?? 'absent')}`);
      }
      if (tokens === undefined) violations.push('MetadataOptions.HttpTokens=absent');
    }
    return { violations: [...new Set(violations)], unresolved };
  },
};
