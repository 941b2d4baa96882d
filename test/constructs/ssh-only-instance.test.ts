import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AllowList, AllowListNetwork } from '../../constructs/allow-list';
import { SshOnlyInstance, SshOnlyInstanceProps } from '../../constructs/ssh-only-instance';
import {
  missingSshdDirectives,
  SSHD_DROP_IN_PATH,
  SSHD_EFFECTIVE_CHECKS,
  SSHD_REQUIRED_DIRECTIVE_LINES,
  SSHD_REQUIRED_DIRECTIVES,
} from '../../constructs/sshd-hardening';

type Json = Record<string, unknown>;

const ENTRIES: AllowListNetwork[] = [
  { cidr: '10.99.0.0/22', kind: 'vpn', owner: 'Security office', purpose: 'Client VPN' },
  { cidr: '2001:db8:99::/48', kind: 'vpn', owner: 'Security office', purpose: 'Client VPN (IPv6)' },
  { cidr: '198.51.100.0/24', kind: 'agency', owner: 'Riverside ISD IT', purpose: 'District office' },
];

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-only-instance-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

interface Built {
  stack: Stack;
  vpc: ec2.Vpc;
  allowList: AllowList;
}

function scaffold(): Built {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Orchestration', { env: { account: '222222222222', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const allowList = new AllowList(stack, 'AllowList', { entries: ENTRIES, namePrefix: 'riverside-prod', today: '2026-03-01' });
  return { stack, vpc, allowList };
}

function build(extra: Partial<SshOnlyInstanceProps> = {}): Built & { host: SshOnlyInstance } {
  const built = scaffold();
  const host = new SshOnlyInstance(built.stack, 'Airflow', {
    vpc: built.vpc,
    instanceType: new ec2.InstanceType('m7i.large'),
    keyPairName: 'airflow-prod',
    terminationProtection: true,
    volumeKeyAlias: 'riverside-prod-airflow-ebs',
    ...extra,
  });
  host.allowSshFrom(built.allowList, ['vpn']);
  return { ...built, host };
}

function instanceProps(template: Template): Json {
  const instances = Object.values(template.findResources('AWS::EC2::Instance'));
  expect(instances).toHaveLength(1);
  return instances[0].Properties as Json;
}

