import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { noPublicIpRule as rule } from '../../../../lib/policy/rules/net/no-public-ip';
import { templateOf, testStack, violations } from '../../../support/policy';

describe('NET3-NoPublicIp', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Nat', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    const open = new ec2.Vpc(stack, 'Open', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Pub', subnetType: ec2.SubnetType.PUBLIC }] });
    new ec2.Instance(stack, 'Public', {
      vpc: open,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      associatePublicIpAddress: true,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new ec2.Instance(stack, 'Private', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const found = violations(stack, rule);

    it('accepts private subnets, a NAT subnet without public mapping and its NAT EIP, and a private instance', () => {
      expect(found.filter((f) => f.startsWith('Vpc') || f.startsWith('Private'))).toEqual([]);
    });
    it('fails a subnet that maps public IPs and an instance with a public IP', () => {
      expect(found).toHaveLength(2);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^OpenPubSubnet1Subnet[0-9A-F]+: MapPublicIpOnLaunch=true$/),
          expect.stringMatching(/^Public[0-9A-F]+: NetworkInterfaces\[0\]\.AssociatePublicIpAddress=true$/),
        ]),
      );
    });
  });

  describe('L1 and hand-written templates', () => {
    it('fails launch templates, launch configurations, Fn::If branches and EIPs bound to instances or interfaces', () => {
      const template = templateOf({
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: 'true' }] } } },
        Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', AssociatePublicIpAddress: true } },
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', MapPublicIpOnLaunch: { 'Fn::If': ['Public', true, false] } } },
        Eip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', InstanceId: { Ref: 'Host' } } },
        Assoc: { Type: 'AWS::EC2::EIPAssociation', Properties: { AllocationId: 'eipalloc-1', NetworkInterfaceId: 'eni-1' } },
        NatEip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
        PrivateLt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] } } },
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Assoc: NetworkInterfaceId',
          'Eip: InstanceId',
          'Lc: AssociatePublicIpAddress=true',
          'Lt: LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress=true',
          'Subnet: MapPublicIpOnLaunch=true',
        ].sort(),
      );
    });

    it('fails an L1 instance with a public interface', () => {
      const stack = templateOf({
        Host: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: 's-1', AssociatePublicIpAddress: true }] } },
      });
      expect(violations(stack, rule)).toEqual(['Host: NetworkInterfaces[0].AssociatePublicIpAddress=true']);
    });
  });
});
