import { resourcesOfType } from '../cloud-assembly';
import { coversTcpPort } from '../../cfn/security-groups';
import { isRecord } from '../../cfn/values';
import { ingressOf } from './temp';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props, userDataLines } from './values';

const HOSTS = ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate'];
const SSHD = /^(PasswordAuthentication|KbdInteractiveAuthentication|ChallengeResponseAuthentication|PermitRootLogin|PermitEmptyPasswords|AuthenticationMethods)\s/;

export const computeExtractors: readonly ControlExtractor[] = [
  {
    control: 'EC2-1',
    governs: HOSTS,
    extract: ({ env }) => {
      const hosts = resourcesOfType(env, ...HOSTS).map((h) => {
        const lt = h.type === 'AWS::EC2::LaunchTemplate' ? 'LaunchTemplateData.' : '';
        return evidenceOf(h, [...props(h, [`${lt}KeyName`]), ...userDataLines(h, `${lt}UserData`, SSHD)]);
      });
      const ssh = resourcesOfType(env, 'AWS::EC2::SecurityGroup')
        .map((sg) => ({ sg, rules: ingressOf(env, sg, (rule) => isRecord(rule) && coversTcpPort(rule, 22)) }))
        .filter(({ rules }) => rules.length > 0)
        .map(({ sg, rules }) => evidenceOf(sg, rules));
      return [...hosts, ...ssh];
    },
  },
  {
    control: 'EC2-2',
    governs: [...HOSTS, 'AWS::EC2::Volume'],
    extract: ({ env }) => [
      ...resourcesOfType(env, ...HOSTS).map((h) => {
        const lt = h.type === 'AWS::EC2::LaunchTemplate' ? 'LaunchTemplateData.' : '';
        const properties: EvidenceProperty[] = props(h, [
          `${lt}MetadataOptions.HttpTokens`,
          `${lt}BlockDeviceMappings[0].Ebs.Encrypted`,
          `${lt}BlockDeviceMappings[0].Ebs.KmsKeyId`,
          `${lt}DisableApiTermination`,
        ]);
        properties.push({ name: 'Stack termination protection (manifest)', value: String(h.stack.terminationProtection) });
        return evidenceOf(h, properties);
      }),
      ...resourcesOfType(env, 'AWS::EC2::Volume').map((v) => evidenceOf(v, props(v, ['Encrypted', 'KmsKeyId']))),
    ],
  },
];
