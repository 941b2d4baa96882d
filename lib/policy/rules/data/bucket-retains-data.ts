import { readNumber } from '../../../cfn/booleans';
import { findingPart } from '../../vocabulary';
import { retentionFindings } from '../../../cfn/retention-policies';
import { accessLogTargets, namesBucket } from '../../../cfn/s3-buckets';
import { asArray, isRecord, knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

/**
 * DATA-5 on every bucket: versioning Enabled; DeletionPolicy and
 * UpdateReplacePolicy Retain; server access logging to a different bucket,
 * except for a bucket that itself receives another template bucket's access
 * logs (the log bucket; logging it to a third bucket is not required); and no
 * enabled lifecycle rule expiring current objects (ExpirationInDays /
 * ExpirationDate). NoncurrentVersionExpiration, AbortIncompleteMultipartUpload,
 * transitions and ExpiredObjectDeleteMarker are fine.
 */
export const bucketRetainsDataRule: EduRule = {
  id: 'DATA5-BucketRetainsData',
  control: 'DATA-5',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info:
    'The bucket does not keep data. Set versioned: true, removalPolicy: RemovalPolicy.RETAIN (DeletionPolicy and UpdateReplacePolicy Retain), ' +
    'serverAccessLogsBucket: <a separate log bucket>, and lifecycle rules that expire only noncurrent versions (noncurrentVersionExpiration), ' +
    'never current objects (expiration / ExpirationInDays / ExpirationDate).',
  explanation:
    'The lake is the permanent store of student records (edu Security Overview, "Where is data stored?"). Versioning and Retain protect against accidental ' +
    'or malicious deletion and stack mistakes; access logs to a separate bucket are evidence of who read which record.',
  check(resource, { logicalId, template }) {
    const props = resource.Properties ?? {};
    const { violations, unresolved } = retentionFindings(resource, template);

    const versioning = props.VersioningConfiguration;
    if (!isRecord(versioning)) violations.push('VersioningConfiguration=absent');
    else {
      const status = knownString(versioning.Status, template);
      if (status === undefined) unresolved.push('VersioningConfiguration.Status=unresolved');
      else if (status !== 'Enabled') violations.push(`VersioningConfiguration.Status=${findingPart(status)}`);
    }

    const logging = props.LoggingConfiguration;
    const destination = isRecord(logging) ? logging.DestinationBucketName : undefined;
    if (destination === undefined) {
      if (!accessLogTargets(template).has(logicalId)) violations.push('LoggingConfiguration=absent');
    } else if (namesBucket(destination, logicalId, template)) {
      violations.push('LoggingConfiguration.DestinationBucketName=self');
    }

    const lifecycle = props.LifecycleConfiguration;
    const rules = isRecord(lifecycle) ? asArray(lifecycle.Rules) : [];
    rules.forEach((rule, i) => {
      if (!isRecord(rule)) return;
      const status = knownString(rule.Status, template);
      if (status === 'Disabled') return;
      if (rule.ExpirationInDays !== undefined) {
        const days = readNumber(rule.ExpirationInDays, template);
        violations.push(`LifecycleConfiguration.Rules[${i}].ExpirationInDays=${days === 'unresolved' ? 'set' : String(days)}`);
      }
      if (rule.ExpirationDate !== undefined) violations.push(`LifecycleConfiguration.Rules[${i}].ExpirationDate=set`);
    });
    return { violations, unresolved };
  },
};
