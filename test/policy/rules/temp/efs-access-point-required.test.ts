import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TempFileSystem } from '../../../../constructs/temp-file-system';
import { efsAccessPointRequiredRule as rule } from '../../../../lib/policy/rules/temp/efs-access-point-required';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const CLIENT = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const AP_DENY = { Effect: 'Deny', Principal: { AWS: '*' }, Action: CLIENT, Condition: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } } };
const apArn = { 'Fn::Sub': 'arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/*' };
const goodAp = {
  Type: 'AWS::EFS::AccessPoint',
  Properties: { FileSystemId: { Ref: 'Fs' }, PosixUser: { Uid: '50000', Gid: '50000' }, RootDirectory: { Path: '/temp', CreationInfo: { OwnerUid: '50000', OwnerGid: '50000', Permissions: '0750' } } },
};
const fs = (statements: unknown[] | string) => ({ Type: 'AWS::EFS::FileSystem', Properties: { FileSystemPolicy: typeof statements === 'string' ? statements : { Statement: statements } } });

describe('TEMP2-EfsAccessPointRequired', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const temp = new TempFileSystem(stack, 'Temp', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const host = new iam.Role(stack, 'Host', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    temp.grantReadWriteThroughAccessPoint(host);
    const plain = new efs.FileSystem(stack, 'Plain', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    plain.grant(other, 'elasticfilesystem:ClientWrite');
    const found = violations(stack, rule);

    it('accepts the TempFileSystem construct: access point, deny without one, grant pinned to it', () => {
      expect(found.filter((f) => f.startsWith('Temp') || f.startsWith('Host'))).toEqual([]);
    });
    it('fails a plain EFS L2 (no access point, no deny) and a grant of ClientWrite without the condition', () => {
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Plain[0-9A-F]+: AccessPoint=absent$/),
          expect.stringMatching(/^Plain[0-9A-F]+: FileSystemPolicy.AccessPointDeny=absent$/),
          expect.stringMatching(/^OtherDefaultPolicy[0-9A-F]+: PolicyDocument.Statement\[0\].AccessPointArn-condition=absent\(elasticfilesystem:ClientWrite\)$/),
        ]),
      );
    });
  });

  describe('hand-written templates', () => {
    it('accepts an access point, the Null deny and an Allow pinned to access points (object or JSON string)', () => {
      const allow = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/worker' }, Action: CLIENT.slice(0, 2), Condition: { StringLike: { 'elasticfilesystem:AccessPointArn': apArn } } };
      expect(violations(templateOf({ Fs: fs([AP_DENY, allow]), Ap: goodAp }), rule)).toEqual([]);
      expect(violations(templateOf({ Fs: fs(JSON.stringify({ Statement: [{ ...AP_DENY, Condition: { StringNotLike: { 'elasticfilesystem:AccessPointArn': 'arn:aws:elasticfilesystem:*:*:access-point/fsap-1' } } }] })), Ap: goodAp }), rule)).toEqual([]);
    });

    it('fails a file system with no access point and a policy granting ClientWrite without an access-point condition', () => {
      const allow = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:Client*', Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } } };
      expect(violations(templateOf({ Fs: fs([allow]) }), rule).sort()).toEqual(
        ['Fs: AccessPoint=absent', 'Fs: FileSystemPolicy.AccessPointDeny=absent', 'Fs: FileSystemPolicy.Statement[0].AccessPointArn-condition=absent'].sort(),
      );
    });

    it('fails a deny that only covers the TLS case and one whose access-point condition allows the absent key', () => {
      const tlsOnly = { ...AP_DENY, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
      const wrongWay = { ...AP_DENY, Condition: { Null: { 'elasticfilesystem:AccessPointArn': 'false' } } };
      expect(violations(templateOf({ Fs: fs([tlsOnly, wrongWay]), Ap: goodAp }), rule)).toEqual(['Fs: FileSystemPolicy.AccessPointDeny=absent']);
    });

    it('fails an access point as root, at the file system root, or without CreationInfo; warns on a computed uid', () => {
      const template = templateOf(
        {
          Fs: fs([AP_DENY]),
          Root: { Type: 'AWS::EFS::AccessPoint', Properties: { FileSystemId: { Ref: 'Fs' }, PosixUser: { Uid: 0, Gid: '0' } } },
          NoUser: { Type: 'AWS::EFS::AccessPoint', Properties: { FileSystemId: { Ref: 'Fs' }, RootDirectory: { Path: '/x', CreationInfo: { OwnerUid: '1', OwnerGid: '1', Permissions: '0700' } } } },
          Computed: { ...goodAp, Properties: { ...goodAp.Properties, PosixUser: { Uid: { Ref: 'Uid' }, Gid: '50000' } } },
        },
        { Parameters: { Uid: { Type: 'String' } } },
      );
      expect(violations(template, rule).sort()).toEqual(
        ['NoUser: PosixUser=absent', 'Root: PosixUser.Gid=0', 'Root: PosixUser.Uid=0', 'Root: RootDirectory.CreationInfo=absent', 'Root: RootDirectory.Path=/'].sort(),
      );
      expect(unresolvedWarnings(template, rule)).toEqual(['Computed: PosixUser.Uid=unresolved']);
    });

    it('fails a role policy with elasticfilesystem:* and no access-point condition, accepts one with ArnEquals', () => {
      const role = (condition?: unknown) => ({
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Statement: [] },
          Policies: [{ PolicyName: 'efs', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'elasticfilesystem:*', Resource: 'arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1', ...(condition ? { Condition: condition } : {}) }] } }],
        },
      });
      const template = templateOf({ Open: role(), Pinned: role({ ArnEquals: { 'elasticfilesystem:AccessPointArn': 'arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1' } }) });
      expect(violations(template, rule)).toEqual(['Open: Policies[0].PolicyDocument.Statement[0].AccessPointArn-condition=absent(elasticfilesystem:*)']);
    });
  });
});
