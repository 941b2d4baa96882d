import { Match } from 'aws-cdk-lib/assertions';
import { buildStages, exampleConfig, templateOf } from '../support/example-app';

const stages = buildStages();
const prod = templateOf(stages.prod.network);
const dev = templateOf(stages.dev.network);

test('snapshot is stable', () => {
  expect(prod.toJSON()).toMatchSnapshot();
});

describe('NET-3 private by default', () => {
  test('no subnet maps public IPs on launch', () => {
    const subnets = prod.findResources('AWS::EC2::Subnet');
    expect(Object.keys(subnets).length).toBe(4);
    for (const subnet of Object.values(subnets)) {
      expect(subnet.Properties.MapPublicIpOnLaunch).not.toBe(true);
    }
  });

  test('AWS APIs are reached through VPC endpoints', () => {
    prod.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
    const interfaces = Object.values(prod.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    const services = interfaces.map((e) => JSON.stringify(e.Properties.ServiceName));
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'logs', 'monitoring', 'sts']) {
      expect(services.some((s) => s.includes(`.${service}"`))).toBe(true);
    }
  });

  test('subnets are in named zones of the region (no lookup, no placeholder zones)', () => {
    const zones = Object.values(prod.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone);
    expect([...new Set(zones)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
    // A lookup the CLI would have to answer (a second app run offline) leaves "missing" context.
    const assembly = stages.prod.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('the production VPC has one NAT gateway per configured count', () => {
    prod.resourceCountIs('AWS::EC2::NatGateway', 2);
    dev.resourceCountIs('AWS::EC2::NatGateway', 1);
  });
});

describe('LOG-4 flow logs', () => {
  test('all traffic goes to an encrypted, retained, masked log group', () => {
    prod.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    prod.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/riverside/prod/vpc-flow-logs',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 731,
        DataProtectionPolicy: Match.anyValue(),
      },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('NET-1, NET-2 allow-lists', () => {
  test('one managed prefix list per kind, with owner and expiry in each entry', () => {
    const lists = Object.values(prod.findResources('AWS::EC2::PrefixList'));
    const names = lists.map((l) => l.Properties.PrefixListName).sort();
    // The contractor entry is limited to dev.
    expect(names).toEqual(['riverside-prod-agency-ipv4', 'riverside-prod-bi-ipv4', 'riverside-prod-orchestration-ipv4', 'riverside-prod-vpn-ipv4']);
    const devContractor = Object.values(dev.findResources('AWS::EC2::PrefixList')).find((l) => l.Properties.PrefixListName.includes('contractor'));
    expect(devContractor?.Properties.Entries).toEqual([
      { Cidr: '203.0.113.200/30', Description: expect.stringMatching(/owner=Data migration contractor.*expires=2027-06-30/) },
    ]);
  });

  test('SSH reaches the orchestration group only from the administrator (vpn, admin) prefix lists', () => {
    const sshRules = Object.values(prod.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 22 } }));
    const lists = prod.findResources('AWS::EC2::PrefixList');
    // The example has one administrator network (the VPN pool); agency, BI and orchestration lists never reach 22.
    expect(sshRules.length).toBe(1);
    for (const rule of sshRules) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      const [listId] = rule.Properties.SourcePrefixListId['Fn::GetAtt'];
      expect(lists[listId].Properties.Tags).toContainEqual({ Key: 'kind', Value: 'vpn' });
    }
  });

  test('DEPLOY-4: every prefix list has headroom (MaxEntries above its entries)', () => {
    for (const list of Object.values(prod.findResources('AWS::EC2::PrefixList'))) {
      expect(list.Properties.MaxEntries).toBe(20);
      expect(list.Properties.Entries.length).toBeLessThan(list.Properties.MaxEntries);
    }
  });

  test('no ingress rule anywhere opens a range to the internet', () => {
    const text = JSON.stringify(prod.toJSON());
    expect(text).not.toMatch(/"CidrIp":"0\.0\.0\.0\/0","Description":"[^"]*","FromPort":22/);
    for (const sg of Object.values(prod.findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupIngress ?? []) {
        expect(rule.CidrIp).not.toBe('0.0.0.0/0');
        expect(rule.CidrIpv6).not.toBe('::/0');
      }
    }
  });
});

describe('NET-4 / LOG-1: the default-security-group custom resource logs to a managed group', () => {
  test('the provider handler writes to a sanitized log group that exists before it runs', () => {
    const [handlerId, handler] = Object.entries(prod.findResources('AWS::Lambda::Function'))[0];
    const ref = handler.Properties.LoggingConfig.LogGroup.Ref as string;
    const group = prod.findResources('AWS::Logs::LogGroup')[ref];
    expect(group.Properties).toMatchObject({ LogGroupName: '/riverside/prod/default-sg-restrictor', KmsKeyId: expect.anything(), RetentionInDays: 731, DataProtectionPolicy: expect.anything() });
    expect(handler.DependsOn).toContain(ref);
    expect(handlerId).toMatch(/VpcRestrictDefaultSG/);
  });
});

describe('NET-4 endpoint policies', () => {
  const endpoints = (): Array<Record<string, any>> => Object.values(prod.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties); // eslint-disable-line @typescript-eslint/no-explicit-any -- template JSON
  // Interface services are literal names; the S3 gateway's is Fn::Join ['', ['com.amazonaws.', Ref AWS::Region, '.s3']].
  const serviceOf = (e: Record<string, unknown>): string => (typeof e.ServiceName === 'string' ? e.ServiceName : JSON.stringify(e.ServiceName)).replace(/"\]\]\}$/, '').split('.').pop() ?? '';

  test('the S3 gateway endpoint admits only the deployment buckets (this account) and the AL2023 repository', () => {
    const s3 = endpoints().find((e) => serviceOf(e) === 's3')!;
    const statements = s3.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    const buckets = ['riverside-prod-lake-222222222222', 'riverside-prod-lake-access-logs-222222222222', 'riverside-prod-trail-222222222222'];
    expect(statements[0].Resource.sort()).toEqual(buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]).sort());
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': '222222222222', 'aws:PrincipalAccount': '222222222222' } });
    expect(statements[0].Action).not.toContain('s3:*');
    expect(statements[1]).toMatchObject({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*' });
  });

  test('interface endpoints that take a policy admit only this account', () => {
    const byService = new Map(endpoints().map((e) => [serviceOf(e), e.PolicyDocument]));
    for (const service of ['ssm', 'kms', 'logs', 'monitoring', 'sts']) {
      const [statement] = byService.get(service).Statement;
      expect(statement.Condition.StringEquals['aws:PrincipalAccount']).toBe('222222222222');
    }
    expect(byService.get('kms').Statement[0].Condition.StringEquals['aws:ResourceAccount']).toBe('222222222222');
    expect(byService.get('logs').Statement[0].Condition.StringEquals['aws:ResourceAccount']).toBe('222222222222');
    expect(byService.get('monitoring').Statement[0].Action).toBe('cloudwatch:*');
  });
});

describe('NET-4 egress', () => {
  test('the orchestration group sends HTTPS only, and no group allows all protocols out', () => {
    prod.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('Airflow host'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    for (const sg of Object.values(prod.findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupEgress ?? []) expect(rule.IpProtocol).not.toBe('-1');
    }
  });
});

describe('DEPLOY-4 configured capacity and quota', () => {
  test('per-kind capacity reaches the lists; a raised quota is declared on the SSH group for the gate', () => {
    const config = exampleConfig();
    const raised = buildStages({ ...config, deployment: { ...config.deployment, prefixListCapacity: { vpn: 50, agency: 100 }, securityGroupRuleQuota: 100 } });
    const t = templateOf(raised.prod.network);
    const sizes = Object.fromEntries(Object.values(t.findResources('AWS::EC2::PrefixList')).map((l) => [l.Properties.PrefixListName, l.Properties.MaxEntries]));
    expect(sizes).toMatchObject({ 'riverside-prod-vpn-ipv4': 50, 'riverside-prod-agency-ipv4': 100, 'riverside-prod-bi-ipv4': 20 });
    const [group] = Object.values(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Airflow host') } }));
    expect(group.Metadata).toMatchObject({ 'edu-baseline:securityGroupRuleQuota': 100 });
    const [defaultGroup] = Object.values(prod.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Airflow host') } }));
    expect(defaultGroup.Metadata?.['edu-baseline:securityGroupRuleQuota']).toBeUndefined();
  });
});