/** The user data as text: Fn::Base64 unwrapped, Fn::Join flattened, other intrinsics shown as JSON. */
function userDataText(props: Json): string {
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as Json)['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(flatten).join(join[0]);
    return JSON.stringify(value);
  };
  return flatten((props.UserData as Json)['Fn::Base64']);
}

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('SshOnlyInstance instance properties (EC2-1, EC2-2, NET-3)', () => {
  let template: Template;
  let props: Json;
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-only-instance-shared-'));
    outdir = dir;
    template = Template.fromStack(build().stack);
    props = instanceProps(template);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('has no public IP and sits in a private subnet (NET-3)', () => {
    const nics = props.NetworkInterfaces as Json[];
    expect(nics).toHaveLength(1);
    expect(nics[0].AssociatePublicIpAddress).toBe(false);
    const subnetRef = (nics[0].SubnetId as Json).Ref as string;
    expect(subnetRef).toMatch(/PrivateSubnet/);
    expect(props.SubnetId).toBeUndefined();
  });

  test('uses the named key pair (EC2-1)', () => {
    expect(props.KeyName).toBe('airflow-prod');
  });

  test('requires IMDSv2 with hop limit 1 on the instance itself (EC2-2)', () => {
    expect(props.MetadataOptions).toEqual(expect.objectContaining({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }));
    expect((props.MetadataOptions as Json).HttpEndpoint).not.toBe('disabled');
  });

  test('encrypts the root volume with a customer-managed key (EC2-2)', () => {
    const mappings = props.BlockDeviceMappings as Json[];
    expect(mappings).toHaveLength(1);
    expect(mappings[0].DeviceName).toBe('/dev/xvda');
    const ebs = mappings[0].Ebs as Json;
    expect(ebs.Encrypted).toBe(true);
    expect(ebs.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key'), 'Arn'] });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/riverside-prod-airflow-ebs' });
  });

  test('has detailed monitoring and termination protection', () => {
    expect(props.Monitoring).toBe(true);
    expect(props.DisableApiTermination).toBe(true);
  });

  test('the security group admits only port 22 from prefix lists and has no open egress (NET-1, NET-4)', () => {
    const sgId = (((props.NetworkInterfaces as Json[])[0].GroupSet as Json[])[0] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const sg = template.findResources('AWS::EC2::SecurityGroup')[sgId].Properties as Json;
    const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties as Json)
      .filter((p) => JSON.stringify(p.GroupId).includes(sgId));
    const ingress = [...(((sg.SecurityGroupIngress as Json[] | undefined) ?? [])), ...standalone];
    const listIds = Object.keys(template.findResources('AWS::EC2::PrefixList')).filter((id) => /vpn/.test(id));
    expect(listIds).toHaveLength(2);
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 });
      expect(rule.CidrIp).toBeUndefined();
      expect(rule.CidrIpv6).toBeUndefined();
      expect(listIds).toContain((rule.SourcePrefixListId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    }
    const egress = (sg.SecurityGroupEgress as Json[] | undefined) ?? [];
    for (const rule of egress) {
      expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      expect(rule.CidrIpv6).not.toBe('::/0');
    }
    const standaloneEgress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties as Json);
    expect(standaloneEgress.filter((p) => p.CidrIp === '0.0.0.0/0' || p.CidrIpv6 === '::/0')).toEqual([]);
  });

  test('user data writes every required sshd directive, validates with sshd -t and checks sshd -T (EC2-1)', () => {
    const text = userDataText(props);
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain(`cat > ${SSHD_DROP_IN_PATH}`);
    for (const line of SSHD_REQUIRED_DIRECTIVE_LINES) {
      expect(text.split('\n')).toContain(line);
    }
    expect(missingSshdDirectives(text)).toEqual([]);
    expect(text).toMatch(/if ! \/usr\/sbin\/sshd -t; then .* exit 1; fi/);
    for (const check of SSHD_EFFECTIVE_CHECKS) {
      expect(text).toContain(`grep -qx '${check}'`);
    }
    expect(text).toContain('/usr/sbin/sshd -T');
    // Validation precedes the restart, so a bad config never replaces a running one.
    expect(text.indexOf('sshd -t')).toBeLessThan(text.indexOf('systemctl restart sshd'));
    expect(text.indexOf('sshd -T')).toBeLessThan(text.indexOf('systemctl restart sshd'));
    expect(text).toContain('set -euo pipefail');
  });

  test('the default role carries no managed policy', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role')).map((r) => r.Properties as Json);
    expect(roles).toHaveLength(1);
    expect(roles[0].ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(roles[0].AssumeRolePolicyDocument)).toContain('ec2.amazonaws.com');
  });

  test('uses the Amazon Linux 2023 image', () => {
    expect(JSON.stringify(props.ImageId)).toMatch(/al2023/i);
  });
});

