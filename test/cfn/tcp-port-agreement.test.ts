import { coversTcpPort } from '../../lib/cfn/security-groups';
import { CfnTemplate } from '../../lib/cfn/template';
import { sshFromAllowListRule } from '../../lib/policy/rules/ec2/ssh-from-allow-list';
import { environmentOf } from '../support/environment-view';
import { extractorFor } from '../../lib/report/evidence';

/**
 * "Is TCP 22 open?" has one answer for the gate (EC21-SshFromAllowList) and
 * the evidence report (EC2-1 evidence lists the rules that reach SSH), for
 * every way AWS lets IpProtocol and the port range be written
 * (AWS::EC2::SecurityGroup Ingress: names in any case or protocol numbers,
 * -1 for all protocols; a TCP rule without a range cannot be bounded and is
 * read as open).
 */

type Rule = Record<string, unknown>;

const SPELLINGS: ReadonlyArray<{ readonly name: string; readonly rule: Rule; readonly open: boolean }> = [
  { name: 'tcp 22', rule: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }, open: true },
  { name: 'TCP 22', rule: { IpProtocol: 'TCP', FromPort: 22, ToPort: 22 }, open: true },
  { name: '"6" 22', rule: { IpProtocol: '6', FromPort: 22, ToPort: 22 }, open: true },
  { name: '6 (number) 22', rule: { IpProtocol: 6, FromPort: 22, ToPort: 22 }, open: true },
  { name: 'tcp "22" (strings)', rule: { IpProtocol: 'tcp', FromPort: '22', ToPort: '22' }, open: true },
  { name: 'tcp 0-65535', rule: { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 }, open: true },
  { name: 'tcp 20 without ToPort', rule: { IpProtocol: 'tcp', FromPort: 20 }, open: true },
  { name: 'tcp without ports', rule: { IpProtocol: 'tcp' }, open: true },
  { name: '-1', rule: { IpProtocol: '-1' }, open: true },
  { name: '-1 (number) with a range', rule: { IpProtocol: -1, FromPort: 80, ToPort: 80 }, open: true },
  { name: 'all', rule: { IpProtocol: 'all' }, open: true },
  { name: 'tcp 443', rule: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }, open: false },
  { name: 'TCP 2049', rule: { IpProtocol: 'TCP', FromPort: 2049, ToPort: 2049 }, open: false },
  { name: '"6" 23-1024', rule: { IpProtocol: '6', FromPort: 23, ToPort: 1024 }, open: false },
  { name: 'udp 22', rule: { IpProtocol: 'udp', FromPort: 22, ToPort: 22 }, open: false },
  { name: '"17" 0-65535', rule: { IpProtocol: '17', FromPort: 0, ToPort: 65535 }, open: false },
  { name: 'icmp', rule: { IpProtocol: 'icmp', FromPort: -1, ToPort: -1 }, open: false },
];

describe.each(SPELLINGS)('TCP 22 for $name', ({ rule, open }) => {
  const ingress: Rule = { ...rule, CidrIp: '203.0.113.7/32' };
  const template: CfnTemplate = {
    Resources: {
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [ingress] } },
    },
  };

  test(`the toolkit reads it as ${open ? 'open' : 'closed'}`, () => {
    expect(coversTcpPort(ingress, 22)).toBe(open);
  });

  test('the gate rule and the evidence report agree', () => {
    const gateSaysOpen = sshFromAllowListRule.check(template.Resources!.Sg, { logicalId: 'Sg', template }).violations.length > 0;
    const env = environmentOf(template, { name: 'dev', stack: 'Compute', account: '111111111111' });
    const evidence = extractorFor('EC2-1')!.extract({ env, all: [env] });
    const reportSaysOpen = evidence.some((e) => e.logicalId === 'Sg' && e.properties.length > 0);
    expect(gateSaysOpen).toBe(open);
    expect(reportSaysOpen).toBe(open);
  });
});
