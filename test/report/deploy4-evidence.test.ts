import { CfnTemplate } from '../../lib/policy/rule';
import { environmentOf } from '../support/environment-view';
import { DEPLOY4_EVIDENCE_PARTS } from '../../lib/report/evidence/deploy';
import { extractorFor } from '../../lib/report/evidence';

describe('DEPLOY-4 evidence', () => {
  const template: CfnTemplate = {
    Resources: {
      Vpn: { Type: 'AWS::EC2::PrefixList', Properties: { PrefixListName: 'riverside-prod-vpn-ipv4', MaxEntries: 20, Entries: [{ Cidr: '10.99.0.0/22' }] } },
      Sg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'x', SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] },
      },
      Ssh: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: { 'Fn::GetAtt': ['Vpn', 'PrefixListId'] } } },
    },
  };

  test('shows headroom, weighted rule counts and the stack size', () => {
    const extractor = extractorFor('DEPLOY-4');
    expect(extractor?.governs).toEqual(expect.arrayContaining(['AWS::EC2::PrefixList', 'AWS::EC2::SecurityGroup']));
    const env = environmentOf(template, { name: 'prod', stack: 'Network', account: '222222222222', terminationProtection: true });
    const evidence = extractor!.extract({ env, all: [env] });
    const props = (id: string): Array<{ name: string; value: string }> => evidence.filter((e) => e.logicalId === id).flatMap((e) => [...e.properties]);
    expect(props('Vpn')).toEqual(expect.arrayContaining([
      { name: 'MaxEntries', value: '20' },
      { name: 'Entries (count)', value: '1' },
      { name: 'Resources in stack riverside-prod-network', value: '3 of 500' },
    ]));
    expect(props('Sg')).toEqual([
      { name: 'Ingress rules (prefix list = its MaxEntries)', value: '20 of 60' },
      { name: 'Egress rules (prefix list = its MaxEntries)', value: '1 of 60' },
    ]);
  });

  test('is built from a list of parts, so further DEPLOY-4 checks add a part', () => {
    expect(DEPLOY4_EVIDENCE_PARTS.length).toBeGreaterThanOrEqual(3);
  });
});

describe('NET-4 evidence', () => {
  test('shows each VPC endpoint policy, or that it has none', () => {
    const template: CfnTemplate = {
      Resources: {
        Open: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: 'com.amazonaws.us-east-1.s3' } },
        Scoped: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            ServiceName: 'com.amazonaws.us-east-1.s3',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*' }] },
          },
        },
      },
    };
    const env = environmentOf(template, { name: 'prod', stack: 'Network', account: '222222222222', terminationProtection: true });
    const evidence = extractorFor('NET-4')!.extract({ env, all: [env] });
    const props = (id: string): Array<{ name: string; value: string }> => evidence.filter((e) => e.logicalId === id).flatMap((e) => [...e.properties]);
    expect(props('Open')).toContainEqual({ name: 'PolicyDocument', value: '(not set: the endpoint admits every resource of the service)' });
    expect(props('Scoped')).toContainEqual({ name: 'PolicyDocument.Statement[0]', value: 'Allow s3:GetObject on arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*' });
  });
});
