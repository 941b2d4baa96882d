import { resourcesOfType } from '../cloud-assembly';
import { NAME_PROPERTIES } from '../../policy/rules/deploy/named-resources-retry';
import { ControlExtractor, evidenceOf, EvidenceProperty } from './types';
import { props, refersTo, renderStatement, renderValue, statementsOf } from './values';

/** Which template resources encrypt with a key: trails, log groups, topics (what DEPLOY-1 checks the key policy for). */
const KEY_USERS: ReadonlyArray<readonly [string, string]> = [
  ['AWS::CloudTrail::Trail', 'KMSKeyId'],
  ['AWS::Logs::LogGroup', 'KmsKeyId'],
  ['AWS::SNS::Topic', 'KmsMasterKeyId'],
];

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
  {
    control: 'DEPLOY-1',
    governs: ['AWS::KMS::Key'],
    beyondTemplates:
      'Deploy-time acceptance itself: CloudTrail, CloudWatch Logs and SNS check the key policy when the trail, log group or encrypted publish is ' +
      'created; the statements below are the ones AWS documents for each service ("Configure AWS KMS key policies for CloudTrail", "Encrypt log ' +
      'data in CloudWatch Logs using AWS KMS", "Enable compatibility between event sources from AWS services and encrypted topics").',
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::KMS::Key').flatMap((key) => {
        const users = env.resources.filter(
          (r) => r.stack === key.stack && KEY_USERS.some(([type, property]) => r.type === type && refersTo(r.resource.Properties?.[property], key.logicalId)),
        );
        if (users.length === 0) return [];
        const properties: EvidenceProperty[] = [{ name: 'Encrypts for', value: users.map((u) => `${u.type} ${u.logicalId}`).join(', ') }];
        statementsOf(key.resource.Properties?.KeyPolicy).forEach((s, i) => {
          if (JSON.stringify(s.Principal ?? null).includes('"Service"')) properties.push({ name: `KeyPolicy.Statement[${i}]`, value: renderStatement(s) });
        });
        return [evidenceOf(key, properties)];
      }),
  },
  {
    control: 'DEPLOY-2',
    governs: Object.keys(NAME_PROPERTIES),
    inScope: ({ env }) =>
      resourcesOfType(env, ...Object.keys(NAME_PROPERTIES)).some((r) => r.resource.Properties?.[NAME_PROPERTIES[r.type]] !== undefined),
    extract: ({ env }) =>
      resourcesOfType(env, ...Object.keys(NAME_PROPERTIES))
        .filter((r) => r.resource.Properties?.[NAME_PROPERTIES[r.type]] !== undefined && r.resource.DeletionPolicy !== undefined)
        .map((r) =>
          evidenceOf(r, [
            { name: NAME_PROPERTIES[r.type], value: renderValue(r.resource.Properties?.[NAME_PROPERTIES[r.type]]) },
            ...props(r, ['@DeletionPolicy', '@UpdateReplacePolicy']),
          ]),
        ),
  },
];
