import { EduRule, RuleOutcome } from '../../rule';
import { findingPart } from '../../vocabulary';
import { flattenString, knownString } from '../../../cfn/values';

/** A name segment that names a secret: `client_secret`, `edfi-api-key`, `db.password`, or the Ed-Fi `key`. */
const SECRET_SEGMENT =
  /(^|[-_.])(password|passwd|pwd|pass|secret|token|api[-_]?key|apikey|private[-_]?key|credential|passphrase|webhook)s?($|[-_.])/i;
/** The same words in free text. */
const SECRET_WORDS = /\b(password|passwd|secret|token|api[ _-]?key|private[ _-]?key|credential|passphrase|webhook)s?\b/i;

/**
 * Last words that make a secret-named segment a setting ABOUT the secret
 * (`token-ttl-seconds`, `password_min_length`, `api-key-arn`), not the secret.
 */
const ABOUT_A_SECRET = /[-_.](ttl|seconds|minutes|hours|days|length|arn|name|id|path|url|uri|expiry|expiration|expires|enabled|version|rotation|policy|type|header|count|max|min|age|format)$/i;

/** A segment with camelCase words split by `_` (`MasterUserPassword` → `master_user_password`). */
function snakeCase(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
}

/** The first segment of a Parameter Store name that names a secret. */
export function secretNameSegment(name: string): string | undefined {
  return name.split('/').find((segment) => {
    if (segment.toLowerCase() === 'key') return true;
    const words = snakeCase(segment);
    return SECRET_SEGMENT.test(words) && !ABOUT_A_SECRET.test(words);
  });
}

/**
 * SECRET-1: CloudFormation can only create String and StringList parameters,
 * so a parameter whose Name (any path segment; the Ed-Fi layout's `key` and
 * `secret` included) or Description names a secret is a secret stored in
 * plain text. Segments are read with camelCase split (`MasterUserPassword`);
 * a segment that is a setting about a secret (`token-ttl-seconds`,
 * `password-min-length`) is not a secret, and such a parameter's Description
 * may mention the secret. Secrets are declared as a contract (name, key,
 * readers) and written as SecureString by `edu-baseline secrets put`.
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
    // A parameter named as a setting about a secret (`token-ttl-seconds`) may describe that secret in words.
    const lastSegment = snakeCase(flattenString(props.Name ?? '', context.template).text.split('/').pop() ?? '');
    const aboutASecret = SECRET_SEGMENT.test(lastSegment) && ABOUT_A_SECRET.test(lastSegment);
    const description = props.Description !== undefined && !aboutASecret ? flattenString(props.Description, context.template).text : '';
    const word = SECRET_WORDS.exec(description);
    if (word) violations.push(`Type=${type}:Description-mentions=${findingPart(word[1].toLowerCase())}`);
    return { violations, unresolved: [] };
  },
};
