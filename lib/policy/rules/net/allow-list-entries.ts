import { EduRule, RuleOutcome } from '../../rule';
import { listBranches } from '../../../cfn/branches';
import { nameTokens, tagsOf } from '../../../cfn/tags';
import { flattenString, isRecord, knownString } from '../../../cfn/values';

/**
 * The allow-list entry description format this rule reads (and the
 * allow-list construct writes), key=value pairs separated by `;`, `,` or
 * spaces, e.g. `owner=district-it; purpose=sftp-drop; kind=contractor; expires=2026-06-30`.
 */
function field(description: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[;,\\s])${key}=([^;,\\s]+)`, 'i').exec(description);
  return match ? match[1] : undefined;
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Today as YYYY-MM-DD (UTC). */
export function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * NET-2 as a factory (today is injectable for tests). Every entry of an
 * AWS::EC2::PrefixList says who owns it and why (`owner=`, `purpose=` in
 * its Description); an entry with `expires=YYYY-MM-DD` before today fails
 * (an entry is valid through its expiry date); contractor entries (the
 * prefix list tagged kind=contractor, named with the word contractor, or the
 * entry marked kind=contractor) must carry an expiry.
 */
export function prefixListExpiryRule(today: () => string = isoToday): EduRule {
  return {
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
      const now = today();
      const listName = knownString(props.PrefixListName, context.template) ?? '';
      const kindTag = knownString(tagsOf(resource).get('kind'), context.template);
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
          const value = field(description, key);
          return value === undefined || value.startsWith('${');
        });
        if (flat.unresolved.length > 0 && missing.length > 0) {
          unresolved.push(`${path}.Description`);
          return;
        }
        for (const key of missing) violations.push(`${path}.Description-missing-${key}`);
        const expires = field(description, 'expires');
        const contractor = contractorList || field(description, 'kind')?.toLowerCase() === 'contractor';
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
}

/** The pack's NET-2 rule, judged against the real date. */
export const allowListEntriesRule: EduRule = prefixListExpiryRule();
