import { EduRule, RuleOutcome } from '../../rule';
import { findingPart } from '../../cfn/finding-id';
import { flattenString, knownString } from '../../cfn/values';

/** A name segment that names a secret: `client_secret`, `edfi-api-key`, `db.password`, or the Ed-Fi `key`. */
const SECRET_SEGMENT =
  /(^|[-_.])(password|passwd|secret|token|api[-_]?key|apikey|private[-_]?key|credential|passphrase|webhook)s?($|[-_.])/i;
/** The same words in free text. */
const SECRET_WORDS = /\b(password|passwd|secret|token|api[ _-]?key|private[ _-]?key|credential|passphrase|webhook)s?\b/i;

/** The first segment of a Parameter Store name that names a secret. */
export function secretNameSegment(name: string): string | undefined {
  return name.split('/').find((segment) => segment.toLowerCase() === 'key' || SECRET_SEGMENT.test(segment));
}

/**
 * SECRET-1: CloudFormation can only create String and StringList parameters,
 * so a parameter whose Name (any path segment; the Ed-Fi layout's `key` and
 * `secret` included) or Description names a secret is a secret stored in
 * plain text. Secrets are declared as a contract (name, key, readers) and
 * written as SecureString by `edu-baseline secrets put`.
 */
export const secretsAreSecureStringRule: EduRule = {
  id: 'SECRET1-SecretsAreSecureString',
  control: 'SECRET-1',
  severity: 'error',
  resourceTypes: ['AWS::SSM::Parameter'],
  info:
    'A String/StringList parameter is named or described as a secret. CloudFormation cannot create SecureString ' +
    'parameters: declare the secret with the SecretParameters construct (name, CMK, readers) and write its value with ' +
    '`edu-baseline secrets put` (SecureString, customer-managed key).',
  explanation:
    'A String parameter is stored and shown in plain text to anyone with ssm:GetParameter; tokens, passwords and Ed-Fi ' +
    'API credentials that reach student records (FERPA) must be SecureString under a dedicated key.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const type = knownString(props.Type, context.template);
    if (type === undefined) return { violations: [], unresolved: ['Type'] };
    if (type !== 'String' && type !== 'StringList') return { violations: [], unresolved: [] };
    const violations: string[] = [];
    if (props.Name !== undefined) {
      const segment = secretNameSegment(flattenString(props.Name, context.template).text);
      if (segment !== undefined) violations.push(`Type=${type}:Name-segment=${findingPart(segment)}`);
    }
    const description = props.Description !== undefined ? flattenString(props.Description, context.template).text : '';
    const word = SECRET_WORDS.exec(description);
    if (word) violations.push(`Type=${type}:Description-mentions=${findingPart(word[1].toLowerCase())}`);
    return { violations, unresolved: [] };
  },
};
