import { DataLake } from '../../../../constructs/data-lake';
import { findings, testStack } from '../../../support/policy';
import { dataRules } from '../../../../lib/policy/rules/data';
import { keepRules } from '../../../../lib/policy/rules/keep';
import { kmsRules } from '../../../../lib/policy/rules/kms';
import { tenantRules } from '../../../../lib/policy/rules/tenant';
import * as iam from 'aws-cdk-lib/aws-iam';

describe('the baseline DataLake construct', () => {
  const stack = testStack();
  const lake = new DataLake(stack, 'Lake', { tenantCodes: ['north', 'south'], objectAccessPrincipalArns: ['arn:aws:iam::111122223333:role/orchestration'] });
  const orchestration = new iam.Role(stack, 'Orchestration', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  lake.grantReadWrite(orchestration);
  const tenantRole = new iam.Role(stack, 'NorthJob', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  lake.grantTenantReadWrite(tenantRole, 'north');
  (tenantRole.node.defaultChild as iam.CfnRole).tags.setTag('tenant_code', 'north');

  it('passes every error rule of DATA, KEEP, KMS and TENANT except the acknowledged DATA-1 on the access-log bucket', () => {
    const all = findings(stack, ...dataRules, ...keepRules, ...kmsRules, ...tenantRules).map((f) => `${f.rule.id} ${f.logicalId}: ${f.findingId}${f.unresolved ? ' (unresolved)' : ''}`);
    expect(all).toEqual([expect.stringMatching(/^DATA1-BucketKmsEncryption LakeAccessLogBucket[0-9A-F]+: SSEAlgorithm=AES256$/)]);
  });
});
