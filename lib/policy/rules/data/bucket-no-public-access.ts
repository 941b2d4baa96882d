import { readBoolean } from '../../../cfn/booleans';
import { bucketPolicyTarget, LocatedStatement, statementsForBucket } from '../../../cfn/bucket-policy-statements';
import { findingPart } from '../../vocabulary';
import { normalizeStatements, policyDocumentsOf } from '../../../cfn/policy-documents';
import { hasRestrictingCondition, namesEveryone } from '../../../cfn/statement-conditions';
import { asArray, isRecord, knownString } from '../../../cfn/values';
import { EduRule } from '../../rule';

const BLOCK_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;
const PUBLIC_ACLS = new Set(['publicread', 'publicreadwrite', 'authenticatedread']);

/** Allow statements that open the bucket to everyone. */
export function publicAllowFindings(statements: readonly LocatedStatement[]): string[] {
  const found: string[] = [];
  for (const { at, statement } of statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notPrincipals.length > 0) found.push(`${at}.NotPrincipal`);
    else if (namesEveryone(statement) && !hasRestrictingCondition(statement)) found.push(`${at}.Principal=*`);
  }
  return found;
}

/**
 * DATA-3. On the bucket: all four Block Public Access flags true, object
 * ownership BucketOwnerEnforced, no public canned ACL, and no Allow to `*`
 * (or with NotPrincipal) in its bucket policy unless a condition pins the
 * caller, account, organisation, network or source (aws:SourceArn,
 * aws:SourceAccount, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce,
 * aws:SourceVpc, aws:SourceIp other than 0.0.0.0/0, ...) with a positive
 * operator. Policy findings go on the bucket, naming the policy; a
 * BucketPolicy for a bucket outside the template carries its own.
 */
export const bucketNoPublicAccessRule: EduRule = {
  id: 'DATA3-BucketNoPublicAccess',
  control: 'DATA-3',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
  info:
    'The bucket can be made public. Set blockPublicAccess: BlockPublicAccess.BLOCK_ALL and objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED, ' +
    'remove publicReadAccess / accessControl (AccessControl PublicRead, PublicReadWrite, AuthenticatedRead), and give bucket-policy Allow ' +
    'statements a named principal or a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID.',
  explanation:
    'A public lake bucket discloses every student record in it to the internet, a FERPA breach. Block Public Access overrides mistakes in ' +
    'ACLs and policies, BucketOwnerEnforced disables ACLs altogether, and the policy check catches grants that a later change of BPA would expose.',
  check(resource, { logicalId, template }) {
    if (resource.Type === 'AWS::S3::BucketPolicy') {
      if (bucketPolicyTarget(resource.Properties?.Bucket, template).inTemplate) return { violations: [], unresolved: [] };
      const statements = policyDocumentsOf(resource).flatMap((doc) =>
        normalizeStatements(doc.document).map((statement) => ({ at: `Statement[${statement.index}]`, statement })),
      );
      return { violations: publicAllowFindings(statements), unresolved: [] };
    }
    const violations: string[] = [];
    const unresolved: string[] = [];
    const props = resource.Properties ?? {};

    const block = props.PublicAccessBlockConfiguration;
    if (!isRecord(block)) {
      violations.push('PublicAccessBlockConfiguration=absent');
    } else {
      for (const flag of BLOCK_FLAGS) {
        const value = readBoolean(block[flag], template);
        if (value === 'unresolved') unresolved.push(`PublicAccessBlockConfiguration.${flag}=unresolved`);
        else if (value !== true) violations.push(`PublicAccessBlockConfiguration.${flag}=${value === undefined ? 'absent' : 'false'}`);
      }
    }

    const ownership = isRecord(props.OwnershipControls) ? asArray(props.OwnershipControls.Rules) : [];
    const modes = ownership.map((r) => (isRecord(r) ? knownString(r.ObjectOwnership, template) : undefined));
    if (modes.length === 0) violations.push('OwnershipControls=absent');
    else if (modes.some((m) => m === undefined)) unresolved.push('OwnershipControls.ObjectOwnership=unresolved');
    else if (!modes.includes('BucketOwnerEnforced')) violations.push(`OwnershipControls.ObjectOwnership=${findingPart(String(modes[0]))}`);

    if (props.AccessControl !== undefined) {
      const acl = knownString(props.AccessControl, template);
      if (acl === undefined) unresolved.push('AccessControl=unresolved');
      else if (PUBLIC_ACLS.has(acl.toLowerCase())) violations.push(`AccessControl=${findingPart(acl)}`);
    }

    violations.push(...publicAllowFindings(statementsForBucket(logicalId, template).statements));
    return { violations, unresolved };
  },
};
