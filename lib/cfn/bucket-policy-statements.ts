import { CfnTemplate } from './template';
import { normalizeStatements, NormalizedStatement, policyDocumentsOf } from './policy-documents';
import { bucketNameText, bucketNamedBy, bucketPoliciesOf, normalizeBucketArn, normalizedBucketArn } from './s3-buckets';
import { flattenString } from './values';
import { globCovers } from './statement-conditions';

/** A statement of a bucket policy, with a finding-ID prefix saying where it is written. */
export interface LocatedStatement {
  readonly at: string;
  readonly statement: NormalizedStatement;
}

/** The bucket a set of statements protects: a template bucket or a name from a policy's `Bucket`. */
export interface BucketTarget {
  readonly logicalId?: string;
  readonly name?: string;
}

/**
 * Statements of every bucket policy attached to a template bucket, each
 * located as `BucketPolicy[<policy logical ID>].Statement[i]`.
 */
export function statementsForBucket(bucketLogicalId: string, template: CfnTemplate): { statements: LocatedStatement[]; policyCount: number; unknownTargets: string[] } {
  const { policies, unknownTargets } = bucketPoliciesOf(bucketLogicalId, template);
  const statements = policies.flatMap(({ logicalId, resource }) =>
    policyDocumentsOf(resource).flatMap((doc) =>
      normalizeStatements(doc.document).map((statement) => ({ at: `BucketPolicy[${logicalId}].Statement[${statement.index}]`, statement })),
    ),
  );
  return { statements, policyCount: policies.length, unknownTargets };
}

/** The target of a BucketPolicy resource, and whether it is a bucket of the template (then the bucket carries the findings). */
export function bucketPolicyTarget(bucketValue: unknown, template: CfnTemplate): { inTemplate: boolean; target: BucketTarget } {
  const logicalId = bucketNamedBy(bucketValue, template);
  if (logicalId !== undefined) {
    const bucket = template.Resources?.[logicalId];
    return { inTemplate: true, target: { logicalId, name: bucket ? bucketNameText(bucket, template) : undefined } };
  }
  return { inTemplate: false, target: { name: flattenString(bucketValue, template).text } };
}

/**
 * Whether the statement's Resource list covers the whole bucket and all its
 * objects: `true`, `false`, or `'unresolved'` when an intrinsic in a resource
 * might have covered them.
 */
export function coversBucketAndObjects(statement: NormalizedStatement, target: BucketTarget, template: CfnTemplate): boolean | 'unresolved' {
  const bucketArn = normalizedBucketArn(target.name);
  let bucket = false;
  let objects = false;
  let unknown = false;
  for (const resource of statement.resources) {
    const { text, unresolved } = normalizeBucketArn(resource, target.logicalId, target.name, template);
    if (globCovers(text, bucketArn)) bucket = true;
    if (globCovers(text, `${bucketArn}/*`)) objects = true;
    if (unresolved.length > 0 || /\$\{/.test(text.split(bucketArn).join(''))) unknown = true;
  }
  if (bucket && objects) return true;
  return unknown ? 'unresolved' : false;
}
