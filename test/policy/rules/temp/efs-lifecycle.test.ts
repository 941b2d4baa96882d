import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import { efsLifecycleRule as rule } from '../../../../lib/policy/rules/temp/efs-lifecycle';
import { templateOf, testStack, violations } from '../../../support/policy';

describe('TEMP3-EfsLifecycle (warning)', () => {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new efs.FileSystem(stack, 'Good', { vpc, lifecyclePolicy: efs.LifecyclePolicy.AFTER_7_DAYS });
  new efs.FileSystem(stack, 'Keeps', { vpc });

  it('is a warning', () => expect(rule.severity).toBe('warning'));
  it('accepts a transition to IA or Archive and flags a file system without one (L2 and JSON)', () => {
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Keeps[0-9A-F]+: LifecyclePolicies.TransitionToIA=absent$/)]);
    const template = templateOf({
      Archive: { Type: 'AWS::EFS::FileSystem', Properties: { LifecyclePolicies: [{ TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }, { TransitionToArchive: 'AFTER_90_DAYS' }] } },
      BackOnly: { Type: 'AWS::EFS::FileSystem', Properties: { LifecyclePolicies: [{ TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }] } },
    });
    expect(violations(template, rule)).toEqual(['BackOnly: LifecyclePolicies.TransitionToIA=absent']);
  });
});
