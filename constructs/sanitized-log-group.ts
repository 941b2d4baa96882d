import { Annotations, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

/**
 * Limits CloudWatch Logs sets on a custom data identifier ("Custom data
 * identifiers", Amazon CloudWatch Logs User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL-custom-data-identifiers.html):
 * at most 10 per data-protection policy; a name of at most 128 characters from
 * `A-Za-z0-9_-` that is not a managed identifier's name; a regex of at most 200
 * characters drawn from letters, digits, `_ # = @ / ; , -`, space and the
 * reserved characters `^ $ ? [ ] { } | \ * + .`.
 */
export const CUSTOM_IDENTIFIER_LIMITS = {
  perPolicy: 10,
  nameLength: 128,
  regexLength: 200,
  nameCharacters: /^[A-Za-z0-9_-]+$/,
  regexCharacters: /^[A-Za-z0-9_#=@/;, ^$?[\]{}|\\*+.-]+$/,
} as const;

/** A custom data identifier: a name and the regular expression CloudWatch Logs masks. */
export interface CustomIdentifierSpec {
  /** Letters, digits, `_` and `-`; must not be a managed identifier's name. */
  readonly name: string;
  /**
   * At most 200 characters from the set CloudWatch Logs accepts (see
   * {@link CUSTOM_IDENTIFIER_LIMITS}). Parentheses and `:` are not in that set,
   * hence no groups (alternation is top-level) and `[^\w\s]` for the `:` of
   * `key: value` and `scheme://`.
   */
  readonly regex: string;
  /** What the expression finds. */
  readonly description: string;
}

/**
 * Managed identifiers every sanitized log group audits and masks (LOG-2): student
 * and staff PII, then credentials. `DateOfBirth` has no static member in
 * aws-cdk-lib's `DataIdentifier` but is a documented CloudWatch Logs managed
 * identifier (keyword-triggered: dob, birthdate, ...). `IpAddress` is left out
 * where `maskIpAddresses` is false (network and audit log groups).
 */
const MANAGED_IDENTIFIERS: readonly string[] = [
  'EmailAddress',
  'Name',
  'Address',
  'Ssn-US',
  'DateOfBirth',
  'IpAddress',
  'AwsSecretKey',
  'OpenSshPrivateKey',
  'PgpPrivateKey',
  'PkcsPrivateKey',
  'PuttyPrivateKey',
];

/** The managed identifier that IP-address masking adds. */
export const IP_ADDRESS_IDENTIFIER = 'IpAddress';

/**
 * Separator between a credential's key and its value: optional space, one or
 * two punctuation characters (`=`, `:`, `":`), optional space, an optional
 * opening quote. Covers `password=x`, `password: x`, `"password": "x"`,
 * `password = x` (airflow.cfg) and `PASSWORD='x'`, but not prose such as
 * "password rotation" (no punctuation after the key) or `password_file=`
 * (the key continues with a word character).
 */
const SEP = '\\s?[^\\w\\s]{1,2}\\s?[^\\w\\s]?';
/** A key in any letter case, as character classes (the syntax has no `(?i)`). */
function anyCase(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
}

/**
 * The platform's credential shapes (LOG-2). The AWS guide lists the accepted
 * characters but not the regex dialect; these expressions use only character
 * classes, the shorthand classes `\s \S \w`, escapes of `.` and quantifiers,
 * which read the same in JavaScript RegExp (the tests), Java and RE2. Each is
 * tested with realistic log lines, positive and negative, in
 * test/constructs/sanitized-log-group.test.ts. Over-masking (a value that only
 * looks like a credential) is the safe failure.
 */
const CUSTOM_IDENTIFIERS: readonly CustomIdentifierSpec[] = [
  {
    name: 'CredentialPassword',
    regex: ['password', 'passwd', 'passphrase'].map((k) => `${anyCase(k)}${SEP}\\S{3,}`).join('|'),
    description: 'password, passwd and passphrase as key=value, key: value, JSON and ini forms (db_password=, "password": ..., PGPASSWORD=)',
  },
  {
    name: 'CredentialToken',
    regex: [anyCase('secret'), anyCase('token'), `${anyCase('api')}[_-]?${anyCase('key')}`].map((k) => `${k}${SEP}\\S{6,}`).join('|'),
    description: 'secrets, tokens and API keys as key=value: client_secret=, access_token=, "api_key": ..., X-Api-Key: ...',
  },
  {
    name: 'CredentialUri',
    // scheme, `:` as punctuation, `//`, then userinfo holding a punctuation character (the `:` of user:password) before `@`.
    regex: '[A-Za-z][A-Za-z0-9+.-]{1,30}[^\\w\\s]//[^\\s/@]*[^\\w\\s/@][^\\s/@]*@',
    description: 'URIs with user:password before the host: snowflake://, postgresql+psycopg2://, https://user:pwd@',
  },
  {
    name: 'WebhookUrl',
    regex:
      'hooks\\.slack\\.com/[\\w/-]{16,}|discord\\w{0,3}\\.com/api/webhooks/[\\w/-]{16,}|webhook\\.office\\.com/webhookb2/\\S{16,}|logic\\.azure\\.com\\S*sig=\\S{16,}',
    description: 'Slack incoming webhooks and workflows, Discord webhooks, Teams (Office 365 connector and Power Automate workflow) URLs',
  },
  {
    name: 'AirflowSecretEnv',
    regex: ['SECRET', 'PASSWORD', 'FERNET'].map((w) => `AIRFLOW__\\w+__\\w*${w}\\w*${SEP}\\S+`).join('|'),
    description: 'AIRFLOW__<SECTION>__<KEY> variables whose key holds SECRET, PASSWORD or FERNET (AIRFLOW__CORE__FERNET_KEY, AIRFLOW__WEBSERVER__SECRET_KEY)',
  },
  {
    name: 'FernetKey',
    // A Fernet key is 32 bytes in URL-safe base64: 43 characters and one `=`.
    regex: `${anyCase('fernet')}[\\w ]{0,12}${SEP}[A-Za-z0-9_-]{43}=`,
    description: 'a 44-character URL-safe base64 Fernet key after a fernet key name (airflow.cfg fernet_key = ..., FERNET_KEY=...)',
  },
  {
    name: 'PemPrivateKey',
    // The body class includes `\` so a JSON-escaped block ("\n") is masked whole.
    regex: '-{5}BEGIN [A-Z ]{0,24}PRIVATE KEY-{5}[A-Za-z0-9+/=\\s\\\\]*',
    description: 'PEM private key blocks (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8) from the BEGIN line through the base64 body of the event',
  },
  {
    name: 'HttpAuthorizationHeader',
    regex: '[Bb]asic [A-Za-z0-9+/]{16,}={0,2}|[Bb]earer [A-Za-z0-9_.+/=-]{16,}',
    description: 'HTTP Basic credentials (the Ed-Fi OAuth token request) and Bearer tokens (every Ed-Fi API call)',
  },
];

/** Name of the custom identifier built from a deployment's student-identifier pattern. */
export const STUDENT_IDENTIFIER_NAME = 'StudentIdentifier';

/**
 * Problems with a custom identifier regex against CloudWatch Logs' documented
 * limits and against JavaScript's reading of it; empty when it is acceptable.
 * A pattern that matches the empty string would mask nothing useful and is refused.
 */
export function customIdentifierRegexProblems(regex: string): string[] {
  const problems: string[] = [];
  if (regex.length === 0) return ['is empty'];
  if (regex.length > CUSTOM_IDENTIFIER_LIMITS.regexLength) {
    problems.push(`is ${regex.length} characters long; CloudWatch Logs allows ${CUSTOM_IDENTIFIER_LIMITS.regexLength}`);
  }
  const bad = [...new Set([...regex].filter((c) => !CUSTOM_IDENTIFIER_LIMITS.regexCharacters.test(c)))];
  if (bad.length > 0) {
    problems.push(
      `contains ${bad.map((c) => JSON.stringify(c)).join(', ')}, which CloudWatch Logs does not accept (allowed: letters, digits, _ # = @ / ; , - space and ^ $ ? [ ] { } | \\ * + .)`,
    );
  }
  try {
    // Unicode mode parses strictly (an unclosed `{8` or a stray escape is an error, as in Java and RE2).
    if (new RegExp(regex, 'u').test('')) problems.push('matches the empty string');
  } catch (e) {
    problems.push(`does not compile: ${(e as Error).message}`);
  }
  return problems;
}

/** Properties of a {@link SanitizedLogGroup}. */
export interface SanitizedLogGroupProps {
  /**
   * Log group name. When given, the key policy is scoped to this exact group.
   * @default a CloudFormation-generated name
   */
  readonly logGroupName?: string;
  /**
   * How long events are kept (LOG-1): at least one year of audit evidence,
   * never forever.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to the log groups when they leave the stack (KEEP-1) or a
   * failed first deploy rolls back (DEPLOY-2). RETAIN_ON_UPDATE_OR_DELETE keeps
   * them on stack deletion and replacement, but deletes a group the failed
   * create itself made, so a fixed `logGroupName` does not block the retry.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Key that encrypts the log group (and a created findings group). A key defined
   * in this app gets the CloudWatch Logs key-policy statement added; a key
   * imported by ARN must already allow `logs.<region>.amazonaws.com`.
   * @default a new {@link CustomerManagedKey}
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Alias of the key created when `encryptionKey` is not given.
   * @default `<unique construct name>-logs`
   */
  readonly keyAlias?: string;
  /**
   * Log group that receives data-protection audit findings. Share one per
   * stack rather than letting each sanitized group create its own.
   * @default a findings log group is created when `findingsBucket` is not given either
   */
  readonly findingsLogGroup?: logs.ILogGroup;
  /**
   * Bucket that receives data-protection audit findings. CloudWatch Logs adds
   * its delivery statement to the bucket policy at deployment.
   * @default no bucket destination
   */
  readonly findingsBucket?: s3.IBucket;
  /**
   * Identifiers to audit and mask in addition to the baseline set.
   * @default none
   */
  readonly additionalIdentifiers?: readonly logs.DataIdentifier[];
  /**
   * Whether the `IpAddress` managed identifier masks addresses. Turn it off for
   * network and audit log groups (VPC flow logs, CloudTrail), whose records are
   * useless with every address masked; credentials and PII are still audited
   * and masked there (LOG-2).
   * @default true
   */
  readonly maskIpAddresses?: boolean;
  /**
   * A deployment's student-identifier format (e.g. `S[0-9]{8}` or
   * `[0-9]{9}` for a state ID), added as the `StudentIdentifier` custom
   * identifier. Must fit CloudWatch Logs' custom-identifier limits
   * ({@link customIdentifierRegexProblems}); a bad pattern throws.
   * @default no student-identifier pattern
   */
  readonly studentIdentifierPattern?: string;
}

/**
 * A CloudWatch Logs log group that is encrypted with a customer-managed key,
 * keeps events for a finite period of at least a year (LOG-1), is retained on
 * stack deletion and replacement (KEEP-1; not on a rolled-back create, DEPLOY-2), and audits and masks sensitive identifiers with a
 * data-protection policy (LOG-2).
 *
 * Masking hides matches from everyone without `logs:Unmask`; audit findings
 * record which identifier matched where, never the value.
 */
export class SanitizedLogGroup extends Construct {
  /** Names of the managed data identifiers in every policy. */
  public static readonly MANAGED_IDENTIFIERS: readonly string[] = MANAGED_IDENTIFIERS;
  /** Custom data identifiers in every policy (the platform's credential shapes). */
  public static readonly CUSTOM_IDENTIFIERS: readonly CustomIdentifierSpec[] = CUSTOM_IDENTIFIERS;
  /** Shortest retention LOG-1 accepts. */
  public static readonly MINIMUM_RETENTION = logs.RetentionDays.ONE_YEAR;

  /** Most custom identifiers one data-protection policy may hold. */
  public static readonly MAX_CUSTOM_IDENTIFIERS = CUSTOM_IDENTIFIER_LIMITS.perPolicy;

  /**
   * The baseline identifiers as aws-cdk-lib objects (fresh instances per call),
   * without `IpAddress` when `maskIpAddresses` is false, with the
   * student-identifier pattern when one is given.
   */
  public static dataIdentifiers(options: { maskIpAddresses?: boolean; studentIdentifierPattern?: string } = {}): logs.DataIdentifier[] {
    const managed = MANAGED_IDENTIFIERS.filter((name) => options.maskIpAddresses !== false || name !== IP_ADDRESS_IDENTIFIER);
    const custom = options.studentIdentifierPattern === undefined ? [] : [new logs.CustomDataIdentifier(STUDENT_IDENTIFIER_NAME, options.studentIdentifierPattern)];
    return [
      ...managed.map((name) => new logs.DataIdentifier(name)),
      ...CUSTOM_IDENTIFIERS.map((c) => new logs.CustomDataIdentifier(c.name, c.regex)),
      ...custom,
    ];
  }

  /** The sanitized log group. */
  public readonly logGroup: logs.LogGroup;
  /** Where audit findings go when they go to CloudWatch Logs. */
  public readonly findingsLogGroup?: logs.ILogGroup;
  /** The key that encrypts the log group. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: SanitizedLogGroupProps = {}) {
    super(scope, id);

    const retention = props.retention ?? SanitizedLogGroup.MINIMUM_RETENTION;
    validateRetention(retention);

    this.encryptionKey =
      props.encryptionKey ??
      new CustomerManagedKey(this, 'Key', {
        alias: props.keyAlias ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-logs`,
        description: `Encrypts the log group ${this.node.path}`,
      });

    if (props.studentIdentifierPattern !== undefined) {
      const problems = customIdentifierRegexProblems(props.studentIdentifierPattern);
      if (problems.length > 0) throw new Error(`SanitizedLogGroup studentIdentifierPattern ${problems.join('; ')}`);
    }
    const baseline = SanitizedLogGroup.dataIdentifiers(props);
    const identifiers = [...baseline, ...(props.additionalIdentifiers ?? [])];
    const customCount = identifiers.filter((i) => i instanceof logs.CustomDataIdentifier).length;
    if (customCount > CUSTOM_IDENTIFIER_LIMITS.perPolicy) {
      // "A maximum of 10 custom data identifiers are supported for each data protection policy" (CWL-custom-data-identifiers).
      throw new Error(
        `SanitizedLogGroup has ${customCount} custom data identifiers; CloudWatch Logs allows ${CUSTOM_IDENTIFIER_LIMITS.perPolicy} per data-protection policy`,
      );
    }

    if (props.findingsLogGroup) {
      this.findingsLogGroup = props.findingsLogGroup;
    } else if (!props.findingsBucket) {
      const findingsName = props.logGroupName ? `${props.logGroupName}-data-protection-findings` : undefined;
      this.allowLogsToUseKey(findingsName);
      this.findingsLogGroup = new logs.LogGroup(this, 'Findings', {
        logGroupName: findingsName,
        encryptionKey: this.encryptionKey,
        retention,
        logGroupClass: logs.LogGroupClass.STANDARD,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        // Findings hold positions, not values; the policy still masks so every
        // log group meets LOG-2. No audit destination: findings about findings
        // would loop.
        dataProtectionPolicy: new logs.DataProtectionPolicy({
          name: 'edu-sanitized-log-group-findings',
          description: 'Masks sensitive identifiers (LOG-2)',
          identifiers: SanitizedLogGroup.dataIdentifiers(props),
        }),
      });
    }

    this.allowLogsToUseKey(props.logGroupName);
    this.logGroup = new logs.LogGroup(this, 'Resource', {
      logGroupName: props.logGroupName,
      encryptionKey: this.encryptionKey,
      retention,
      logGroupClass: logs.LogGroupClass.STANDARD,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        name: 'edu-sanitized-log-group',
        description: 'Audits and masks student PII and credentials (LOG-2)',
        identifiers,
        logGroupAuditDestination: this.findingsLogGroup,
        s3BucketAuditDestination: props.findingsBucket,
      }),
    });
    if (this.findingsLogGroup instanceof logs.LogGroup) {
      // CloudWatch Logs refuses a policy whose findings group does not exist yet.
      this.logGroup.node.addDependency(this.findingsLogGroup);
    }
  }

  /**
   * CloudWatch Logs encrypts with the key as `logs.<region>.amazonaws.com`, always
   * passing the log group ARN as encryption context. The condition names the
   * group when its name is known; otherwise it is any group of this account and
   * region (a generated name cannot appear in the key policy without a cycle).
   */
  private allowLogsToUseKey(logGroupName: string | undefined): void {
    const stack = Stack.of(this);
    const arn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName ?? '*'}`;
    const result = this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn } },
      }),
    );
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2(
        'edu-baseline:sanitizedLogGroupKeyPolicy',
        'The encryption key is imported, so its key policy was not changed; it must allow logs.<region>.amazonaws.com with a kms:EncryptionContext:aws:logs:arn condition.',
      );
    }
  }
}

function validateRetention(retention: logs.RetentionDays): void {
  if (!Object.values(logs.RetentionDays).includes(retention)) {
    throw new Error(`SanitizedLogGroup retention ${retention} is not a period CloudWatch Logs supports; use a logs.RetentionDays value`);
  }
  if (retention === logs.RetentionDays.INFINITE) {
    throw new Error('SanitizedLogGroup retention must be a set period (LOG-1): RetentionDays.INFINITE keeps student data forever; use ONE_YEAR or longer');
  }
  if (retention < SanitizedLogGroup.MINIMUM_RETENTION) {
    throw new Error(`SanitizedLogGroup retention must be at least 365 days (RetentionDays.ONE_YEAR) for audit evidence (LOG-1); got ${retention} days`);
  }
}
