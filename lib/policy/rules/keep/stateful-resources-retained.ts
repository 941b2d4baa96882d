import { retentionFindings } from '../../../cfn/retention-policies';
import { EduRule } from '../../rule';

/** Types that support DeletionPolicy/UpdateReplacePolicy Snapshot, which keeps the data. */
const SNAPSHOT_TYPES = new Set(['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster']);

/**
 * KEEP-1 on stateful resources: DeletionPolicy Retain (or RetainExceptOnCreate,
 * see lib/cfn/retention-policies.ts) and UpdateReplacePolicy Retain;
 * Snapshot is accepted for RDS instances and clusters, the types in this list
 * that support it (EFS, DynamoDB, S3, KMS and log groups do not). An absent
 * attribute means Delete and fails, except DeletionPolicy on RDS, whose
 * CloudFormation default is Snapshot (for an instance outside a cluster; an
 * instance inside one has no data of its own). UpdateReplacePolicy must always
 * be written.
 */
export const statefulResourcesRetainedRule: EduRule = {
  id: 'KEEP1-StatefulResourcesRetained',
  control: 'KEEP-1',
  severity: 'error',
  resourceTypes: [
    'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::Logs::LogGroup', 'AWS::EFS::FileSystem',
    'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  ],
  info:
    'The stateful resource would be deleted when the stack is deleted or the resource replaced. Set removalPolicy: ' +
    'RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (DeletionPolicy RetainExceptOnCreate, UpdateReplacePolicy Retain; required for a resource with a fixed ' +
    'name, DEPLOY-2) or RemovalPolicy.RETAIN (resource.applyRemovalPolicy(...) on L1s; SNAPSHOT for RDS).',
  explanation:
    'Buckets, keys, log groups, file systems and databases hold student records, the keys that decrypt them, or the audit evidence about ' +
    'them. A stack deletion or a property change that forces replacement must never destroy them; deleting a key makes everything it ' +
    'encrypted unreadable for ever.',
  check(resource, { template }) {
    const snapshot = SNAPSHOT_TYPES.has(resource.Type);
    return retentionFindings(resource, template, { snapshotAllowed: snapshot, deletionDefault: snapshot ? 'Snapshot' : undefined });
  },
};
