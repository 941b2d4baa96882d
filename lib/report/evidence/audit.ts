import { resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, evidenceOf } from './types';
import { props, refersTo, valueAt } from './values';

export const auditExtractors: readonly ControlExtractor[] = [
  {
    control: 'AUDIT-1',
    governs: ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket'],
    extract: ({ env }) => {
      const out = [];
      for (const trail of resourcesOfType(env, 'AWS::CloudTrail::Trail')) {
        out.push(evidenceOf(trail, props(trail, [
          'IsMultiRegionTrail', 'EnableLogFileValidation', 'KMSKeyId', 'S3BucketName', 'IsLogging',
          'EventSelectors[0].DataResources[0].Type', 'EventSelectors[0].DataResources[0].Values', 'EventSelectors[0].ReadWriteType',
          'AdvancedEventSelectors',
        ]).filter((p) => p.name !== 'AdvancedEventSelectors' || p.value !== '(not set)')));
        // The bucket the trail delivers to: retained and access-logged.
        const target = valueAt(trail.resource.Properties, 'S3BucketName');
        for (const bucket of resourcesOfType(env, 'AWS::S3::Bucket')) {
          if (bucket.stack === trail.stack && refersTo(target, bucket.logicalId)) {
            out.push(evidenceOf(bucket, props(bucket, ['@DeletionPolicy', 'LoggingConfiguration.DestinationBucketName', 'VersioningConfiguration.Status'])));
          }
        }
      }
      return out;
    },
  },
];
