import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TempFileSystem, TempFileSystemProps } from '../../constructs/temp-file-system';

type Json = Record<string, unknown>;
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-file-system-test-'));
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

interface Fixture {
  stack: Stack;
  vpc: ec2.Vpc;
  client: ec2.SecurityGroup;
  temp: TempFileSystem;
  template: Template;
}

function build(props: Partial<TempFileSystemProps> = {}, after?: (f: Omit<Fixture, 'template'>) => void): Fixture {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Temp', { env: { account: '111122223333', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const client = new ec2.SecurityGroup(stack, 'Orchestration', { vpc, allowAllOutbound: false });
  const temp = new TempFileSystem(stack, 'Temp', { vpc, clients: [client], ...props });
  after?.({ stack, vpc, client, temp });
  return { stack, vpc, client, temp, template: Template.fromStack(stack) };
}

function only(template: Template, type: string): { id: string; resource: Json; props: Json } {
  const entries = Object.entries(template.findResources(type) as Record<string, Json>);
  expect(entries).toHaveLength(1);
  return { id: entries[0][0], resource: entries[0][1], props: (entries[0][1].Properties ?? {}) as Json };
}

function idOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as ec2.CfnSecurityGroup);
}

/** Every ingress rule on a security group, inline or as a separate resource. */
function ingressRules(template: Template, sgId: string): Json[] {
  const sg = template.findResources('AWS::EC2::SecurityGroup')[sgId] as Json;
  const inline = (((sg.Properties as Json).SecurityGroupIngress as Json[] | undefined) ?? []);
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Record<string, Json>)
    .map((r) => r.Properties as Json)
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify({ 'Fn::GetAtt': [sgId, 'GroupId'] }));
  return [...inline, ...separate];
}

function egressRules(template: Template, sgId: string): Json[] {
  const sg = template.findResources('AWS::EC2::SecurityGroup')[sgId] as Json;
  const inline = (((sg.Properties as Json).SecurityGroupEgress as Json[] | undefined) ?? []);
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress') as Record<string, Json>)
    .map((r) => r.Properties as Json)
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify({ 'Fn::GetAtt': [sgId, 'GroupId'] }));
  return [...inline, ...separate];
}

