import { CfnTemplate, EduRule, RuleOutcome, TemplateResource } from '../../rule';
import { variantsOf } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { isLiteralSecretCandidate, looksLikeSecretName, scanText } from '../../../cfn/secret-detectors';
import { userDataText } from '../../../cfn/user-data';
import { flattenString, intrinsicName, isRecord } from '../../../cfn/values';
import { secretNameSegment } from './secrets-are-secure-string';

/**
 * Resource types scanned. Tags can sit on almost any resource, so the list
 * is broad; template-level findings (Parameters defaults, Outputs) are
 * reported on the first resource of the template whose type is listed here,
 * because the policy gate reports on resources only.
 */
const SCANNED_TYPES: readonly string[] = [
  'AWS::SSM::Parameter', 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration',
  'AWS::Lambda::Function', 'AWS::Serverless::Function', 'AWS::ECS::TaskDefinition', 'AWS::Batch::JobDefinition',
  'AWS::SecretsManager::Secret', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::KMS::Key',
  'AWS::Logs::LogGroup', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::SQS::Queue', 'AWS::EFS::FileSystem',
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::EC2::PrefixList', 'AWS::EC2::Volume',
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::ManagedPolicy', 'AWS::SSO::PermissionSet', 'AWS::CloudTrail::Trail',
  'AWS::DynamoDB::Table', 'AWS::StepFunctions::StateMachine', 'AWS::Events::Rule', 'AWS::Events::Connection',
  'AWS::CodeBuild::Project', 'AWS::Glue::Connection', 'AWS::Glue::Job', 'AWS::MWAA::Environment',
  'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::EC2::NetworkInterface', 'AWS::EC2::KeyPair',
];

interface Collector {
  readonly found: Set<string>;
}

/** Scans one value; `name` is the key it is stored under (property, variable or tag name). */
function scanValue(value: unknown, path: string, name: string, out: Collector): void {
  if (typeof value === 'string' || intrinsicName(value) !== undefined) {
    // Each Fn::If branch on its own; Refs stay placeholders: a reference is never the secret itself.
    for (const variant of variantsOf(value)) {
      if (variant === undefined) continue;
      const text =
        name === 'UserData' ? userDataText(variant, {}).text : typeof variant === 'string' ? variant : flattenString(variant).text;
      const multiLine = text.includes('\n');
      for (const f of scanText(text)) out.found.add(multiLine ? `${path}:line${f.line}:${findingPart(f.kind)}` : `${path}:${findingPart(f.kind)}`);
      if (looksLikeSecretName(name) && isLiteralSecretCandidate(text)) out.found.add(`${path}:secret-name`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanValue(v, `${path}[${i}]`, name, out));
    return;
  }
  if (!isRecord(value)) return;
  // {Name, Value} / {Key, Value} entries (environment variables, tags); a resource's own Name/Value are properties.
  const pairName = path === '' ? undefined : typeof value.Name === 'string' ? value.Name : typeof value.Key === 'string' ? value.Key : undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'Value' && pairName !== undefined) scanValue(child, `${path}.${findingPart(pairName, 60)}`, pairName, out);
    else scanValue(child, path === '' ? findingPart(key, 60) : `${path}.${findingPart(key, 60)}`, key, out);
  }
}

/**
 * Parameters defaults, every part of each Output (value, description, export
 * name), the template's Description and Metadata: checked once, on the
 * carrier resource. Config text reaches all of these (a description, a tag,
 * an output), and they are as public as the resources.
 */
function scanTemplateLevel(template: CfnTemplate, out: Collector): void {
  for (const [id, param] of Object.entries(template.Parameters ?? {})) {
    if (param.Default === undefined) continue;
    scanValue(param.Default, `Parameters.${findingPart(id, 60)}.Default`, id, out);
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    const at = `Outputs.${findingPart(id, 60)}`;
    for (const [key, part] of Object.entries(output)) {
      // The value is stored under the output's name (an output named ApiToken holds a token); the rest under their own.
      if (key === 'Value') scanValue(part, `${at}.Value`, id, out);
      else scanValue(part, `${at}.${findingPart(key, 60)}`, key, out);
    }
  }
  if (template.Description !== undefined) scanValue(template.Description, 'Description', 'Description', out);
  if (template.Metadata !== undefined) scanValue(template.Metadata, 'Metadata', 'Metadata', out);
}

function isCarrier(logicalId: string, template: CfnTemplate): boolean {
  const first = Object.entries(template.Resources ?? {}).find(([, r]) => SCANNED_TYPES.includes(r.Type));
  return first?.[0] === logicalId;
}

function scanResource(resource: TemplateResource, template: CfnTemplate, out: Collector): void {
  const props = resource.Properties ?? {};
  scanValue(props, '', '', out);
  // Resource Metadata (CDK writes construct paths and acknowledgment reasons there; a user can write anything).
  if (resource.Metadata !== undefined) scanValue(resource.Metadata, 'Metadata', 'Metadata', out);
  if (resource.Type === 'AWS::SSM::Parameter' && props.Name !== undefined) {
    // The parameter's name says what its Value is.
    const segment = secretNameSegment(flattenString(props.Name, template).text);
    const value = typeof props.Value === 'string' ? props.Value : flattenString(props.Value).text;
    if (segment !== undefined && isLiteralSecretCandidate(value)) out.found.add('Value:secret-name');
  }
}

/**
 * SECRET-2: no secret value in a template. Scans every property of the
 * listed resources (UserData line by line after flattening Fn::Base64 /
 * Fn::Join / Fn::Sub; Lambda, ECS and Batch environment variables; tags;
 * database passwords; Secrets Manager SecretString), Parameters defaults
 * (NoEcho does not hide a default), Outputs (value, description, export),
 * resource and template Metadata and the template Description, by NAME (a secret-named key
 * with a literal value) and by SHAPE (lib/cfn/secret-detectors.ts).
 * Dynamic references `{{resolve:ssm-secure:...}}` / `{{resolve:secretsmanager:...}}`
 * and Refs pass. Findings name the location and detector, never the value,
 * e.g. `UserData:line7:aws-secret-key-shape`.
 */
export const noSecretValuesRule: EduRule = {
  id: 'SECRET2-NoSecretValues',
  control: 'SECRET-2',
  severity: 'error',
  resourceTypes: SCANNED_TYPES,
  info:
    'A secret value is written in the template (by its name or its shape). Remove it, rotate it (it is now in the ' +
    'template history), store it as a SecureString with `edu-baseline secrets put`, and read it at run time ' +
    '(ssm get-parameter --with-decryption in user data, ecs.Secret.fromSsmParameter, or a {{resolve:ssm-secure:...}} reference).',
  explanation:
    'Templates are copied to S3, CI logs, cdk.out and code review; a credential there reaches student records (FERPA) ' +
    'for anyone who reads them.',
  check(resource, context): RuleOutcome {
    const out: Collector = { found: new Set() };
    scanResource(resource, context.template, out);
    if (isCarrier(context.logicalId, context.template)) scanTemplateLevel(context.template, out);
    return { violations: [...out.found], unresolved: [] };
  },
};
