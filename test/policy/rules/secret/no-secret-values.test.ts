import { CfnElement, CfnOutput, CfnParameter } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { scanText, secretShapes } from '../../../../lib/cfn/secret-detectors';
import { noSecretValuesRule as rule } from '../../../../lib/policy/rules/secret/no-secret-values';
import { templateOf, testStack, violations } from '../../../support/policy';

// Fake credentials in the documented example shapes, assembled so no scanner mistakes this file for a leak.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const SECRET_KEY = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join('');
const SLACK = ['https://hooks.slack.com', '/services/T00000000/B00000000/', 'X'.repeat(24)].join('');
const GITHUB = ['gh', 'p_', 'a1B2'.repeat(9)].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----'].join('');

describe('SECRET2-NoSecretValues', () => {
  describe('detectors', () => {
    it('recognise each shape and never return the value', () => {
      const kinds = (t: string): string[] => secretShapes(t).map((s) => s.kind);
      expect(kinds(ACCESS_KEY_ID)).toEqual(['aws-access-key-id-shape']);
      expect(kinds(`aws_secret_access_key=${SECRET_KEY}`)).toEqual(['aws-secret-key-shape']);
      expect(kinds(SECRET_KEY)).toEqual([]);
      expect(kinds(SLACK)).toEqual(['slack-webhook-shape']);
      expect(kinds(GITHUB)).toEqual(['github-token-shape']);
      expect(kinds(JWT)).toEqual(['jwt-shape']);
      expect(kinds(PEM)).toEqual(['private-key-shape']);
      expect(kinds('snowflake://svc_loader:S3cr3t!@acct.snowflakecomputing.com/db')).toEqual(['url-password-shape']);
      expect(kinds('postgres://app:${DbPassword}@db:5432/x')).toEqual([]);
      expect(kinds('arn:aws:secretsmanager:us-east-1:123456789012:secret:edu-AbCdEf')).toEqual([]);
      expect(scanText('export DB_PASSWORD=hunter22\nexport DB_PASSWORD_PARAM=/edu/dev/db/password\nPASS=$(aws ssm get-parameter)')).toEqual([
        { line: 1, kind: 'name=DB_PASSWORD' },
      ]);
    });
  });

  describe('settings whose names mention a secret', () => {
    it('does not report enum settings such as MetadataOptions.HttpTokens: required, but does report a literal token', () => {
      const template = templateOf({
        Host: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpTokens: 'required' } } },
        Leak: { Type: 'AWS::EC2::Instance', Properties: { Tags: [{ Key: 'ApiToken', Value: 'tok-8f2c91d0a7' }] } },
      });
      expect(violations(template, rule)).toEqual(['Leak: Tags[0].ApiToken:secret-name']);
    });
  });

  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const dbPassword = new CfnParameter(stack, 'DbPassword', { type: 'String', noEcho: true, default: 'Winter2024!' });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      environment: {
        DB_PASSWORD: 'hunter2hunter2',
        EDFI_SECRET_PARAMETER: '/edu/dev/riverside/secret',
        API_TOKEN: '{{resolve:ssm-secure:/edu/dev/riverside/token}}',
        DB_PASSWORD_FROM_PARAM: dbPassword.valueAsString,
      },
    });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/x/y'),
      environment: { ALERT_URL: SLACK, LOG_LEVEL: 'info' },
    });
    new rds.CfnDBInstance(stack, 'Db', { dbInstanceClass: 'db.t3.micro', engine: 'postgres', masterUsername: 'admin', masterUserPassword: 'Sup3rS3cret' });
    new rds.CfnDBInstance(stack, 'DbResolved', { dbInstanceClass: 'db.t3.micro', engine: 'postgres', masterUsername: 'admin', masterUserPassword: '{{resolve:secretsmanager:edu/db:SecretString:password}}' });
    new CfnOutput(stack, 'Token', { value: JWT });
    const found = violations(stack, rule);
    const fnId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    const taskId = stack.getLogicalId(task.node.defaultChild as CfnElement);

    it('fails literal secrets by name and shape in env vars, container env, passwords, parameter defaults and outputs', () => {
      expect(found).toHaveLength(6);
      expect(found).toEqual(
        expect.arrayContaining([
          `${fnId}: Environment.Variables.DB_PASSWORD:secret-name`,
          `${taskId}: ContainerDefinitions[0].Environment[0].ALERT_URL:slack-webhook-shape`,
          'Db: MasterUserPassword:secret-name',
          // Template-level findings sit on the first scanned resource of the template.
          expect.stringMatching(/: Parameters\.DbPassword\.Default:secret-name$/),
          expect.stringMatching(/: Outputs\.Token\.Value:jwt-shape$/),
          expect.stringMatching(/: Outputs\.Token\.Value:secret-name$/),
        ]),
      );
    });
    it('never echoes a value in a finding', () => {
      for (const secret of ['hunter2hunter2', 'Winter2024!', 'Sup3rS3cret', JWT, SLACK]) expect(found.join('\n')).not.toContain(secret);
    });
  });

  describe('hand-written templates', () => {
    it('scans user data line by line in every writing form, tags, parameter values, Batch env and secret strings', () => {
      const template = templateOf({
        Host: {
          Type: 'AWS::EC2::Instance',
          Properties: {
            UserData: { 'Fn::Base64': { 'Fn::Join': ['\n', ['#!/bin/bash', `export AWS_ACCESS_KEY_ID=${ACCESS_KEY_ID}`, `aws_secret_access_key = ${SECRET_KEY}`, 'DB_PASSWORD=$(aws ssm get-parameter --name /edu/dev/db --with-decryption)']] } },
            Tags: [{ Key: 'deploy_token', Value: GITHUB }, { Key: 'environment', Value: 'dev' }],
          },
        },
        Literal: { Type: 'AWS::EC2::Instance', Properties: { UserData: Buffer.from(`#!/bin/bash\n${PEM}\n`).toString('base64') } },
        Lt: {
          Type: 'AWS::EC2::LaunchTemplate',
          Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\nexport WAREHOUSE=snowflake://loader:pa55word@${AWS::Region}.example/db' } } } },
        },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Name: '/edu/dev/warehouse/password', Value: 'plain-text' } },
        Job: { Type: 'AWS::Batch::JobDefinition', Properties: { Type: 'container', ContainerProperties: { Environment: [{ Name: 'EDFI_CLIENT_SECRET', Value: 'abc123xyz' }] } } },
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: '{"password":"hunter2"}' } },
        Generated: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { SecretStringTemplate: '{"username":"loader"}', GenerateStringKey: 'password' } } },
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Host: Tags[0].deploy_token:github-token-shape',
          'Host: Tags[0].deploy_token:secret-name',
          'Host: UserData:line2:aws-access-key-id-shape',
          'Host: UserData:line3:aws-secret-key-shape',
          'Host: UserData:line3:name=aws_secret_access_key',
          'Job: ContainerProperties.Environment[0].EDFI_CLIENT_SECRET:secret-name',
          'Literal: UserData:line2:private-key-shape',
          'Lt: LaunchTemplateData.UserData:line2:url-password-shape',
          'Param: Value:secret-name',
          'Secret: SecretString:name=password',
          'Secret: SecretString:secret-name',
        ].sort(),
      );
    });

    it('reads Fn::If branches and does not flag references', () => {
      const template = templateOf(
        {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Environment: {
                Variables: {
                  API_KEY: { 'Fn::If': ['C', { Ref: 'ApiKey' }, 'k3y-literal-value'] },
                  DB_PASSWORD: { Ref: 'ApiKey' },
                  TOKEN_ARN: { 'Fn::GetAtt': ['Sec', 'Arn'] },
                },
              },
            },
          },
        },
        { Parameters: { ApiKey: { Type: 'String', NoEcho: true } } },
      );
      expect(violations(template, rule)).toEqual(['Fn: Environment.Variables.API_KEY:secret-name']);
    });
  });
});