describe('TempFileSystem (TEMP-1, TEMP-2, TEMP-3, KEEP-1)', () => {
  const fixture = build();
  const { template, stack } = fixture;
  const fileSystem = only(template, 'AWS::EFS::FileSystem');
  const sgId = idOf(stack, fixture.temp.securityGroup);
  const clientId = idOf(stack, fixture.client);

  test('TEMP-1: encrypted with the construct CMK (rotating, retained)', () => {
    const key = only(template, 'AWS::KMS::Key');
    expect(fileSystem.props.Encrypted).toBe(true);
    expect(fileSystem.props.KmsKeyId).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    expect((key.props as Json).EnableKeyRotation).toBe(true);
    expect(key.resource.DeletionPolicy).toBe('Retain');
  });

  test('TEMP-2: the file-system policy denies non-TLS and requests without an access point, and allows nothing', () => {
    const statements = (fileSystem.props.FileSystemPolicy as Json).Statement as Json[];
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
    expect(statements.slice(0, 1)).toEqual([
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  test('TEMP-2: granting mount keeps the policy free of Allow statements (no CDK anonymous-access statement)', () => {
    const f = build({}, ({ stack: s, temp }) => {
      temp.grantReadWriteThroughAccessPoint(new iam.Role(s, 'Host', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    });
    const statements = (only(f.template, 'AWS::EFS::FileSystem').props.FileSystemPolicy as Json).Statement as Json[];
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test('TEMP-2: mount targets only in the private subnets, behind the construct security group', () => {
    const targets = Object.values(template.findResources('AWS::EFS::MountTarget') as Record<string, Json>).map((r) => r.Properties as Json);
    const privateIds = fixture.vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
    expect(targets.map((t) => t.SubnetId)).toEqual(privateIds);
    for (const t of targets) expect(t.SecurityGroups).toEqual([{ 'Fn::GetAtt': [sgId, 'GroupId'] }]);
  });

  test('TEMP-2: ingress is TCP 2049 from the client security group only', () => {
    expect(ingressRules(template, sgId)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 2049,
        ToPort: 2049,
        SourceSecurityGroupId: { 'Fn::GetAtt': [clientId, 'GroupId'] },
      }),
    ]);
    for (const rule of ingressRules(template, sgId)) {
      expect(rule).not.toHaveProperty('CidrIp');
      expect(rule).not.toHaveProperty('CidrIpv6');
      expect(rule).not.toHaveProperty('SourcePrefixListId');
    }
  });

  test('TEMP-2 / NET-4: the mount-target group sends nothing to the internet', () => {
    const egress = egressRules(template, sgId);
    expect(egress.length).toBeGreaterThan(0);
    for (const rule of egress) {
      expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      expect(rule.CidrIpv6).not.toBe('::/0');
      expect(rule.IpProtocol).not.toBe('-1');
    }
  });

  test('a client with restricted egress gets egress to the mount targets on 2049', () => {
    expect(egressRules(template, clientId)).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, DestinationSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } }),
    ]);
  });

  test('allowClientsFrom adds another client group', () => {
    const f = build({ clients: [] }, ({ stack: s, vpc, temp }) => {
      temp.allowClientsFrom(new ec2.SecurityGroup(s, 'Worker', { vpc }));
    });
    const rules = ingressRules(f.template, idOf(f.stack, f.temp.securityGroup));
    expect(rules).toHaveLength(1);
    expect(rules[0].SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Worker/), 'GroupId'] });
  });

  test('without clients, nothing can reach the mount targets', () => {
    const f = build({ clients: [] });
    expect(ingressRules(f.template, idOf(f.stack, f.temp.securityGroup))).toEqual([]);
  });

  test('TEMP-3: idle files move to IA after 7 days and never back; general purpose', () => {
    expect(fileSystem.props.LifecyclePolicies).toEqual([{ TransitionToIA: 'AFTER_7_DAYS' }]);
    expect(fileSystem.props.PerformanceMode).toBe('generalPurpose');
  });

  test('TEMP-3: transition period is configurable', () => {
    const f = build({ transitionToIA: efs.LifecyclePolicy.AFTER_1_DAY });
    expect(only(f.template, 'AWS::EFS::FileSystem').props.LifecyclePolicies).toEqual([{ TransitionToIA: 'AFTER_1_DAY' }]);
  });

  test('automatic backups are off by default (temporary data)', () => {
    expect(fileSystem.props.BackupPolicy).toBeUndefined();
  });

  test('KEEP-1: retained by default; removal policy is a prop', () => {
    expect(fileSystem.resource.DeletionPolicy).toBe('Retain');
    expect(fileSystem.resource.UpdateReplacePolicy).toBe('Retain');
    const f = build({ removalPolicy: RemovalPolicy.DESTROY });
    expect(only(f.template, 'AWS::EFS::FileSystem').resource.DeletionPolicy).toBe('Delete');
  });

  test('TEMP-2: an access point with the workload\'s POSIX identity and a root directory EFS creates for it', () => {
    const ap = only(template, 'AWS::EFS::AccessPoint');
    expect(ap.props).toEqual(
      expect.objectContaining({
        FileSystemId: { Ref: fileSystem.id },
        PosixUser: { Uid: '50000', Gid: '50000' },
        RootDirectory: { Path: '/temp', CreationInfo: { OwnerUid: '50000', OwnerGid: '50000', Permissions: '0750' } },
      }),
    );
    const f = build({ posixUser: { uid: '61000', gid: '61001' }, rootDirectoryPath: '/airflow', rootDirectoryPermissions: '0700' });
    expect(only(f.template, 'AWS::EFS::AccessPoint').props.RootDirectory).toEqual({ Path: '/airflow', CreationInfo: { OwnerUid: '61000', OwnerGid: '61001', Permissions: '0700' } });
  });

  test('TEMP-2: the policy denies every client request made without an access point', () => {
    const statements = (fileSystem.props.FileSystemPolicy as Json).Statement as Json[];
    expect(statements).toContainEqual({
      Sid: 'DenyWithoutAccessPoint',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
      Condition: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
    });
  });

  test('grantReadWriteThroughAccessPoint: ClientMount/ClientWrite through a mount target and the access point only, no root access', () => {
    const f = build({}, ({ stack: s, temp }) => {
      temp.grantReadWriteThroughAccessPoint(new iam.Role(s, 'Host', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    });
    const fsId = only(f.template, 'AWS::EFS::FileSystem').id;
    const policy = only(f.template, 'AWS::IAM::Policy');
    expect((policy.props.PolicyDocument as Json).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: { 'Fn::GetAtt': [fsId, 'Arn'] },
        Condition: {
          Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
          StringEquals: {
            'elasticfilesystem:AccessPointArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticfilesystem:us-east-1:111122223333:access-point/', { Ref: only(f.template, 'AWS::EFS::AccessPoint').id }]],
            },
          },
        },
      },
    ]);
  });

  test('mount targets in public subnets are refused', () => {
    expect(() => build({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })).toThrow(/private subnets.*public subnets/);
  });

  test('isolated subnets can be chosen', () => {
    const f = build({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const subnets = Object.values(f.template.findResources('AWS::EFS::MountTarget') as Record<string, Json>).map((r) => (r.Properties as Json).SubnetId);
    expect(subnets).toEqual(f.vpc.isolatedSubnets.map((s) => ({ Ref: f.stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })));
  });

  test('an existing key is used instead of creating one', () => {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Own');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
    const shared = new kms.Key(stack, 'Shared');
    const temp = new TempFileSystem(stack, 'Temp', { vpc, encryptionKey: shared });
    const t = Template.fromStack(stack);
    expect(temp.encryptionKey).toBe(shared);
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toHaveLength(1);
    expect(only(t, 'AWS::EFS::FileSystem').props.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(shared.node.defaultChild as kms.CfnKey), 'Arn'] });
  });
});
