import { CfnTemplate } from './template';
import { accessLogTargets, bucketNamedBy } from './s3-buckets';

/**
 * Buckets of the template that hold data (the lake): every bucket except
 * trail log buckets (a trail's S3BucketName) and server-access-log buckets
 * (another bucket's LoggingConfiguration destination). AUDIT-1 records
 * object access to these; DATA-4 restricts it to named principals.
 */
export function lakeBuckets(template: CfnTemplate): string[] {
  const excluded = accessLogTargets(template);
  for (const r of Object.values(template.Resources ?? {})) {
    if (r.Type !== 'AWS::CloudTrail::Trail') continue;
    const target = bucketNamedBy(r.Properties?.S3BucketName, template);
    if (target !== undefined) excluded.add(target);
  }
  return Object.entries(template.Resources ?? {})
    .filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && !excluded.has(id))
    .map(([id]) => id);
}
