import { readBoolean } from '../../../cfn/booleans';
import { requireCustomerManagedKey } from '../../../cfn/kms-keys';
import { lakeBuckets } from '../../../cfn/lake-buckets';
import { bucketNameText, normalizeBucketArn, normalizedBucketArn } from '../../../cfn/s3-buckets';
import { asArray, isRecord, knownString } from '../../../cfn/values';
import { CfnTemplate, EduRule, TemplateResource } from '../../rule';

type Access = 'read' | 'write';

interface Coverage {
  readonly access: Set<Access>;
  unresolved: boolean;
}

function strings(value: unknown, template: CfnTemplate): string[] {
  return asArray(value).map((v) => knownString(v, template) ?? String(v));
}

/** Whether a data-resource ARN prefix covers every object of the bucket. */
function prefixCovers(value: unknown, bucketId: string, bucketName: string | undefined, template: CfnTemplate): boolean | 'unresolved' {
  const { text, unresolved } = normalizeBucketArn(value, bucketId, bucketName, template);
  const target = `${normalizedBucketArn(bucketName)}/`;
  if (text.startsWith('arn:aws:s3') && target.startsWith(text)) return true;
  return unresolved.length > 0 || /\$\{/.test(text.split(target).join('')) ? 'unresolved' : false;
}

/** Which accesses to the bucket's objects a trail records as S3 data events. */
function trailCoverage(trail: TemplateResource, bucketId: string, template: CfnTemplate): Coverage {
  const coverage: Coverage = { access: new Set(), unresolved: false };
  const bucketName = template.Resources?.[bucketId] ? bucketNameText(template.Resources[bucketId], template) : undefined;
  const props = trail.Properties ?? {};
  for (const selector of asArray(props.EventSelectors).filter(isRecord)) {
    const rw = selector.ReadWriteType === undefined ? 'All' : knownString(selector.ReadWriteType, template);
    const accesses: Access[] = rw === 'ReadOnly' ? ['read'] : rw === 'WriteOnly' ? ['write'] : ['read', 'write'];
    for (const data of asArray(selector.DataResources).filter(isRecord)) {
      if (knownString(data.Type, template) !== 'AWS::S3::Object') continue;
      for (const value of asArray(data.Values)) {
        const covers = prefixCovers(value, bucketId, bucketName, template);
        if (covers === true) accesses.forEach((a) => coverage.access.add(a));
        else if (covers === 'unresolved') coverage.unresolved = true;
      }
    }
  }
  for (const selector of asArray(props.AdvancedEventSelectors).filter(isRecord)) {
    const fields = new Map<string, Record<string, unknown>>();
    for (const f of asArray(selector.FieldSelectors).filter(isRecord)) {
      const name = knownString(f.Field, template);
      if (name !== undefined) fields.set(name, f);
    }
    if (!strings(fields.get('eventCategory')?.Equals, template).includes('Data')) continue;
    if (!strings(fields.get('resources.type')?.Equals, template).includes('AWS::S3::Object')) continue;
    const readOnly = strings(fields.get('readOnly')?.Equals, template);
    const accesses: Access[] = readOnly.length === 1 ? [readOnly[0] === 'true' ? 'read' : 'write'] : ['read', 'write'];
    const arn = fields.get('resources.ARN');
    let covers: boolean | 'unresolved' = true;
    if (arn !== undefined) {
      const starts = asArray(arn.StartsWith).map((v) => prefixCovers(v, bucketId, bucketName, template));
      const excluded = asArray(arn.NotStartsWith).map((v) => prefixCovers(v, bucketId, bucketName, template));
      const narrowed = arn.Equals !== undefined || arn.EndsWith !== undefined || arn.NotEquals !== undefined || arn.NotEndsWith !== undefined;
      if (excluded.includes(true)) covers = false;
      else if (arn.StartsWith !== undefined) covers = starts.includes(true) ? true : starts.includes('unresolved') ? 'unresolved' : false;
      else covers = !narrowed;
      if (covers === true && narrowed) covers = false;
    }
    if (covers === true) accesses.forEach((a) => coverage.access.add(a));
    else if (covers === 'unresolved') coverage.unresolved = true;
  }
  return coverage;
}

/**
 * AUDIT-1 on each trail: multi-region, log-file validation, a
 * customer-managed KMSKeyId, IsLogging, an S3BucketName, and S3 data events
 * (read and write; EventSelectors or AdvancedEventSelectors) covering every
 * lake bucket of the template, counting all trails of the template together.
 *
 * A template with buckets but no trail does not fail: trails are often
 * account- or organisation-level, deployed elsewhere; the evidence report
 * should show where the trail comes from. That the trail's bucket is retained
 * and access-logged is checked on the bucket by KEEP-1 and DATA-5.
 */
export const cloudTrailTrailRule: EduRule = {
  id: 'AUDIT1-CloudTrailTrail',
  control: 'AUDIT-1',
  severity: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  info:
    'The trail does not record every API call and every lake object access. On cloudtrail.Trail set isMultiRegionTrail: true, ' +
    'enableFileValidation: true, encryptionKey: <your CustomerManagedKey>, and call trail.addS3EventSelector([{ bucket: <lake bucket> }]) ' +
    '(ReadWriteType ALL) for each lake bucket (L1: IsMultiRegionTrail, EnableLogFileValidation, KMSKeyId, IsLogging: true, S3BucketName, ' +
    'EventSelectors DataResources Type AWS::S3::Object with Values [<bucket ARN>/]).',
  explanation:
    'S3 data events are the record of who read or wrote which student record, the evidence FERPA disclosure accounting and incident response ' +
    'rely on; validation proves the log was not altered, a customer-managed key protects it, and a multi-region trail leaves no region unrecorded.',
  check(resource, { template }) {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const flag of ['IsMultiRegionTrail', 'EnableLogFileValidation', 'IsLogging'] as const) {
      const value = readBoolean(props[flag], template);
      if (value === 'unresolved') unresolved.push(`${flag}=unresolved`);
      else if (value !== true) violations.push(`${flag}=${value === undefined ? 'absent' : 'false'}`);
    }
    requireCustomerManagedKey('KMSKeyId', props.KMSKeyId, template, { violations, unresolved });
    if (props.S3BucketName === undefined) violations.push('S3BucketName=absent');

    const trails = Object.values(template.Resources ?? {}).filter((r) => r.Type === 'AWS::CloudTrail::Trail');
    for (const bucketId of lakeBuckets(template)) {
      const access = new Set<Access>();
      let unknown = false;
      for (const trail of trails) {
        const c = trailCoverage(trail, bucketId, template);
        c.access.forEach((a) => access.add(a));
        unknown = unknown || c.unresolved;
      }
      if (access.size === 2) continue;
      if (unknown) unresolved.push(`S3DataEvents.${bucketId}=unresolved`);
      else if (access.size === 0) violations.push(`S3DataEvents.${bucketId}=absent`);
      else violations.push(`S3DataEvents.${bucketId}=${access.has('read') ? 'ReadOnly' : 'WriteOnly'}`);
    }
    return { violations, unresolved };
  },
};
