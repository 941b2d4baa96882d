import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

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
}

/**
 * A symmetric KMS key that rotates yearly and outlives its stack (KMS-1,
 * KEEP-1). Its policy starts as the CDK default (the account root, so IAM
 * policies in the deployment's own account decide) and grows only through
 * `grant*` calls and service principals added by the construct that owns it.
 */
export class CustomerManagedKey extends kms.Key {
  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id, {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: props.rotationPeriod ?? Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }
}
