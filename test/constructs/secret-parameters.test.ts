import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  SECRETS_CONTRACT_METADATA_KEY,
  SecretParameterDeclaration,
  SecretParameters,
  SecretsContractDocument,
  secretsContractFileName,
} from '../../constructs/secret-parameters';

const ROOT = '/edu/prod';
const PARAMETERS: SecretParameterDeclaration[] = [
  { name: '/edu/prod/warehouse/password', purpose: 'Snowflake service account', maxAgeDays: 90 },
  { name: '/edu/prod/riverside_isd/key', purpose: 'Ed-Fi API key', maxAgeDays: 180, tenantCode: 'riverside_isd' },
  { name: '/edu/prod/riverside_isd/secret', purpose: 'Ed-Fi API secret', maxAgeDays: 180, tenantCode: 'riverside_isd' },
  { name: '/edu/prod/lakeside_charter/secret', purpose: 'Ed-Fi API secret', maxAgeDays: 180, tenantCode: 'lakeside_charter' },
];

type Json = Record<string, unknown>;

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-parameters-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function build(parameters: SecretParameterDeclaration[] = PARAMETERS): { app: App; stack: Stack; secrets: SecretParameters; role: iam.Role } {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Secrets', { env: { account: '222222222222', region: 'us-east-1' }, stackName: 'riverside-prod-secrets' });
  const secrets = new SecretParameters(stack, 'Secrets', { parameterRoot: ROOT, parameters, keyAlias: 'riverside-prod-secrets' });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  return { app, stack, secrets, role };
}

/** Flattens an ARN written as a string or Fn::Join into text, with pseudo parameters as ${Name}. */
function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(arnText).join(join[0]);
  const ref = (value as Json).Ref;
  if (typeof ref === 'string') return `\${${ref}}`;
  return JSON.stringify(value);
}

