import { Annotations, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

/** A custom data identifier: a name and the regular expression CloudWatch Logs masks. */
export interface CustomIdentifierSpec {
  /** Letters, digits, `_` and `-`; must not be a managed identifier's name. */
  readonly name: string;
  /**
   * At most 200 characters from the set CloudWatch Logs accepts: letters,
   * digits, `_ # = @ / ; , -` and space, and `^ $ ? [ ] { } | \ * + .`.
   * Parentheses and `:` are not accepted, hence no groups and `\W` for separators.
   */
  readonly regex: string;
  /** What the expression finds. */
  readonly description: string;
}

/**
 * Managed identifiers every sanitized log group audits and masks (LOG-2): student
 * and staff PII, then credentials. `DateOfBirth` has no static member in
 * aws-cdk-lib's `DataIdentifier` but is a documented CloudWatch Logs managed
 * identifier (keyword-triggered: dob, birthdate, ...).
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

/**
 * Ed-Fi API credentials as they appear in orchestration logs.
 * - `EdFiApiSecret`: the word "secret" in any case (client_secret, api_secret,
 *   EDFI_API_SECRET, the `.../<tenant>/secret` parameter) followed by 1-4
 *   separator characters (`=`, `: `, `": "`) and a value of 8+ token characters.
 *   It may also mask ordinary prose such as "secret parameter"; over-masking is
 *   the safe failure.
 * - `EdFiAuthorizationHeader`: HTTP Basic credentials (the OAuth token request
 *   sends base64 key:secret) and Bearer tokens used on every Ed-Fi API call.
 * The Ed-Fi *key* (client_id) alone is an identifier, not a secret, and
 * matching every `key=` would mask S3 object keys in every task log.
 */
const CUSTOM_IDENTIFIERS: readonly CustomIdentifierSpec[] = [
  {
    name: 'EdFiApiSecret',
    regex: '[Ss][Ee][Cc][Rr][Ee][Tt]\\W{1,4}[A-Za-z0-9/+=_.-]{8,}',
    description: 'client_secret / api secret key=value and JSON forms',
  },
  {
    name: 'EdFiAuthorizationHeader',
    regex: '[Bb]asic [A-Za-z0-9+/]{16,}={0,2}|[Bb]earer [A-Za-z0-9_.+/=-]{16,}',
    description: 'HTTP Basic credentials and Bearer tokens',
  },
];

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
  /** Custom data identifiers in every policy (Ed-Fi credentials). */
  public static readonly CUSTOM_IDENTIFIERS: readonly CustomIdentifierSpec[] = CUSTOM_IDENTIFIERS;
  /** Shortest retention LOG-1 accepts. */
  public static readonly MINIMUM_RETENTION = logs.RetentionDays.ONE_YEAR;

  /** The baseline identifiers as aws-cdk-lib objects (fresh instances per call). */
  public static dataIdentifiers(): logs.DataIdentifier[] {
    return [
      ...MANAGED_IDENTIFIERS.map((name) => new logs.DataIdentifier(name)),
      ...CUSTOM_IDENTIFIERS.map((c) => new logs.CustomDataIdentifier(c.name, c.regex)),
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

    const identifiers = [...SanitizedLogGroup.dataIdentifiers(), ...(props.additionalIdentifiers ?? [])];

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
          identifiers: SanitizedLogGroup.dataIdentifiers(),
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
