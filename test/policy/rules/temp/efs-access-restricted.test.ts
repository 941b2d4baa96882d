import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { efsAccessRestrictedRule as rule } from '../../../../lib/policy/rules/temp/efs-access-restricted';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const TLS_DENY = {
  Effect: 'Deny', Principal: { AWS: '*' }, Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const fsWith = (policy: unknown): CfnTemplate => templateOf({ Fs: { Type: 'AWS::EFS::FileSystem', Properties: policy === undefined ? {} : { FileSystemPolicy: policy } } });
const mountWith = (ingress: unknown[], separate: Record<string, unknown> = {}): CfnTemplate =>
  templateOf({
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'efs', SecurityGroupIngress: ingress } },
    Mt: { Type: 'AWS::EFS::MountTarget', Properties: { FileSystemId: 'fs-1', SubnetId: 'subnet-1', SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } },
    ...separate,
  });
const nfsFrom = (source: Record<string, unknown>): Record<string, unknown> => ({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, ...source });

describe('TEMP2-EfsAccessRestricted', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const compute = new ec2.SecurityGroup(stack, 'Compute', { vpc });
    const good = new efs.FileSystem(stack, 'Good', {
      vpc,
      fileSystemPolicy: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['elasticfilesystem:*'], conditions: { Bool: { 'aws:SecureTransport': 'false' } } })],
      }),
    });
    good.connections.allowDefaultPortFrom(compute);
    const open = new efs.FileSystem(stack, 'Open', { vpc });
    open.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'));
    open.connections.allowFrom(compute, ec2.Port.allTraffic());
    const found = violations(stack, rule);

    it('accepts a TLS-deny policy and NFS from a security group only', () => {
      expect(found.filter((f) => f.startsWith('Good'))).toEqual([]);
    });
    it('fails a file system without policy and a mount target open to a CIDR and to all traffic (finding on each mount target)', () => {
      expect(found).toEqual([
        expect.stringMatching(/^Open[0-9A-F]+: FileSystemPolicy=absent$/),
        expect.stringMatching(/^OpenEfsMountTarget1[0-9A-F]+: SecurityGroup\[OpenEfsSecurityGroup[0-9A-F]+\].Ingress\[0\].CidrIp=10.0.0.0\/16$/),
        expect.stringMatching(/^OpenEfsMountTarget1[0-9A-F]+: SecurityGroupIngress\[OpenEfsSecurityGroupfrom[0-9A-Za-z]+\].IpProtocol=-1$/),
      ]);
    });
  });

  describe('file-system policy (JSON)', () => {
    it('accepts a TLS deny as a single object with elasticfilesystem:* and a JSON-string policy', () => {
      expect(violations(fsWith({ Statement: { ...TLS_DENY, Action: 'elasticfilesystem:*', Principal: '*' } }), rule)).toEqual([]);
      expect(violations(fsWith(JSON.stringify({ Statement: [TLS_DENY] })), rule)).toEqual([]);
    });
    it('fails a missing policy, a TLS deny that misses ClientRootAccess, and one narrowed by another condition', () => {
      expect(violations(fsWith(undefined), rule)).toEqual(['Fs: FileSystemPolicy=absent']);
      expect(violations(fsWith({ Statement: [{ ...TLS_DENY, Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] }] }), rule)).toEqual(['Fs: FileSystemPolicy.SecureTransportDeny=absent']);
      const narrowed = { ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': 'false', 'elasticfilesystem:AccessedViaMountTarget': 'true' } } };
      expect(violations(fsWith({ Statement: [narrowed] }), rule)).toEqual(['Fs: FileSystemPolicy.SecureTransportDeny=absent']);
    });
    it('fails Allow of write/root to * without a restricting condition, and NotPrincipal; accepts named principals', () => {
      const statements = [
        TLS_DENY,
        { Effect: 'Allow', Principal: '*', Action: 'elasticfilesystem:ClientRootAccess' },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['elasticfilesystem:Client*'], Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } } },
        { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'elasticfilesystem:ClientWrite' },
        { Effect: 'Allow', Principal: '*', Action: 'elasticfilesystem:ClientMount' },
        { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Action: 'elasticfilesystem:ClientRootAccess' },
        { Effect: 'Allow', Principal: '*', Action: 'elasticfilesystem:ClientWrite', Condition: { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/airflow' } } },
      ];
      expect(violations(fsWith({ Statement: statements }), rule)).toEqual([
        'Fs: FileSystemPolicy.Statement[1].Principal=*',
        'Fs: FileSystemPolicy.Statement[2].Principal=*',
        'Fs: FileSystemPolicy.Statement[3].NotPrincipal',
      ]);
    });
  });

  describe('mount-target security groups (JSON)', () => {
    it('accepts NFS from a security group, inline and as a separate ingress resource', () => {
      const template = mountWith([nfsFrom({ SourceSecurityGroupId: { Ref: 'Compute' } })], {
        Extra: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'Sg' }, IpProtocol: '6', FromPort: '2049', ToPort: '2049', SourceSecurityGroupId: 'sg-0123' } },
      });
      expect(violations(template, rule)).toEqual([]);
    });
    it('fails CIDR, IPv6, prefix-list sources, port ranges, all protocols and UDP', () => {
      const template = mountWith(
        [
          nfsFrom({ CidrIp: '0.0.0.0/0' }),
          nfsFrom({ CidrIpv6: '::/0' }),
          nfsFrom({ SourcePrefixListId: 'pl-123' }),
          { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, SourceSecurityGroupId: 'sg-1' },
          { IpProtocol: '-1', SourceSecurityGroupId: 'sg-1' },
          { IpProtocol: 'udp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: 'sg-1' },
        ],
        { Extra: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, CidrIp: '10.1.0.0/16' } } },
      );
      expect(violations(template, rule)).toEqual([
        'Mt: SecurityGroup[Sg].Ingress[0].CidrIp=0.0.0.0/0',
        'Mt: SecurityGroup[Sg].Ingress[1].CidrIpv6=:/0',
        'Mt: SecurityGroup[Sg].Ingress[2].SourcePrefixListId=pl-123',
        'Mt: SecurityGroup[Sg].Ingress[3].Ports=0-65535',
        'Mt: SecurityGroup[Sg].Ingress[4].IpProtocol=-1',
        'Mt: SecurityGroup[Sg].Ingress[5].IpProtocol=udp',
        'Mt: SecurityGroupIngress[Extra].CidrIp=10.1.0.0/16',
      ]);
    });
    it('warns on a security group outside the template', () => {
      const template = templateOf({
        Mt: { Type: 'AWS::EFS::MountTarget', Properties: { FileSystemId: 'fs-1', SubnetId: 's', SecurityGroups: ['sg-0abc', { 'Fn::ImportValue': 'efs-sg' }] } },
      });
      expect(violations(template, rule)).toEqual([]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Mt: SecurityGroups[0]=sg-0abc', 'Mt: SecurityGroups[1]=${Fn:ImportValue}']);
    });
  });
});
