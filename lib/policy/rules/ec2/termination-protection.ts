import { isTrue } from '../../../cfn/booleans';
import { EduRule, RuleOutcome } from '../../rule';
import { branchesOf } from '../../../cfn/branches';
import { launchSettingsOf, launchTemplateOf } from '../../../cfn/launch-settings';
import { productionMarker } from '../../../cfn/tags';

/**
 * EC2-2, termination protection in production: an instance or launch
 * template tagged `production=true` (the baseline tags every resource;
 * without that tag, `environment=prod|production`) has DisableApiTermination
 * true. An instance is production if it or its launch template is tagged so.
 */
export const terminationProtectionRule: EduRule = {
  id: 'EC22-TerminationProtection',
  control: 'EC2-2',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate'],
  info:
    'A production instance can be terminated by an API call. Set disableApiTermination: true (SshOnlyInstance does ' +
    'by default) on production instances and launch templates.',
  explanation:
    'Terminating the orchestration host mid-run loses temporary student data (FERPA) and the evidence on it; ' +
    'production hosts are removed only through a reviewed change.',
  check(resource, context): RuleOutcome {
    const settings = launchSettingsOf(resource, context.logicalId, context.template);
    if (settings.judgedOnInstances) return { violations: [], unresolved: [] };
    let marker = productionMarker(resource, undefined, context.template);
    if (marker === 'not-production' && resource.Type === 'AWS::EC2::Instance') {
      const ltId = launchTemplateOf(resource, context.template)?.logicalId;
      const lt = ltId !== undefined ? context.template.Resources?.[ltId] : undefined;
      if (lt) marker = productionMarker(lt, undefined, context.template);
    }
    if (marker === 'unknown') return { violations: [], unresolved: ['Tags.production'] };
    if (marker === 'not-production') return { violations: [], unresolved: [] };
    const value = settings.get('DisableApiTermination');
    const ok = value !== undefined && branchesOf(value).every((v) => isTrue(v));
    return { violations: ok ? [] : ['DisableApiTermination-not-true'], unresolved: [] };
  },
};
