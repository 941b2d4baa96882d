import { CfnElement, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { terminationProtectionRule as rule } from '../../../../lib/policy/rules/ec2/termination-protection';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('EC22-TerminationProtection', () => {
  describe('L2 constructs tagged production=true', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    new ec2.Instance(stack, 'Protected', { ...common, disableApiTermination: true });
    const unprotected = new ec2.Instance(stack, 'Unprotected', { ...common });
    const lt = new ec2.LaunchTemplate(stack, 'Lt', {});
    Tags.of(stack).add('production', 'true');
    const id = (c: ec2.Instance | ec2.LaunchTemplate): string => stack.getLogicalId(c.node.defaultChild as CfnElement);
    it('fails production instances and launch templates without termination protection', () => {
      expect(violations(stack, rule).sort()).toEqual([`${id(lt)}: DisableApiTermination-not-true`, `${id(unprotected)}: DisableApiTermination-not-true`].sort());
    });
  });

  it('reads hand-written tags, the environment fallback, a launch template tagged production and an unknown tag', () => {
    const template = templateOf(
      {
        Dev: { Type: 'AWS::EC2::Instance', Properties: { Tags: [{ Key: 'production', Value: 'false' }, { Key: 'environment', Value: 'prod' }] } },
        EnvProd: { Type: 'AWS::EC2::Instance', Properties: { Tags: [{ Key: 'environment', Value: 'production' }] } },
        Lt: {
          Type: 'AWS::EC2::LaunchTemplate',
          Properties: { LaunchTemplateData: { DisableApiTermination: true, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'production', Value: 'true' }] }] } },
        },
        FromLt: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        FromLtOverride: { Type: 'AWS::EC2::Instance', Properties: { DisableApiTermination: 'false', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        Unknown: { Type: 'AWS::EC2::Instance', Properties: { Tags: [{ Key: 'production', Value: { Ref: 'IsProd' } }] } },
      },
      { Parameters: { IsProd: { Type: 'String' } } },
    );
    expect(violations(template, rule).sort()).toEqual(['EnvProd: DisableApiTermination-not-true', 'FromLtOverride: DisableApiTermination-not-true']);
    expect(unresolvedWarnings(template, rule)).toEqual(['Unknown: Tags.production']);
  });
});
