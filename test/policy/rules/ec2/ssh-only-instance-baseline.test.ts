import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AllowList } from '../../../../constructs/allow-list';
import { SshOnlyInstance } from '../../../../constructs/ssh-only-instance';
import { ec2Rules } from '../../../../lib/policy/rules/ec2';
import { iamRules } from '../../../../lib/policy/rules/iam';
import { netRules } from '../../../../lib/policy/rules/net';
import { testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe("the baseline's SshOnlyInstance", () => {
  const stack = testStack();
  Tags.of(stack).add('production', 'true');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const s3 = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  // NET-4: the endpoint admits only named buckets.
  s3.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*'] }));
  // NET-1: SSH from an administrator list of this template, so every rule can decide.
  const allowList = new AllowList(stack, 'AllowList', {
    entries: [{ cidr: '10.99.0.0/22', kind: 'vpn', owner: 'Security office', purpose: 'Client VPN' }],
    namePrefix: 'test',
    today: '2026-01-01',
  });
  const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false });
  vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM, open: false, securityGroups: [endpointSg] });
  new SshOnlyInstance(stack, 'Host', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: new ec2.InstanceType('t3.micro'),
    keyPairName: 'ops',
    sshFrom: [ec2.Peer.prefixList(allowList.prefixLists('vpn')[0].prefixListId)],
  });
  const rules = [...ec2Rules, ...netRules.filter((r) => r.severity === 'error'), ...iamRules.filter((r) => r.severity === 'error')];

  it('passes every EC2, NET and IAM error rule, with nothing left undecided', () => {
    expect(violations(stack, ...rules)).toEqual([]);
    expect(unresolvedWarnings(stack, ...rules)).toEqual([]);
  });
});
