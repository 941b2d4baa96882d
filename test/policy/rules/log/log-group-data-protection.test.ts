import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SanitizedLogGroup } from '../../../../constructs/sanitized-log-group';
import { logGroupDataProtectionRule as rule, REQUIRED_CUSTOM_IDENTIFIERS, REQUIRED_IDENTIFIERS } from '../../../../lib/policy/rules/log/log-group-data-protection';
import { TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, violations } from '../../../support/policy';

const arn = (name: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dataprotection::aws:data-identifier/${name}`]] });
const CUSTOM = REQUIRED_CUSTOM_IDENTIFIERS.map((c) => ({ Name: c.name, Regex: c.regex }));
const CUSTOM_NAMES = CUSTOM.map((c) => c.Name);
const ALL = [...REQUIRED_IDENTIFIERS];
/** A raw policy: managed names become ARNs, custom names stay names. */
const policy = (audit: string[], mask: string[], custom = CUSTOM): Record<string, unknown> => {
  const customNames = new Set(custom.map((c) => c.Name));
  const id = (form: 'join' | 'text') => (n: string) => (customNames.has(n) ? n : form === 'join' ? arn(n) : `arn:aws:dataprotection::aws:data-identifier/${n}`);
  return {
    Name: 'p',
    Version: '2021-06-01',
    Configuration: { CustomDataIdentifier: custom },
    Statement: [
      { Sid: 'audit', DataIdentifier: audit.map(id('join')), Operation: { Audit: { FindingsDestination: {} } } },
      { Sid: 'redact', DataIdentifier: mask.map(id('text')), Operation: { Deidentify: { MaskConfig: {} } } },
    ],
  };
};
const EVERYTHING = [...ALL, ...CUSTOM_NAMES];

describe('LOG2-LogGroupDataProtection', () => {
  it('accepts the baseline identifiers; fails a partial policy, a managed-only policy and none (L2)', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'Good', { dataProtectionPolicy: new logs.DataProtectionPolicy({ identifiers: SanitizedLogGroup.dataIdentifiers() }) });
    new logs.LogGroup(stack, 'EmailOnly', { dataProtectionPolicy: new logs.DataProtectionPolicy({ identifiers: [logs.DataIdentifier.EMAILADDRESS] }) });
    new logs.LogGroup(stack, 'ManagedOnly', {
      dataProtectionPolicy: new logs.DataProtectionPolicy({ identifiers: REQUIRED_IDENTIFIERS.map((n) => new logs.DataIdentifier(n)) }),
    });
    new logs.LogGroup(stack, 'None');
    const missing = ALL.filter((i) => i !== 'EmailAddress');
    expect(violations(stack, rule)).toEqual([
      ...['Audit', 'Deidentify'].flatMap((op) => [
        ...missing.map((i) => expect.stringMatching(new RegExp(`^EmailOnly[0-9A-F]+: ${op}.DataIdentifier.${i}=absent$`))),
        ...CUSTOM_NAMES.map((i) => expect.stringMatching(new RegExp(`^EmailOnly[0-9A-F]+: ${op}.CustomDataIdentifier.${i}=absent$`))),
      ]),
      ...['Audit', 'Deidentify'].flatMap((op) => CUSTOM_NAMES.map((i) => expect.stringMatching(new RegExp(`^ManagedOnly[0-9A-F]+: ${op}.CustomDataIdentifier.${i}=absent$`)))),
      expect.stringMatching(/^None[0-9A-F]+: DataProtectionPolicy=absent$/),
    ]);
  });

  it('requires masking as well as auditing, and an Audit statement (JSON, object and string forms)', () => {
    const full = policy(EVERYTHING, EVERYTHING);
    const template = templateOf({
      Good: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: JSON.stringify(full) } },
      AuditOnly: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: { ...full, Statement: (full.Statement as unknown[]).slice(0, 1) } } },
      NoDob: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(EVERYTHING, EVERYTHING.filter((i) => i !== 'DateOfBirth')) } },
      NoAudit: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: { ...full, Statement: (full.Statement as unknown[]).slice(1) } } },
    });
    expect(violations(template, rule)).toEqual(['AuditOnly: DeidentifyStatement=absent', 'NoDob: Deidentify.DataIdentifier.DateOfBirth=absent', 'NoAudit: AuditStatement=absent']);
  });

  it.each(['OpenSshPrivateKey', 'PgpPrivateKey', 'PkcsPrivateKey', 'PuttyPrivateKey', 'AwsSecretKey'])('requires the credential identifier %s', (name) => {
    const without = EVERYTHING.filter((i) => i !== name);
    const template = templateOf({ G: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(without, without) } } });
    expect(violations(template, rule)).toEqual([`G: Audit.DataIdentifier.${name}=absent`, `G: Deidentify.DataIdentifier.${name}=absent`]);
  });

  it.each(CUSTOM_NAMES)('requires the custom identifier %s with its expression, under any name', (name) => {
    const renamed = CUSTOM.map((c) => (c.Name === name ? { ...c, Name: 'MyOwnName' } : c));
    const renamedIds = [...ALL, ...renamed.map((c) => c.Name)];
    const weakened = CUSTOM.map((c) => (c.Name === name ? { ...c, Regex: 'x{99}' } : c));
    const notMasked = EVERYTHING.filter((i) => i !== name);
    const template = templateOf({
      Renamed: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(renamedIds, renamedIds, renamed) } },
      Weakened: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(EVERYTHING, EVERYTHING, weakened) } },
      AuditedOnly: { Type: 'AWS::Logs::LogGroup', Properties: { DataProtectionPolicy: policy(EVERYTHING, notMasked) } },
    });
    expect(violations(template, rule)).toEqual([
      `Weakened: Audit.CustomDataIdentifier.${name}=absent`,
      `Weakened: Deidentify.CustomDataIdentifier.${name}=absent`,
      `AuditedOnly: Deidentify.CustomDataIdentifier.${name}=absent`,
    ]);
  });

  it('accepts an account-wide data-protection policy in the same template', () => {
    const template = templateOf({
      Account: { Type: 'AWS::Logs::AccountPolicy', Properties: { PolicyName: 'dp', PolicyType: 'DATA_PROTECTION_POLICY', PolicyDocument: JSON.stringify(policy(EVERYTHING, EVERYTHING)) } },
      Group: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    });
    expect(violations(template, rule)).toEqual([]);
  });

  describe('network and audit log groups keep IP addresses readable', () => {
    const withIp = [...EVERYTHING, 'IpAddress'];
    const group = (ip: boolean, name?: string): TemplateResource => ({
      Type: 'AWS::Logs::LogGroup',
      Properties: { ...(name ? { LogGroupName: name } : {}), DataProtectionPolicy: ip ? policy(withIp, withIp) : policy(EVERYTHING, EVERYTHING) },
    });
    const flowLog = (destination: Record<string, unknown>): TemplateResource => ({
      Type: 'AWS::EC2::FlowLog',
      Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', ...destination },
    });

    it('fails IpAddress masking on a flow-log group (Ref, GetAtt Arn, literal name, Fn::Sub ARN) and a trail group; accepts it elsewhere', () => {
      const template = templateOf({
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        ByRef: group(true),
        ByRefFlow: flowLog({ LogGroupName: { Ref: 'ByRef' } }),
        ByArn: group(true),
        ByArnFlow: flowLog({ LogDestinationType: 'cloud-watch-logs', LogDestination: { 'Fn::GetAtt': ['ByArn', 'Arn'] } }),
        ByName: group(true, '/riverside/prod/vpc-flow-logs'),
        ByNameFlow: flowLog({ LogGroupName: '/riverside/prod/vpc-flow-logs' }),
        BySub: group(true, '/riverside/prod/flow2'),
        BySubFlow: flowLog({ LogDestination: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/riverside/prod/flow2' } }),
        Trail: group(true),
        TrailResource: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: 'b', CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['Trail', 'Arn'] } } },
        Readable: group(false),
        ReadableFlow: flowLog({ LogGroupName: { Ref: 'Readable' } }),
        Tasks: group(true, '/riverside/prod/airflow/tasks'),
      });
      expect(violations(template, rule)).toEqual([
        'ByRef: Deidentify.DataIdentifier.IpAddress=masks-FlowLog[ByRefFlow]',
        'ByArn: Deidentify.DataIdentifier.IpAddress=masks-FlowLog[ByArnFlow]',
        'ByName: Deidentify.DataIdentifier.IpAddress=masks-FlowLog[ByNameFlow]',
        'BySub: Deidentify.DataIdentifier.IpAddress=masks-FlowLog[BySubFlow]',
        'Trail: Deidentify.DataIdentifier.IpAddress=masks-Trail[TrailResource]',
      ]);
    });

    it('L2: a SanitizedLogGroup behind ec2.FlowLog passes only with maskIpAddresses: false', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const masked = new SanitizedLogGroup(stack, 'Masked', { logGroupName: 'masked' });
      const readable = new SanitizedLogGroup(stack, 'Readable', { logGroupName: 'readable', maskIpAddresses: false });
      vpc.addFlowLog('ToMasked', { destination: ec2.FlowLogDestination.toCloudWatchLogs(masked.logGroup) });
      vpc.addFlowLog('ToReadable', { destination: ec2.FlowLogDestination.toCloudWatchLogs(readable.logGroup) });
      expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Masked[0-9A-F]+: Deidentify.DataIdentifier.IpAddress=masks-FlowLog\[VpcToMaskedFlowLog[0-9A-F]+\]$/)]);
    });
  });
});
