import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The settings every bucket of the baseline shares (DATA-2, DATA-3, DATA-5,
 * KEEP-1): TLS 1.2+ only, no public access, bucket-owner-enforced objects,
 * versioning, a lifecycle that expires only noncurrent versions, and
 * retention when the stack goes away. Encryption and logging differ per
 * bucket and are added by the caller.
 *
 * The default removal policy is RETAIN_ON_UPDATE_OR_DELETE (DeletionPolicy
 * RetainExceptOnCreate, UpdateReplacePolicy Retain): the bucket survives stack
 * deletion and replacement (KEEP-1), but a first deploy that fails and rolls
 * back deletes the empty bucket it just created, so a retry with the same
 * fixed name does not fail with "already exists" (DEPLOY-2; CloudFormation
 * "DeletionPolicy attribute", RetainExceptOnCreate).
 */
export function secureBucketProps(
  options: { readonly noncurrentVersionExpiration?: Duration; readonly removalPolicy?: RemovalPolicy } = {},
): s3.BucketProps {
  return {
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [
      {
        id: 'expire-noncurrent-versions',
        enabled: true,
        noncurrentVersionExpiration: options.noncurrentVersionExpiration ?? Duration.days(365),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    autoDeleteObjects: false,
  };
}
