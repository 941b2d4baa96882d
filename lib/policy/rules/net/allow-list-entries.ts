import { entryDescriptionField, isIsoDate, isoToday, TAG } from '../../../../constructs/conventions';
import { EduRule, RuleOutcome } from '../../rule';
import { listBranches } from '../../../cfn/branches';
import { nameTokens, tagsOf } from '../../../cfn/tags';
import { flattenString, isRecord, knownString } from '../../../cfn/values';

/**
 * NET-2: every entry of an AWS::EC2::PrefixList says who owns it and why
 * (`owner=`, `purpose=` in its Description, the format of
 * constructs/conventions.ts entryDescription); an entry with
 * `expires=YYYY-MM-DD` before today fails (an entry is valid through its
 * expiry date); contractor entries (the prefix list tagged kind=contractor,
 * named with the word contractor, or the entry marked kind=contractor) must
 * carry an expiry. Today is the rule context's `today` (the app's
 * `-c today=` context, as the config validator reads it), else the real date.
 */
export const allowListEntriesRule: EduRule = {
  id: 'NET2-AllowListEntries',
  control: 'NET-2',
  severity: 'error',
  resourceTypes: ['AWS::EC2::PrefixList'],
  info:
    'An allow-list entry lacks an owner or purpose, has expired, or is a contractor entry without an expiry date. ' +
    'Write each entry description as "owner=<who>; purpose=<why>[; kind=contractor; expires=YYYY-MM-DD]" (the ' +
    'allow-list construct does this from the config) and remove or renew expired entries.',
  explanation:
    'Access to student data must end when the relationship ends; an allow-list entry without an owner, purpose or ' +
    'end date outlives the contract that justified it (like an employment record without an end date).',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    const unresolved: string[] = [];
    const now = context.today ?? isoToday();
    const listName = knownString(props.PrefixListName, context.template) ?? '';
    const kindTag = knownString(tagsOf(resource).get(TAG.allowListKind), context.template);
    const contractorList = kindTag?.toLowerCase() === 'contractor' || nameTokens(listName).includes('contractor');
    listBranches(props.Entries).forEach((entry, index) => {
      const path = `Entries[${index}]`;
      if (!isRecord(entry)) {
        unresolved.push(path);
        return;
      }
      const flat = flattenString(entry.Description ?? '', context.template);
      const description = flat.text;
      const missing = ['owner', 'purpose'].filter((key) => {
        const value = entryDescriptionField(description, key);
        return value === undefined || value.startsWith('${');
      });
      if (flat.unresolved.length > 0 && missing.length > 0) {
        unresolved.push(`${path}.Description`);
        return;
      }
      for (const key of missing) violations.push(`${path}.Description-missing-${key}`);
      const expires = entryDescriptionField(description, 'expires');
      const contractor = contractorList || entryDescriptionField(description, 'kind')?.toLowerCase() === 'contractor';
      if (expires === undefined) {
        if (contractor) violations.push(`${path}.contractor-without-expires`);
      } else if (!isIsoDate(expires)) {
        violations.push(`${path}.expires-not-YYYY-MM-DD`);
      } else if (expires < now) {
        violations.push(`${path}.expired=${expires}`);
      }
    });
    return { violations, unresolved };
  },
};
