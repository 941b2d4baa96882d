import { MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST } from '../../../../constructs/conventions';
import { entryCountOf, knownInteger } from '../../../cfn/prefix-lists';
import { EduRule, RuleOutcome } from '../../rule';

/**
 * DEPLOY-4, prefix-list headroom: an AWS::EC2::PrefixList's MaxEntries must
 * exceed its entry count. Below it, EC2 rejects the list outright; equal to
 * it, the next added entry needs a larger MaxEntries in the same update, and
 * ModifyManagedPrefixList refuses that ("You cannot modify the entries of a
 * prefix list and modify the size of a prefix list at the same time", EC2 API
 * Reference, ModifyManagedPrefixList), so the CloudFormation update fails and
 * so does its rollback. A MaxEntries that cannot be read (a parameter without
 * default, an import) is reported as unresolved. A list with more than 100
 * entries in the template is refused too: CloudFormation's AWS::EC2::PrefixList
 * takes at most 100 Entries (template reference, "Entries ... Maximum: 100"),
 * and `edu-baseline audit` runs without aws-cdk-lib's built-in validation,
 * which would otherwise be the only one to say so.
 */
export const prefixListHeadroomRule: EduRule = {
  id: 'DEPLOY4-PrefixListHeadroom',
  control: 'DEPLOY-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::PrefixList'],
  info:
    'The prefix list\'s MaxEntries is not above its entry count, or it holds more than 100 entries. Give it a fixed capacity with headroom ' +
    '(AllowList capacity / deployment.prefixListCapacity, e.g. 20) that does not follow the entry count, and raise it in ' +
    'a deploy of its own before the entries reach it. Put at most 100 entries in one list (CloudFormation\'s limit); AllowList ' +
    'splits more of one kind into further lists.',
  explanation:
    'AWS cannot change a prefix list\'s entries and its size in one request, so a full list makes every later allow-list ' +
    'change fail at deploy time, and the failed update cannot roll back cleanly.',
  check(resource, context): RuleOutcome {
    const written = resource.Properties?.MaxEntries;
    const max = knownInteger(written, context.template);
    if (max === undefined) return { violations: [], unresolved: written === undefined ? ['MaxEntries-missing'] : ['MaxEntries'] };
    const count = entryCountOf(resource);
    if (count > MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST) return { violations: [`Entries=${count}-above-${MAX_TEMPLATE_ENTRIES_PER_PREFIX_LIST}`], unresolved: [] };
    if (max < count) return { violations: [`MaxEntries=${max}-below-entries=${count}`], unresolved: [] };
    if (max === count) return { violations: [`MaxEntries=${max}-equals-entries=${count}`], unresolved: [] };
    return { violations: [], unresolved: [] };
  },
};