describe('SECRET2-NoSecretValues: abbreviations and command-line passwords (red team)', () => {
  it('flags DB_PASS / smtpPw environment variables but not PASSTHROUGH-like names', () => {
    const template = templateOf({
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [
            {
              Name: 'publisher',
              Environment: [
                { Name: 'DB_PASS', Value: 'Tr0ub4dor&3-ods' },
                { Name: 'smtpPw', Value: 'hunter2!' },
                { Name: 'PASSTHROUGH_HEADERS', Value: 'x-request-id' },
                { Name: 'DB_PASS_FILE', Value: 'db.pass' },
              ],
            },
          ],
        },
      },
    });
    expect(violations(template, rule)).toEqual([
      'Task: ContainerDefinitions[0].Environment[0].DB_PASS:secret-name',
      'Task: ContainerDefinitions[0].Environment[1].smtpPw:secret-name',
    ]);
  });

  it('detects a literal password on a mysql/mysqldump/sshpass command line, not a variable or a prompt', () => {
    expect(scanText('mysqldump -h db -u export_ro -pR0sterExp0rt!2024 sis students').map((f) => f.kind)).toEqual(['cli-password-flag']);
    expect(scanText("mysql -u admin -p'S3cret!' -e 'select 1'").map((f) => f.kind)).toEqual(['cli-password-flag']);
    expect(scanText('sshpass -p Winter2024 scp file host:').map((f) => f.kind)).toEqual(['cli-password-flag']);
    expect(scanText('psql --password hunter2x -h db').map((f) => f.kind)).toEqual(['cli-password-flag']);
    expect(scanText('mysql -u admin -p"$DB_PASS" -h db')).toEqual([]);
    expect(scanText('mysql -u admin -p -h db -P 3306')).toEqual([]);
    expect(scanText('sshpass -p "$(aws ssm get-parameter --with-decryption)" ssh host')).toEqual([]);
  });

  it('reports the user-data line, never the password', () => {
    const template = templateOf({
      Host: {
        Type: 'AWS::EC2::Instance',
        Properties: { UserData: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\n0 2 * * * root mysqldump -h ${DbHost} -u ro -pR0sterExp0rt!2024 sis > /tmp/s.sql\n' } } },
      },
    });
    expect(violations(template, rule)).toEqual(['Host: UserData:line2:cli-password-flag']);
  });
});

