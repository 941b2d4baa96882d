import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { s3EndpointPolicyRule as rule } from '../../../../lib/policy/rules/net/s3-endpoint-policy';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

describe('NET4-S3EndpointPolicy', () => {
  test('L2: a gateway endpoint without a policy fails; one naming buckets passes; a wildcard bucket fails', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const open = vpc.addGatewayEndpoint('Open', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const scoped = vpc.addGatewayEndpoint('Scoped', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    scoped.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::riverside-prod-lake-222222222222/*'] }));
    scoped.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*'] }));
    const wild = vpc.addGatewayEndpoint('Wild', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    wild.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::al2023-repos-*/*'] }));
    vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const id = (e: ec2.GatewayVpcEndpoint): string => stack.resolve((e.node.defaultChild as CfnResource).logicalId) as string;
    expect(violations(stack, rule).sort()).toEqual(
      [`${id(open)}: PolicyDocument-missing-allows-every-bucket`, `${id(wild)}: Statement[0].Resource=arn:aws:s3:al2023-repos-*/*-bucket-wildcard`].sort(),
    );
  });

  test('hand-written: Fn::Join service names, interface S3 endpoints, Resource *, NotResource, Fn::Sub and Ref buckets, Deny ignored', () => {
    const s3Service = { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] };
    const endpoint = (policy?: unknown, extra: Record<string, unknown> = {}): { Type: string; Properties: Record<string, unknown> } => ({
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcId: 'vpc-1', ServiceName: s3Service, ...(policy ? { PolicyDocument: policy } : {}), ...extra },
    });
    const allow = (resource: unknown, key = 'Resource'): unknown => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', [key]: resource }] });
    const template = templateOf(
      {
        Lake: { Type: 'AWS::S3::Bucket', Properties: {} },
        NoPolicy: endpoint(),
        Interface: endpoint(undefined, { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.s3' }),
        Star: endpoint(allow('*')),
        AllBuckets: endpoint(allow({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*/*']] })),
        Not: endpoint(allow('arn:aws:s3:::lake', 'NotResource')),
        Subbed: endpoint(allow([{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Lake}/*' }, { 'Fn::GetAtt': ['Lake', 'Arn'] }])),
        Joined: endpoint(allow({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Lake' }, '/*']] })),
        FromParam: endpoint(allow({ 'Fn::Sub': 'arn:aws:s3:::${BucketName}/*' })),
        DenyOnly: endpoint({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' }] }),
        Ssm: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.ssm', VpcEndpointType: 'Interface' } },
      },
      { Parameters: { BucketName: { Type: 'String' } } },
    );
    expect(violations(template, rule).sort()).toEqual(
      [
        'NoPolicy: PolicyDocument-missing-allows-every-bucket',
        'Interface: PolicyDocument-missing-allows-every-bucket',
        'Star: Statement[0].Resource=*',
        'AllBuckets: Statement[0].Resource=arn:${AWS:Partition}:s3:*/*-bucket-wildcard',
        'Not: Statement[0].NotResource',
      ].sort(),
    );
    expect(unresolvedWarnings(template, rule)).toEqual(['FromParam: Statement[0].Resource=arn:aws:s3:${BucketName}/*']);
  });
});
