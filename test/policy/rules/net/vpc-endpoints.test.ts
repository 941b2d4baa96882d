import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { vpcEndpointsRule as rule } from '../../../../lib/policy/rules/net/vpc-endpoints';
import { templateOf, testStack, violations } from '../../../support/policy';

describe('NET3-VpcEndpoints', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const subnetConfiguration = [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
    const good = new ec2.Vpc(stack, 'Good', { maxAzs: 1, subnetConfiguration });
    good.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    good.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM });
    const partial = new ec2.Vpc(stack, 'Partial', { maxAzs: 1, subnetConfiguration });
    partial.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    it('warns about a VPC without S3 or SSM endpoints', () => {
      expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Partial[0-9A-F]+: missing-endpoint:ssm$/)]);
    });
  });

  it('warns about a hand-written VPC without endpoints and ignores endpoints of another VPC', () => {
    const template = templateOf({
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Other: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
      S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Other' }, ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' } } },
      Ssm: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Other' }, ServiceName: 'com.amazonaws.us-east-1.ssm', VpcEndpointType: 'Interface' } },
    });
    expect(violations(template, rule)).toEqual(['Vpc: missing-endpoint:s3', 'Vpc: missing-endpoint:ssm']);
  });
});
