import { EnvironmentView, resourcesOfType, SideFile } from '../cloud-assembly';
import { ControlExtractor, evidenceOf, EvidenceResource, ExtractionContext } from './types';
import { IDENTITY_POLICY_TYPES } from '../../cfn/identity-policies';
import { matchingStatements, props } from './values';

/** The secrets contract the secrets stack writes next to its template (`<stack>.secrets-contract.json`). */
interface SecretsContract {
  readonly stackName?: string;
  readonly parameterRoot?: string;
  readonly keyAlias?: string;
  readonly keyLogicalId?: string;
  readonly parameters?: readonly { readonly name?: string; readonly maxAgeDays?: number; readonly tenantCode?: string }[];
}

function contracts(env: EnvironmentView): { file: SideFile; contract: SecretsContract }[] {
  return env.sideFiles
    .filter((f) => f.path.endsWith('.secrets-contract.json') && typeof f.content === 'object' && f.content !== null)
    .map((file) => ({ file, contract: file.content as SecretsContract }));
}

const CONTRACT_TYPE = 'secrets contract (cdk.out side file)';

const hasSecrets = ({ env }: ExtractionContext): boolean =>
  contracts(env).length > 0 || env.resources.some((r) => r.type === 'AWS::SSM::Parameter');

function contractEvidence(env: EnvironmentView, contract: SecretsContract, withAges: boolean): EvidenceResource {
  const properties = [
    { name: 'parameterRoot', value: contract.parameterRoot ?? '(not set)' },
    { name: 'keyAlias', value: contract.keyAlias ?? '(not set)' },
  ];
  for (const p of contract.parameters ?? []) {
    properties.push({ name: withAges ? `${p.name ?? '?'} maxAgeDays` : 'parameter (SecureString, written by `edu-baseline secrets put`)', value: withAges ? String(p.maxAgeDays ?? '(not set)') : p.name ?? '?' });
  }
  const stack = env.stacks.find((s) => s.stackName === contract.stackName);
  return { stack: stack?.displayName ?? contract.stackName ?? '', logicalId: '', constructPath: '', type: CONTRACT_TYPE, properties };
}

export const secretExtractors: readonly ControlExtractor[] = [
  {
    control: 'SECRET-1',
    governs: ['AWS::SSM::Parameter'],
    inScope: hasSecrets,
    beyondTemplates:
      'CloudFormation cannot create SecureString values: the template declares the key and the readers, the contract file lists the '
      + 'parameter names, and `edu-baseline secrets check` verifies in the deployed account that each parameter exists as SecureString with that key.',
    extract: ({ env }) => {
      const out: EvidenceResource[] = [];
      for (const { contract } of contracts(env)) {
        out.push(contractEvidence(env, contract, false));
        const key = env.resources.find((r) => r.type === 'AWS::KMS::Key' && r.logicalId === contract.keyLogicalId && r.stack.stackName === contract.stackName);
        if (key) out.push(evidenceOf(key, props(key, ['Description', 'EnableKeyRotation'])));
      }
      for (const p of resourcesOfType(env, 'AWS::SSM::Parameter')) out.push(evidenceOf(p, props(p, ['Name', 'Type'])));
      return out;
    },
  },
  {
    control: 'SECRET-2',
    governs: [],
    extract: ({ env }) =>
      // Names only, never values: this control is about values that must not be there.
      env.stacks.map((s) => ({
        stack: s.displayName,
        logicalId: '',
        constructPath: s.displayName,
        type: 'AWS::CloudFormation::Stack',
        properties: [
          { name: 'Resources scanned', value: String(Object.keys(s.template.Resources ?? {}).length) },
          { name: 'Parameters with a Default (names)', value: Object.entries(s.template.Parameters ?? {}).filter(([, p]) => p.Default !== undefined).map(([n]) => n).join(', ') || 'none' },
          { name: 'Outputs (names)', value: Object.keys(s.template.Outputs ?? {}).join(', ') || 'none' },
        ],
      })),
  },
  {
    control: 'SECRET-3',
    governs: ['AWS::SSM::Parameter'],
    inScope: hasSecrets,
    extract: ({ env }) =>
      resourcesOfType(env, ...IDENTITY_POLICY_TYPES)
        .map((r) => ({ r, statements: matchingStatements(r, (a) => /^ssm:(GetParameter|\*)/i.test(a) || /^kms:(Decrypt|\*)$/i.test(a)) }))
        .filter(({ statements }) => statements.some((s) => /ssm:/i.test(s.value)))
        .map(({ r, statements }) => evidenceOf(r, statements)),
  },
  {
    control: 'SECRET-4',
    governs: [],
    inScope: hasSecrets,
    templatesInsufficient: true,
    beyondTemplates:
      'Rotation is a property of the deployed parameters, not of a template. Each declared secret\'s maximum age is listed here from the '
      + 'secrets contract; `edu-baseline secrets check` compares every parameter\'s last change with it in the deployed account and exits '
      + 'non-zero when one is overdue. Attach its output for the audit period.',
    extract: ({ env }) => contracts(env).map(({ contract }) => contractEvidence(env, contract, true)),
  },
];
