import { CfnTemplate } from './template';
import { bucketNameText } from './s3-buckets';
import { flattenString } from './values';

/**
 * Reading S3 ARNs in identity policies as (bucket, key pattern) pairs, so that
 * grants naming one bucket by Ref, GetAtt, Fn::Join, Fn::Sub or literal name
 * compare equal.
 */

/** S3 actions that read or change object data. */
export const S3_OBJECT_ACTIONS: readonly string[] = [
  's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion',
  's3:RestoreObject', 's3:GetObjectAttributes', 's3:PutObjectAcl', 's3:GetObjectAcl',
];

export interface S3ObjectPattern {
  /** `${LogicalId}` for a template bucket, else the bucket text as written (may contain wildcards). */
  readonly bucket: string;
  /** The key pattern after the first `/`, e.g. `tenant_code=a/*` or `*`. */
  readonly key: string;
  /** The flattened resource text, for finding IDs. */
  readonly text: string;
  /** True if the resource could not be fully read. */
  readonly unresolved: boolean;
}

/**
 * The object pattern a Resource entry names, or undefined when it is not an
 * S3 object ARN. `*` and `arn:<p>:s3:::*` name every object of every bucket.
 */
export function s3ObjectPattern(resource: unknown, template: CfnTemplate): S3ObjectPattern | undefined {
  const flat = flattenString(resource, template);
  let text = flat.text.replace(/\$\{AWS::Partition\}/g, 'aws');
  const unresolved = flat.unresolved.length > 0;
  if (text === '*') return { bucket: '*', key: '*', text, unresolved };
  text = text.replace(/\$\{([A-Za-z0-9]+)\.Arn\}/g, (whole, id: string) =>
    template.Resources?.[id]?.Type === 'AWS::S3::Bucket' ? `arn:aws:s3:::\${${id}}` : whole,
  );
  const m = /^arn:[^:]*:s3:::([^/]*)(?:\/(.*))?$/s.exec(text);
  if (!m) return undefined;
  let bucket = m[1];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type === 'AWS::S3::Bucket' && bucketNameText(r, template) === bucket) bucket = `\${${id}}`;
  }
  if (m[2] === undefined) {
    // `arn:aws:s3:::*` also matches every object ARN; a bare bucket ARN names no object.
    return /\*/.test(bucket) ? { bucket, key: '*', text: flat.text, unresolved } : undefined;
  }
  return { bucket, key: m[2], text: flat.text, unresolved };
}

/** The tenant code a key pattern is confined to (`tenant_code=<code>/...`), if any. */
export function tenantOfKey(key: string): string | undefined {
  const m = /^tenant_code=([^/*?]+)\//.exec(key);
  return m ? m[1] : undefined;
}

/** True if a key pattern mentions a tenant prefix at all (even a malformed one). */
export function mentionsTenant(key: string): boolean {
  return key.startsWith('tenant_code=');
}