describe('SshOnlyInstance options', () => {
  test('terminationProtection false turns DisableApiTermination off; the default is on', () => {
    expect(instanceProps(Template.fromStack(build({ terminationProtection: false }).stack)).DisableApiTermination).toBe(false);
    expect(instanceProps(Template.fromStack(build({ terminationProtection: undefined }).stack)).DisableApiTermination).toBe(true);
  });

  test('a passed key encrypts the root volume and no key is created', () => {
    const built = scaffold();
    const key = kms.Key.fromKeyArn(built.stack, 'Given', 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new SshOnlyInstance(built.stack, 'Host', { vpc: built.vpc, instanceType: new ec2.InstanceType('t3.large'), keyPairName: 'k', volumeKey: key });
    const template = Template.fromStack(built.stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const ebs = ((instanceProps(template).BlockDeviceMappings as Json[])[0].Ebs as Json);
    expect(ebs).toMatchObject({ Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
  });

  test('addUserDataCommands appends after the hardening', () => {
    const { stack, host } = build();
    host.addUserDataCommands('mount -t efs -o tls,iam fs-12345678 /mnt/tmp');
    const text = userDataText(instanceProps(Template.fromStack(stack)));
    expect(text).toContain('mount -t efs -o tls,iam fs-12345678 /mnt/tmp');
    expect(text.indexOf('systemctl restart sshd')).toBeLessThan(text.indexOf('mount -t efs'));
  });

  test('sshFrom accepts prefix-list peers', () => {
    const built = scaffold();
    const [list] = built.allowList.prefixLists('agency');
    new SshOnlyInstance(built.stack, 'Host', {
      vpc: built.vpc,
      instanceType: new ec2.InstanceType('t3.large'),
      keyPairName: 'k',
      sshFrom: [ec2.Peer.prefixList(list.prefixListId)],
    });
    const rules = Object.values(Template.fromStack(built.stack).findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties as Json);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ FromPort: 22, ToPort: 22, IpProtocol: 'tcp' });
    expect(rules[0].SourcePrefixListId).toBeDefined();
  });

  test.each([
    ['anyIpv4', () => ec2.Peer.anyIpv4(), /SSH from 0\.0\.0\.0\/0 opens the host to the internet \(NET-1, EC2-1\)/],
    ['anyIpv6', () => ec2.Peer.anyIpv6(), /SSH from ::\/0 opens the host to the internet/],
    ['a CIDR', () => ec2.Peer.ipv4('198.51.100.0/24'), /SSH is admitted only from managed prefix lists \(NET-1\)/],
  ])('sshFrom refuses %s', (_name, peer, message) => {
    const built = scaffold();
    expect(
      () => new SshOnlyInstance(built.stack, 'Host', { vpc: built.vpc, instanceType: new ec2.InstanceType('t3.large'), keyPairName: 'k', sshFrom: [peer()] }),
    ).toThrow(message);
  });

  test('refuses public subnets, by type or by explicit subnets (NET-3)', () => {
    const built = scaffold();
    const base = { vpc: built.vpc, instanceType: new ec2.InstanceType('t3.large'), keyPairName: 'k' };
    expect(() => new SshOnlyInstance(built.stack, 'A', { ...base, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })).toThrow(
      /selects PUBLIC subnets \(NET-3\)/,
    );
    expect(() => new SshOnlyInstance(built.stack, 'B', { ...base, vpcSubnets: { subnets: built.vpc.publicSubnets } })).toThrow(
      /resolves to public subnets \(NET-3\)/,
    );
  });

  test('refuses an empty key pair name (EC2-1)', () => {
    const built = scaffold();
    expect(() => new SshOnlyInstance(built.stack, 'A', { vpc: built.vpc, instanceType: new ec2.InstanceType('t3.large'), keyPairName: ' ' })).toThrow(
      /keyPairName is required \(EC2-1\)/,
    );
  });

  test('an ARM instance type gets the ARM image', () => {
    const built = scaffold();
    new SshOnlyInstance(built.stack, 'Arm', { vpc: built.vpc, instanceType: new ec2.InstanceType('m7g.large'), keyPairName: 'k' });
    expect(JSON.stringify(instanceProps(Template.fromStack(built.stack)).ImageId)).toMatch(/arm64/);
  });
});

describe('SshOnlyInstance pinned image and boot signal (DEPLOY-5)', () => {
  test('the default image is looked up at synth time and cached in context, never an SSM parameter resolved at deploy', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    expect(Object.values(template.toJSON().Parameters ?? {}).map((p) => (p as Json).Type)).not.toContain('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
    expect(typeof instanceProps(template).ImageId).toBe('string');
  });

  test('a given image is used as is', () => {
    const { stack } = build({ machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) });
    expect(instanceProps(Template.fromStack(stack)).ImageId).toBe('ami-0123456789abcdef0');
  });

  test('CreationPolicy waits for the signal the user data sends with the script\'s exit status', () => {
    const { stack, host } = build({ signalTimeout: Duration.minutes(20) });
    host.addUserDataCommands('mount -a');
    const template = Template.fromStack(stack);
    const [logicalId, instance] = Object.entries(template.findResources('AWS::EC2::Instance'))[0];
    expect(instance.CreationPolicy).toEqual({ ResourceSignal: { Timeout: 'PT20M' } });
    const text = userDataText(instance.Properties as Json);
    expect(text).toContain(`/opt/aws/bin/cfn-signal --stack Orchestration --resource ${logicalId} --region us-east-1 -e $exitCode`);
    expect(text.indexOf('trap exitTrap EXIT')).toBeLessThan(text.indexOf('set -euo pipefail'));
    expect(text.indexOf('dnf install -y aws-cfn-bootstrap')).toBeLessThan(text.indexOf('set -euo pipefail'));
    expect(text.indexOf('systemctl restart sshd')).toBeLessThan(text.indexOf('mount -a'));
    expect(Object.values(Template.fromStack(build().stack).findResources('AWS::EC2::Instance'))[0].CreationPolicy).toEqual({ ResourceSignal: { Timeout: 'PT15M' } });
  });
});

describe('missingSshdDirectives', () => {
  test('finds directives that are missing or commented out', () => {
    const all = SSHD_REQUIRED_DIRECTIVE_LINES.join('\n');
    expect(missingSshdDirectives(all)).toEqual([]);
    expect(missingSshdDirectives(all.toLowerCase())).toEqual([]);
    const withoutPassword = all.replace('PasswordAuthentication no', '#PasswordAuthentication no');
    expect(missingSshdDirectives(withoutPassword)).toEqual([SSHD_REQUIRED_DIRECTIVES[0]]);
    expect(missingSshdDirectives(all.replace('PermitRootLogin no', 'PermitRootLogin yes')).map((d) => d.keyword)).toEqual(['PermitRootLogin']);
  });
});
