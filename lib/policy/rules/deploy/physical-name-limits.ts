import { NAME_LIMITS, NAME_PROPERTIES, nameProblems } from '../../../config/name-limits';
import { variantsOf } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { flattenString } from '../../../cfn/values';
import { COMPLIANT, EduRule, RuleOutcome } from '../../rule';

/** `${AWS::AccountId}` is always 12 digits, so a name built with it still has a known length and character set. */
const ACCOUNT_ID_STAND_IN = '000000000000';
const PLACEHOLDER = /\$\{[^}]*\}/;
const PLACEHOLDERS = /\$\{[^}]*\}/g;

/**
 * DEPLOY-4 on a named resource: the physical name (BucketName, RoleName,
 * LogGroupName, TopicName, AliasName, PrefixListName, TrailName, ...; see
 * NAME_PROPERTIES) fits AWS's length and character limits (NAME_LIMITS, the
 * same table validateConfig uses). Fn::Sub / Fn::Join / Fn::If names are
 * resolved where their parts are literal (parameter defaults, mappings,
 * `${AWS::AccountId}` as 12 digits); with other parts unknown, only the length
 * of the literal parts is judged (a lower bound), and the characters are not.
 */
export const physicalNameLimitsRule: EduRule = {
  id: 'DEPLOY4-PhysicalNameLimits',
  control: 'DEPLOY-4',
  severity: 'error',
  resourceTypes: Object.keys(NAME_PROPERTIES),
  info:
    'A physical name breaks AWS\'s length or character limits for its resource (S3 bucket names at most 63 lowercase characters without "..", ' +
    'IAM role names at most 64, KMS aliases at most 256 and not alias/aws/, log group names at most 512 of [A-Za-z0-9_-/.#], ...). ' +
    'Shorten the name or the config field it is derived from, or leave the name out and let CloudFormation generate one.',
  explanation:
    'CloudFormation submits the name only when it creates the resource, so a name AWS refuses fails the deploy midway, after earlier ' +
    'resources and stacks exist, and the rollback leaves retained resources behind. Checking names before deploying keeps a legal config deployable.',
  check(resource, { template }): RuleOutcome {
    const spec = NAME_PROPERTIES[resource.Type];
    const value = spec ? resource.Properties?.[spec.property] : undefined;
    if (!spec || value === undefined) return COMPLIANT;
    const limit = NAME_LIMITS[spec.kind];
    const violations = new Set<string>();
    for (const variant of variantsOf(value)) {
      if (variant === undefined) continue;
      const flat = flattenString(variant, template);
      const text = flat.text.replace(/\$\{AWS::AccountId\}/g, ACCOUNT_ID_STAND_IN);
      if (flat.unresolved.length === 0 && !PLACEHOLDER.test(text)) {
        for (const problem of nameProblems(spec.kind, text)) {
          if (problem.kind === 'length' && text.length > limit.max) violations.add(`${spec.property}.length=${text.length}>${limit.max}`);
          // Characters percent-encoded, so a space or a quote stays visible in the finding ID.
          else if (problem.kind === 'characters') violations.add(`${spec.property}.characters=${(problem.characters ?? []).map(encodeURIComponent).join(',')}`);
          else violations.add(`${spec.property}.format=${findingPart(problem.message, 80)}`);
        }
      } else {
        const literal = text.replace(PLACEHOLDERS, '');
        if (literal.length > limit.max) violations.add(`${spec.property}.length=at-least-${literal.length}>${limit.max}`);
      }
    }
    return { violations: [...violations], unresolved: [] };
  },
};
