import { findingPart } from '../../vocabulary';
import { UNIQUE_NAME_PROPERTIES } from '../../../cfn/physical-names';
import { flattenString, knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

/**
 * DEPLOY-2: a resource with a fixed physical name and DeletionPolicy `Retain`
 * survives the rollback of the first deploy that created it, and the retry
 * then fails with "already exists" until someone deletes it by hand (in
 * production, a human write). `RetainExceptOnCreate` deletes only a resource
 * the failed operation itself created (which holds no data yet) and retains it
 * on stack deletion like Retain ("DeletionPolicy attribute", AWS
 * CloudFormation User Guide), so KEEP-1 still holds. An Fn::If is judged on
 * both branches; a DeletionPolicy that cannot be read is reported as
 * unresolved. `Delete`, `Snapshot` and absent attributes free the name and
 * are KEEP-1's concern, not this rule's.
 */
export const namedResourcesRetryRule: EduRule = {
  id: 'DEPLOY2-NamedResourcesRetry',
  control: 'DEPLOY-2',
  severity: 'error',
  resourceTypes: Object.keys(UNIQUE_NAME_PROPERTIES),
  info:
    'The resource has a fixed name and DeletionPolicy Retain: if the first deploy fails, the rollback keeps it and every retry fails with ' +
    '"already exists". Use RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (DeletionPolicy RetainExceptOnCreate, UpdateReplacePolicy Retain), ' +
    'or let CloudFormation generate the name.',
  explanation:
    'A stack that cannot be re-deployed after a failure needs someone to delete buckets and log groups by hand, a human write in production; ' +
    'RetainExceptOnCreate removes only what the failed create made (no data yet) and still keeps everything on delete and replace (KEEP-1).',
  check(resource, { template }) {
    const property = UNIQUE_NAME_PROPERTIES[resource.Type];
    const name = resource.Properties?.[property];
    if (name === undefined || name === '') return { violations: [], unresolved: [] };
    const policy = resource.DeletionPolicy;
    if (policy === undefined) return { violations: [], unresolved: [] };
    const value = knownString(policy, template);
    if (value === undefined) return { violations: [], unresolved: ['DeletionPolicy=unresolved'] };
    const shown = findingPart(flattenString(name, template).text, 60);
    return { violations: value.split('\n').includes('Retain') ? [`DeletionPolicy=Retain-with-${property}-${shown}`] : [], unresolved: [] };
  },
};
