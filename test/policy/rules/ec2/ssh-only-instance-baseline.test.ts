import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SshOnlyInstance } from '../../../../constructs/ssh-only-instance';
import { ec2Rules } from '../../../../lib/policy/rules/ec2';
import { iamRules } from '../../../../lib/policy/rules/iam';
import { netRules } from '../../../../lib/policy/rules/net';
import { testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe("the baseline's SshOnlyInstance", () => {
  const stack = testStack();
  Tags.of(stack).add('production', 'true');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false });
  vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM, open: false, securityGroups: [endpointSg] });
  new SshOnlyInstance(stack, 'Host', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: new ec2.InstanceType('t3.micro'),
    keyPairName: 'ops',
    sshFrom: [ec2.Peer.prefixList('pl-0123456789abcdef0')],
  });
  const rules = [...ec2Rules, ...netRules.filter((r) => r.severity === 'error'), ...iamRules.filter((r) => r.severity === 'error')];

  it('passes every EC2, NET and IAM error rule, with nothing left undecided', () => {
    expect(violations(stack, ...rules)).toEqual([]);
    expect(unresolvedWarnings(stack, ...rules)).toEqual([]);
  });
});
