import { NAME_LIMITS, NAME_PROPERTIES, nameProblems } from '../../config/name-limits';
import { statementsOf } from '../../cfn/branches';
import { entryCountOf } from '../../cfn/prefix-lists';
import { ruleQuotaOf, ruleWeightOf, STACK_RESOURCE_LIMIT } from '../../cfn/quotas';
import { launchSettingsOf } from '../../cfn/launch-settings';
import { userDataText } from '../../cfn/user-data';
import { flattenString, isRecord, referencedLogicalId } from '../../cfn/values';
import { SSO_RESOURCE_TYPES } from '../../cfn/identity-policies';
import { UNIQUE_NAME_PROPERTIES } from '../../cfn/physical-names';
import { resourcesOfType } from '../cloud-assembly';
import { ControlExtractor, EvidenceProperty, EvidenceResource, evidenceOf, ExtractionContext } from './types';
import { props, refersTo, renderStatement, renderValue } from './values';

const HOSTS = ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::AutoScaling::AutoScalingGroup'];

/**
 * DEPLOY-4 (names): each named resource with its physical name, the name's
 * length against AWS's limit for that kind, and whether its characters and
 * form are accepted. Kept as its own function so the quota evidence of
 * DEPLOY-4 (prefix lists, rule counts, stack sizes) can be combined with it
 * in one extractor.
 */
export function physicalNameEvidence({ env }: ExtractionContext): EvidenceResource[] {
  return resourcesOfType(env, ...Object.keys(NAME_PROPERTIES)).flatMap((ref) => {
    const spec = NAME_PROPERTIES[ref.type];
    const value = ref.resource.Properties?.[spec.property];
    if (value === undefined) return [];
    const limit = NAME_LIMITS[spec.kind];
    const name = renderValue(value);
    const literal = typeof value === 'string';
    const problems = literal ? nameProblems(spec.kind, value) : [];
    return [
      evidenceOf(ref, [
        { name: spec.property, value: name },
        { name: `${spec.property} length`, value: literal ? `${value.length} of at most ${limit.max} (${limit.label})` : `computed at deploy time; literal parts only` },
        { name: `${spec.property} form`, value: literal ? (problems.length === 0 ? 'accepted' : problems.map((p) => p.message).join('; ')) : 'not judged (computed)' },
      ]),
    ];
  });
}

/**
 * One part of a control's evidence: the resource types it governs and the
 * resources with the values that prove it. A control whose checks grow gets
 * one more part in its list.
 */
export interface EvidencePart {
  readonly governs: readonly string[];
  extract(context: ExtractionContext): EvidenceResource[];
}

/** Builds a control's extractor from its parts. */
function fromParts(control: ControlExtractor['control'], parts: readonly EvidencePart[], beyondTemplates?: string): ControlExtractor {
  return {
    control,
    governs: [...new Set(parts.flatMap((p) => p.governs))],
    extract: (context) => parts.flatMap((p) => p.extract(context)),
    ...(beyondTemplates === undefined ? {} : { beyondTemplates }),
  };
}

/** DEPLOY-4: every prefix list's MaxEntries against its entry count (headroom). */
const prefixListHeadroom: EvidencePart = {
  governs: ['AWS::EC2::PrefixList'],
  extract: ({ env }) =>
    resourcesOfType(env, 'AWS::EC2::PrefixList').map((pl) =>
      evidenceOf(pl, [
        { name: 'PrefixListName', value: renderValue(pl.resource.Properties?.PrefixListName) },
        { name: 'MaxEntries', value: renderValue(pl.resource.Properties?.MaxEntries) },
        { name: 'Entries (count)', value: String(entryCountOf(pl.resource)) },
      ]),
    ),
};

/** DEPLOY-4: each security group's weighted rule count per direction against its quota. */
const securityGroupRuleWeights: EvidencePart = {
  governs: ['AWS::EC2::SecurityGroup'],
  extract: ({ env }) =>
    resourcesOfType(env, 'AWS::EC2::SecurityGroup').map((sg) => {
      const quota = ruleQuotaOf(sg.resource);
      return evidenceOf(
        sg,
        (['Ingress', 'Egress'] as const).map((direction) => {
          const { weight, uncounted } = ruleWeightOf(sg.logicalId, direction, sg.stack.template);
          const note = uncounted.length > 0 ? ` (${uncounted.length} prefix list(s) not countable from the template)` : '';
          return { name: `${direction} rules (prefix list = its MaxEntries)`, value: `${weight} of ${quota}${note}` };
        }),
      );
    }),
};

/** DEPLOY-4: resources per template against CloudFormation's limit, shown on each stack's first resource. */
const stackResourceCounts: EvidencePart = {
  governs: [],
  extract: ({ env }) =>
    env.stacks.flatMap((stack) => {
      const first = env.resources.find((r) => r.stack === stack);
      if (!first) return [];
      const count = Object.keys(stack.template.Resources ?? {}).length;
      return [evidenceOf(first, [{ name: `Resources in stack ${stack.stackName}`, value: `${count} of ${STACK_RESOURCE_LIMIT}` }])];
    }),
};

/** DEPLOY-4: physical names against AWS's limits. */
const physicalNames: EvidencePart = { governs: Object.keys(NAME_PROPERTIES), extract: physicalNameEvidence };

