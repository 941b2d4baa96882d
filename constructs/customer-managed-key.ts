import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Key administration without use. These are the actions of the key-administrator
 * statement in AWS's "Default key policy" (AWS KMS Developer Guide), except that
 * `kms:Create*` is narrowed to `kms:CreateAlias`: `kms:CreateGrant` would let
 * any IAM principal with that permission grant itself decryption.
 */
export const KEY_ADMINISTRATION_ACTIONS: readonly string[] = [
  'kms:CreateAlias', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];

/** Properties of a {@link CustomerManagedKey}. */
export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `riverside-prod-data`. */
  readonly alias: string;
  /** What the key protects; shown in the KMS console. */
  readonly description: string;
  /**
   * How often KMS rotates the key material (KMS-1).
   * @default one year
   */
  readonly rotationPeriod?: Duration;
  /**
   * What happens to the key when it leaves the stack (KEEP-1). Anything but
   * RETAIN makes encrypted data unreadable forever.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * What the account root (and so every IAM policy of the account) may do with the key:
   * - `'all'`: `kms:*`, the CDK and AWS default key policy; IAM policies decide who uses the key.
   * - `'administration'`: {@link KEY_ADMINISTRATION_ACTIONS} only, so the key stays manageable
   *   (KMS refuses a policy that locks the account out; "Default key policy", AWS KMS
   *   Developer Guide) but nobody encrypts or decrypts with it unless a statement the owning
   *   construct adds names them (DATA-4: the lake key names its readers).
   * @default 'all'
   */
  readonly rootAccess?: 'all' | 'administration';
}

/**
 * A symmetric KMS key that rotates yearly and outlives its stack (KMS-1,
 * KEEP-1). Its policy starts as the CDK default (the account root, so IAM
 * policies in the deployment's own account decide) or, with `rootAccess:
 * 'administration'`, as key administration only; it grows only through
 * `grant*` calls and service principals added by the construct that owns it.
 */
export class CustomerManagedKey extends kms.Key {
  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    const administrationOnly = props.rootAccess === 'administration';
    super(scope, id, {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: props.rotationPeriod ?? Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
      policy: administrationOnly
        ? new iam.PolicyDocument({
            statements: [
              new iam.PolicyStatement({
                sid: 'AccountAdministersKey',
                principals: [new iam.AccountRootPrincipal()],
                actions: [...KEY_ADMINISTRATION_ACTIONS],
                resources: ['*'],
              }),
            ],
          })
        : undefined,
    });
  }
}
