import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { vpcFlowLogsRule as rule } from '../../../../lib/policy/rules/log/vpc-flow-logs';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const vpcWith = (flowLog: Record<string, unknown> | undefined, extra: CfnTemplate['Resources'] = {}): CfnTemplate =>
  templateOf({
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Encrypted: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'flow', KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' } },
    Plain: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    ...(flowLog ? { Flow: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', ...flowLog } } } : {}),
    ...extra,
  });

describe('LOG4-VpcFlowLogs', () => {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  const subnets = [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  new ec2.Vpc(stack, 'Good', { maxAzs: 1, subnetConfiguration: subnets, flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowGroup', { encryptionKey: key })) } } });
  new ec2.Vpc(stack, 'ToS3', { maxAzs: 1, subnetConfiguration: subnets, flowLogs: { s3: { destination: ec2.FlowLogDestination.toS3(new s3.Bucket(stack, 'FlowBucket')) } } });
  new ec2.Vpc(stack, 'Unencrypted', { maxAzs: 1, subnetConfiguration: subnets, flowLogs: { cw: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'PlainGroup')) } } });
  new ec2.Vpc(stack, 'Rejects', { maxAzs: 1, subnetConfiguration: subnets, flowLogs: { r: { trafficType: ec2.FlowLogTrafficType.REJECT, destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'RejectGroup', { encryptionKey: key })) } } });
  new ec2.Vpc(stack, 'None', { maxAzs: 1, subnetConfiguration: subnets });

  it('accepts flow logs to an encrypted log group or S3; fails none, unencrypted and REJECT-only (L2)', () => {
    expect(violations(stack, rule)).toEqual([
      expect.stringMatching(/^Unencrypted[0-9A-F]+: FlowLog\[Unencryptedcw[0-9A-Za-z]+\].LogGroup\[PlainGroup[0-9A-F]+\]=unencrypted$/),
      expect.stringMatching(/^Rejects[0-9A-F]+: FlowLog\[Rejectsr[0-9A-Za-z]+\].TrafficType=REJECT$/),
      expect.stringMatching(/^None[0-9A-F]+: FlowLog=absent$/),
    ]);
  });

  it('reads LogGroupName as literal name and LogDestination as GetAtt ARN (JSON)', () => {
    expect(violations(vpcWith({ LogGroupName: 'flow' }), rule)).toEqual([]);
    expect(violations(vpcWith({ LogDestinationType: 'cloud-watch-logs', LogDestination: { 'Fn::GetAtt': ['Encrypted', 'Arn'] } }), rule)).toEqual([]);
    expect(violations(vpcWith({ LogGroupName: { Ref: 'Plain' } }), rule)).toEqual(['Vpc: FlowLog[Flow].LogGroup[Plain]=unencrypted']);
    expect(violations(vpcWith(undefined, { Sub: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Subnet' }, ResourceType: 'Subnet', TrafficType: 'ALL', LogGroupName: 'flow' } } }), rule)).toEqual([
      'Vpc: FlowLog=absent',
    ]);
  });

  it('warns on a log group outside the template and a Firehose destination', () => {
    const template = vpcWith({ LogGroupName: 'elsewhere' });
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule)).toEqual(['Vpc: FlowLog[Flow].LogGroup=not-in-template']);
    expect(unresolvedWarnings(vpcWith({ LogDestinationType: 'kinesis-data-firehose', LogDestination: 'arn:aws:firehose:us-east-1:1:deliverystream/x' }), rule)).toEqual([
      'Vpc: FlowLog[Flow].LogDestinationType=kinesis-data-firehose',
    ]);
  });
});
