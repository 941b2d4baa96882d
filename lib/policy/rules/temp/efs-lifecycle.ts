import { asArray, isRecord } from '../../../cfn/values';
import { EduRule } from '../../rule';

/**
 * TEMP-3 (warning) on the file system: a lifecycle policy moves idle files out
 * of Standard storage (TransitionToIA or TransitionToArchive). The other half
 * of TEMP-3, the orchestration host deleting files after moving them to the
 * lake, is a runtime contract a template cannot show.
 */
export const efsLifecycleRule: EduRule = {
  id: 'TEMP3-EfsLifecycle',
  control: 'TEMP-3',
  severity: 'warning',
  resourceTypes: ['AWS::EFS::FileSystem'],
  info:
    'The file system keeps idle files in Standard storage. Set lifecyclePolicy: LifecyclePolicy.AFTER_7_DAYS (or similar) on efs.FileSystem ' +
    '(L1: LifecyclePolicies: [{ TransitionToIA: AFTER_7_DAYS }]).',
  explanation:
    'EFS is temporary storage: Airflow moves files to the lake and deletes them (edu Security Overview, "Where is data stored?": temporary server storage). A lifecycle policy ' +
    'makes forgotten files visible as IA usage and cheaper, a signal that the delete step failed.',
  check(resource) {
    const policies = asArray(resource.Properties?.LifecyclePolicies).filter(isRecord);
    const moves = policies.some((p) => p.TransitionToIA !== undefined || p.TransitionToArchive !== undefined);
    return moves ? { violations: [], unresolved: [] } : { violations: ['LifecyclePolicies.TransitionToIA=absent'], unresolved: [] };
  },
};