describe('SECRET2-NoSecretValues: Metadata, Outputs and the template Description', () => {
  const AKID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
  const TOKEN = ['xox', 'b-123456789012-', 'abcdefghijkl'].join('');

  it('reports a secret in a resource Metadata, and not a clean one', () => {
    const template = templateOf({
      Clean: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'Stage/Data/Lake/Resource', Note: 'owned by the platform team' } },
      Leak: { Type: 'AWS::S3::Bucket', Metadata: { Note: `deployed with ${AKID}` } },
    });
    expect(violations(template, rule)).toEqual(['Leak: Metadata.Note:aws-access-key-id-shape']);
  });

  it('reports a secret in a tag of a scanned resource (L1 tags)', () => {
    const template = templateOf({ Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'data-classification', Value: TOKEN }] } } });
    expect(violations(template, rule)).toEqual(['Vpc: Tags[0].data-classification:slack-token-shape']);
  });

  it('reports a secret in an Output description or export name, the template Description and Metadata', () => {
    const template = templateOf(
      { Carrier: { Type: 'AWS::S3::Bucket' } },
      {
        Description: `Baseline ${AKID}`,
        Metadata: { Owner: { Contact: TOKEN } },
        Outputs: { Lake: { Value: 'bucket', Description: `key ${AKID}`, Export: { Name: 'lake' } } },
      },
    );
    expect(violations(template, rule).sort()).toEqual(
      [
        'Carrier: Description:aws-access-key-id-shape',
        'Carrier: Metadata.Owner.Contact:slack-token-shape',
        'Carrier: Outputs.Lake.Description:aws-access-key-id-shape',
      ].sort(),
    );
  });
});