/** The parts of DEPLOY-4's evidence: quotas (prefix lists, rule counts, stack sizes) and names. */
export const DEPLOY4_EVIDENCE_PARTS: EvidencePart[] = [prefixListHeadroom, securityGroupRuleWeights, stackResourceCounts, physicalNames];

/** Which template resources encrypt with a key: trails, log groups, topics (what DEPLOY-1 checks the key policy for). */
const KEY_USERS: ReadonlyArray<readonly [string, string]> = [
  ['AWS::CloudTrail::Trail', 'KMSKeyId'],
  ['AWS::Logs::LogGroup', 'KmsKeyId'],
  ['AWS::SNS::Topic', 'KmsMasterKeyId'],
];

/** Evidence of DEPLOY-1..5: the template properties AWS checks at deploy time. */
export const deployExtractors: readonly ControlExtractor[] = [
  fromParts(
    'DEPLOY-4',
    DEPLOY4_EVIDENCE_PARTS,
    'Names derived from the config are checked before synthesis (validateConfig, DEPLOY-4 names), and so are prefix-list headroom and the ' +
      'SSH group\'s weighted rule count against deployment.securityGroupRuleQuota; the templates show the result.',
  ),
  {
    control: 'DEPLOY-3',
    governs: SSO_RESOURCE_TYPES,
    extract: ({ env }) =>
      resourcesOfType(env, ...SSO_RESOURCE_TYPES).map((r) => {
        const others = Object.values(r.stack.template.Resources ?? {}).filter((o) => !o.Type.startsWith('AWS::SSO::') && o.Type !== 'AWS::CDK::Metadata');
        return evidenceOf(r, [
          { name: 'Deployed to', value: r.stack.environment },
          { name: 'Stack', value: r.stack.stackName },
          { name: 'Other resources in the stack', value: others.length === 0 ? 'none' : others.map((o) => o.Type).join(', ') },
          ...props(r, r.type === 'AWS::SSO::Assignment' ? ['TargetType', 'TargetId'] : ['Name']),
        ]);
      }),
    beyondTemplates:
      'That the deploying account is the management account or the registered IAM Identity Center delegated administrator: ' +
      '`aws organizations list-delegated-administrators --service-principal sso.amazonaws.com` run from the management account.',
  },
  {
    control: 'DEPLOY-5',
    governs: HOSTS,
    extract: ({ env }) =>
      resourcesOfType(env, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration').map((r) => {
        const template = r.stack.template;
        const settings = launchSettingsOf(r.resource, r.logicalId, template);
        const image = settings.get('ImageId');
        const ref = referencedLogicalId(image);
        const parameter = ref !== undefined ? template.Parameters?.[ref] : undefined;
        const imageText = parameter !== undefined ? `parameter ${ref} (${String(parameter.Type)})` : image === undefined ? 'none' : flattenString(image, template).text;
        const properties: EvidenceProperty[] = [{ name: 'ImageId', value: imageText }];
        if (r.type === 'AWS::EC2::Instance') {
          const policy = r.resource.CreationPolicy;
          const signal = isRecord(policy) && isRecord(policy.ResourceSignal) ? policy.ResourceSignal : undefined;
          properties.push({ name: 'CreationPolicy.ResourceSignal', value: signal ? JSON.stringify(signal) : 'none' });
          const userData = settings.get('UserData');
          const text = userData === undefined ? '' : userDataText(userData, template).text;
          properties.push({ name: 'User data sends cfn-signal', value: /\bcfn-signal\b|\bsignal-resource\b/.test(text) ? 'yes' : 'no' });
        }
        return evidenceOf(r, properties);
      }),
    beyondTemplates:
      'That the boot succeeded: the stack event of the instance shows the SUCCESS signal; the image is recorded in the config ' +
      '(environments[].amiId) or in cdk.context.json, both under version control.',
  },
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
        for (const s of statementsOf(key.resource.Properties?.KeyPolicy)) {
          if (JSON.stringify(s.written.Principal ?? null).includes('"Service"')) properties.push({ name: `KeyPolicy.Statement[${s.index}]`, value: renderStatement(s) });
        }
        return [evidenceOf(key, properties)];
      }),
  },
  {
    control: 'DEPLOY-2',
    governs: Object.keys(UNIQUE_NAME_PROPERTIES),
    inScope: ({ env }) =>
      resourcesOfType(env, ...Object.keys(UNIQUE_NAME_PROPERTIES)).some((r) => r.resource.Properties?.[UNIQUE_NAME_PROPERTIES[r.type]] !== undefined),
    extract: ({ env }) =>
      resourcesOfType(env, ...Object.keys(UNIQUE_NAME_PROPERTIES))
        .filter((r) => r.resource.Properties?.[UNIQUE_NAME_PROPERTIES[r.type]] !== undefined && r.resource.DeletionPolicy !== undefined)
        .map((r) =>
          evidenceOf(r, [
            { name: UNIQUE_NAME_PROPERTIES[r.type], value: renderValue(r.resource.Properties?.[UNIQUE_NAME_PROPERTIES[r.type]]) },
            ...props(r, ['@DeletionPolicy', '@UpdateReplacePolicy']),
          ]),
        ),
  },
];