function policyStatements(template: Template): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (r) => ((r.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement,
  );
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

describe('SecretParameters', () => {
  test('creates no Parameter Store parameter at all, so no value can sit in the template (SECRET-1, SECRET-2)', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"Value"\s*:\s*"[^"]*password/i);
  });

  test('creates a dedicated rotating, retained key with the alias from props (SECRET-1, KMS-1)', () => {
    const { stack, secrets } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/riverside-prod-secrets' });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    expect(secrets.keyAlias).toBe('alias/riverside-prod-secrets');
  });

  test('grantRead scopes ssm:GetParameter* to the path and kms:Decrypt to the key via ssm (SECRET-3)', () => {
    const { stack, secrets, role } = build();
    secrets.grantRead(role, 'riverside_isd');
    const statements = policyStatements(Template.fromStack(stack));

    for (const s of statements) {
      expect(asList(s.Resource)).not.toContain('*');
    }
    const read = statements.find((s) => asList(s.Action).includes('ssm:GetParameter'));
    expect(read).toBeDefined();
    expect(asList(read!.Action).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']);
    expect(asList(read!.Resource).map(arnText)).toEqual([
      'arn:${AWS::Partition}:ssm:us-east-1:222222222222:parameter/edu/prod/riverside_isd/*',
    ]);

    const byPath = statements.find((s) => asList(s.Action).length === 1 && asList(s.Action)[0] === 'ssm:GetParametersByPath');
    expect(asList(byPath!.Resource).map(arnText)).toEqual(['arn:${AWS::Partition}:ssm:us-east-1:222222222222:parameter/edu/prod/riverside_isd']);

    const decrypt = statements.find((s) => asList(s.Action).includes('kms:Decrypt'));
    expect(decrypt).toBeDefined();
    expect(asList(decrypt!.Action)).toEqual(['kms:Decrypt']);
    expect(decrypt!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } });
    const keyLogicalId = Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0];
    expect(decrypt!.Resource).toEqual({ 'Fn::GetAtt': [keyLogicalId, 'Arn'] });
  });

  test('grantRead without a prefix covers the root, and accepts an absolute path below it', () => {
    const { stack, secrets, role } = build();
    secrets.grantRead(role);
    secrets.grantRead(role, '/edu/prod/lakeside_charter');
    const resources = policyStatements(Template.fromStack(stack))
      .filter((s) => asList(s.Action).includes('ssm:GetParameter'))
      .flatMap((s) => asList(s.Resource).map(arnText));
    expect(resources).toEqual(
      expect.arrayContaining([
        'arn:${AWS::Partition}:ssm:us-east-1:222222222222:parameter/edu/prod/*',
        'arn:${AWS::Partition}:ssm:us-east-1:222222222222:parameter/edu/prod/lakeside_charter/*',
      ]),
    );
  });

  test.each([
    ['/edu/dev/riverside_isd', 'another environment'],
    ['/edu/production', 'a sibling sharing the prefix text'],
    ['../dev', 'a relative escape'],
    ['riverside_isd/*', 'a wildcard'],
    ['/other', 'another root'],
  ])('grantRead refuses %s (%s) (SECRET-3, ENV-1)', (prefix) => {
    const { secrets, role } = build();
    expect(() => secrets.grantRead(role, prefix)).toThrow(/is outside \/edu\/prod \(SECRET-3, ENV-1\)/);
  });

  test('grantWrite allows PutParameter below the root, DescribeParameters (resource-less) and Encrypt via ssm', () => {
    const { stack, secrets, role } = build();
    secrets.grantWrite(role);
    const statements = policyStatements(Template.fromStack(stack));
    const put = statements.find((s) => asList(s.Action).includes('ssm:PutParameter'));
    expect(asList(put!.Resource).map(arnText)).toEqual(['arn:${AWS::Partition}:ssm:us-east-1:222222222222:parameter/edu/prod/*']);
    const starred = statements.filter((s) => asList(s.Resource).includes('*'));
    expect(starred.map((s) => s.Action)).toEqual(['ssm:DescribeParameters']);
    const encrypt = statements.find((s) => asList(s.Action).includes('kms:Encrypt'));
    expect(asList(encrypt!.Action).sort()).toEqual(['kms:Encrypt', 'kms:GenerateDataKey']);
    expect(encrypt!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } });
  });

  test.each([
    [{ name: '/edu/dev/x', purpose: 'p', maxAgeDays: 1 }, /is not below the parameter root \/edu\/prod/],
    [{ name: '/edu/production/x', purpose: 'p', maxAgeDays: 1 }, /is not below the parameter root/],
    [{ name: '/edu/prod', purpose: 'p', maxAgeDays: 1 }, /is not below the parameter root/],
    [{ name: '/edu/prod/../dev/x', purpose: 'p', maxAgeDays: 1 }, /is not below the parameter root/],
    [{ name: '/edu/prod/x', purpose: 'p', maxAgeDays: 0 }, /maxAgeDays 0/],
    [{ name: '/edu/prod/x/key', purpose: 'p', maxAgeDays: 1, tenantCode: 'riverside_isd' }, /not below \/edu\/prod\/riverside_isd\/ \(TENANT-1\)/],
  ])('refuses the declaration %o', (bad, message) => {
    expect(() => build([...PARAMETERS, bad])).toThrow(message);
  });

  test('refuses an untenanted parameter inside a tenant path and a duplicate (TENANT-1)', () => {
    expect(() => build([...PARAMETERS, { name: '/edu/prod/riverside_isd/shared', purpose: 'p', maxAgeDays: 1 }])).toThrow(/has no tenantCode \(TENANT-1\)/);
    expect(() => build([...PARAMETERS, PARAMETERS[0]])).toThrow(/declared twice/);
  });

  test('contract() lists every declared parameter with its tenant, and serializes to JSON', () => {
    const { secrets } = build();
    const contract = JSON.parse(JSON.stringify(secrets.contract())) as Json;
    expect(contract.parameterRoot).toBe(ROOT);
    expect(contract.keyAlias).toBe('alias/riverside-prod-secrets');
    expect(typeof contract.keyArn).toBe('string');
    expect(contract.parameters).toEqual(PARAMETERS);
  });

  test('records the contract in outputs, template Metadata and a cloud-assembly file, without values', () => {
    const { app, stack } = build();
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as Json;
    const keyLogicalId = Object.keys(Template.fromJSON(template).findResources('AWS::KMS::Key'))[0];

    const outputs = template.Outputs as Record<string, Json>;
    const document = (template.Metadata as Json)[SECRETS_CONTRACT_METADATA_KEY] as SecretsContractDocument;
    expect(outputs[document.keyArnOutput].Value).toEqual({ 'Fn::GetAtt': [keyLogicalId, 'Arn'] });
    expect(outputs[document.parameterRootOutput].Value).toBe(ROOT);
    expect(document).toEqual({
      schemaVersion: 1,
      stackName: 'riverside-prod-secrets',
      parameterRoot: ROOT,
      keyAlias: 'alias/riverside-prod-secrets',
      keyLogicalId,
      keyArnOutput: expect.any(String),
      parameterRootOutput: expect.any(String),
      parameters: PARAMETERS,
    });

    const file = path.join(assembly.directory, secretsContractFileName('riverside-prod-secrets'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(document);
  });

  test('inside a Stage the contract file lands in that stage\'s nested assembly, named after the stack', () => {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stage = new Stage(app, 'prod', { env: { account: '222222222222', region: 'us-east-1' } });
    const stack = new Stack(stage, 'Secrets');
    new SecretParameters(stack, 'Secrets', { parameterRoot: ROOT, parameters: PARAMETERS, keyAlias: 'alias/riverside-prod-secrets' });
    const assembly = app.synth().getNestedAssembly(stage.artifactId);
    const file = path.join(assembly.directory, secretsContractFileName(stack.stackName));
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsContractDocument;
    expect(document.stackName).toBe('prod-Secrets');
    expect(document.keyAlias).toBe('alias/riverside-prod-secrets');
    expect(document.parameters.map((p) => p.name)).toEqual(PARAMETERS.map((p) => p.name));
  });

  test('a second SecretParameters in the same stack is refused', () => {
    const { stack } = build();
    expect(() => new SecretParameters(stack, 'Again', { parameterRoot: ROOT, parameters: [], keyAlias: 'x' })).toThrow(/already has a SecretParameters/);
  });
});
