/**
 * Red team of the gate: hand-written third-party templates under
 * test/fixtures/redteam/, each violating one control in a way a rule might
 * miss, plus well-built vendor templates that must raise no EduSecurityChecks
 * error. All fixtures go through ONE `auditTemplates` call (one app, one synth)
 * with the four rule sets, as `edu-baseline audit` runs them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { auditTemplates, AuditResult } from '../../lib/audit/audit';
import { collectTemplateFiles } from '../../lib/audit/template-file';
import { Finding } from '../../lib/policy/findings';
import { ControlId } from '../../lib/policy/rule';

const DIR = join(__dirname, '..', 'fixtures', 'redteam');

/**
 * Violating fixture → [control, logical ID, fragment of the finding ID]. The
 * fragment pins the deliberate violation, so an incidental finding of the
 * same control on the same resource cannot make the case pass.
 */
const VIOLATIONS: Record<string, readonly [ControlId, string, string]> = {
  's3-public-read-userid-wildcard.json': ['DATA-3', 'ExportBucket', 'BucketPolicy[ExportBucketPolicy].Statement[2].Principal=*'],
  's3-kms-aws-managed-alias-sub.yaml': ['DATA-1', 'RosterLanding', 'alias/aws/s3'],
  's3-kms-key-alias-from-mappings.yaml': ['DATA-1', 'AttendanceFeed', 'KMSMasterKeyID=alias/aws/s3'],
  's3-tls-deny-effect-allow-typo.json': ['DATA-2', 'ResultsBucket', 'SecureTransportDeny=absent'],
  's3-tls-deny-bucket-arn-only.yaml': ['DATA-2', 'GradebookArchive', 'SecureTransportDeny=absent'],
  's3-data-bucket-deletion-policy-delete.yaml': ['KEEP-1', 'AssessmentLake', 'DeletionPolicy=Delete'],
  'sg-ssh-parameter-default-open.yaml': ['NET-1', 'SftpHostSecurityGroup', 'CidrIp=0.0.0.0/0'],
  'sg-ipv6-open-ingress-resource.json': ['NET-1', 'PortalWebIngressV6', 'CidrIpv6=:/0'],
  'sg-open-ingress-via-findinmap.yaml': ['NET-1', 'ReportingApiSg', 'CidrIp=0.0.0.0/0'],
  'sg-egress-all-ipv6-resource.yaml': ['NET-4', 'WorkerEgressV6', 'all-traffic-to-CidrIpv6'],
  's3-gateway-endpoint-repos-wildcard.yaml': ['NET-4', 'S3GatewayEndpoint', 'amazonlinux-*/*-bucket-wildcard'],
  'sg-ssh-from-agency-prefix-list.yaml': ['NET-1', 'SshFromDistrict', 'PartnerAgencies-kind=agency-to-port-22'],
  'prefix-list-no-headroom.json': ['DEPLOY-4', 'PartnerNetworks', 'MaxEntries=3-equals-entries=3'],
  'subnet-map-public-ip-string.json': ['NET-3', 'WorkloadSubnetA', 'MapPublicIpOnLaunch=true'],
  'instance-eni-public-ip.yaml': ['NET-3', 'SchedulerHost', 'NetworkInterfaces[0].AssociatePublicIpAddress=true'],
  'launch-template-imds-optional-asg.yaml': ['EC2-2', 'WorkerLaunchTemplate', 'HttpTokens=optional'],
  'launch-configuration-imds-v1.json': ['EC2-2', 'SisSyncLaunchConfig', 'HttpTokens=optional'],
  'ebs-volume-unencrypted.json': ['EC2-2', 'ExportDataVolume', 'Encrypted-not-true'],
  'userdata-sed-address-reenables-password.yaml': ['EC2-1', 'IntegrationHost', 'PasswordAuthentication-yes'],
  'userdata-cloud-config-ssh-pwauth.yaml': ['EC2-1', 'ContractorJumpHost', 'ssh_pwauth-true'],
  'userdata-mysql-password-on-cli.yaml': ['SECRET-2', 'RosterExportHost', 'cli-password-flag'],
  'iam-notaction-allow.json': ['IAM-1', 'PipelineAutomationRole', 'Statement[0].NotAction'],
  'iam-admin-managed-policy-sub.yaml': ['IAM-1', 'AirflowTaskRole', 'ManagedPolicyArns[0]=AdministratorAccess'],
  'iam-group-policy-s3-star.json': ['IAM-1', 'AnalystsS3Policy', 'Action=s3:*'],
  'iam-s3-arn-wildcard-all-buckets.yaml': ['IAM-1', 'ReportRendererRole', '(every-s3-resource)'],
  'iam-trust-foreign-account-no-external-id.json': ['IAM-3', 'BiVendorReadRole', 'account-464622532012-without-sts:ExternalId'],
  'iam-user-with-access-key.json': ['IAM-2', 'SisUploaderKey', 'AccessKey'],
  'ssm-string-camelcase-password.yaml': ['SECRET-1', 'DbMasterPasswordParam', 'Name-segment=MasterUserPassword'],
  'ecs-task-env-db-pass.json': ['SECRET-2', 'PublisherTaskDefinition', 'DB_PASS:secret-name'],
  'lambda-env-aws-secret-key.yaml': ['SECRET-2', 'GradebookSyncFunction', 'AWS_SECRET_ACCESS_KEY:secret-name'],
  'rds-master-password-parameter-default.json': ['SECRET-2', 'DBPassword', 'Parameters.DBPassword.Default:secret-name'],
  'log-group-retention-if-short.yaml': ['LOG-1', 'TaskLogs', 'RetentionInDays=30'],
  'log-group-short-retention-no-kms.json': ['LOG-1', 'ApiAccessLogs', 'KmsKeyId=absent'],
  'log-group-masks-pii-not-credentials.yaml': ['LOG-2', 'DagRunLogs', 'Deidentify.CustomDataIdentifier.CredentialUri=absent'],
  'efs-encrypted-string-default-key.json': ['TEMP-1', 'ScratchFs', 'KmsKeyId=absent'],
  'efs-mount-target-from-private-range.yaml': ['TEMP-2', 'StagingMountA', 'CidrIp=10.0.0.0/8'],
  'efs-worker-mount-without-access-point.yaml': ['TEMP-2', 'BatchScratch', 'AccessPoint=absent'],
  'sso-prod-view-only-managed-policy.json': ['IAM-4', 'ProdViewOnly', 'ManagedPolicies[0]=job-function/ViewOnlyAccess'],
  'sso-assignment-in-workload-stack.yaml': ['DEPLOY-3', 'AnalystsDevAssignment', 'Fn:ImportValue'],
  'sns-topic-policy-wildcard-principal-arn.json': ['LOG-3', 'PipelineAlerts', 'Statement[1].Principal=*'],
  'kms-rotation-disabled.yaml': ['KMS-1', 'UnloadKey', 'EnableKeyRotation=false'],
  'kms-key-policy-open-via-service.json': ['KMS-1', 'SharedDataKey', 'Statement[1].Principal=*'],
  'cloudtrail-single-region.yaml': ['AUDIT-1', 'AccountTrail', 'IsMultiRegionTrail=false'],
  'cloudtrail-key-describe-under-context.yaml': ['DEPLOY-1', 'TrailKey', 'CloudTrail[DistrictTrail].kms:DescribeKey=encryption-context-condition'],
  's3-named-bucket-retain-blocks-retry.json': ['DEPLOY-2', 'RosterLanding', 'DeletionPolicy=Retain-with-BucketName'],
  'iam-flow-logs-role-no-source.yaml': ['IAM-3', 'FlowLogsDeliveryRole', 'vpc-flow-logs.amazonaws.com-without-aws:SourceAccount-or-aws:SourceArn'],
  'sns-key-eventbridge-source-account.yaml': ['IAM-3', 'AlertsKey', 'KeyPolicy.Statement[1].Principal.Service=events.amazonaws.com-without-aws:SourceArn'],
  'network-firewall-bypass-route.yaml': ['NET-4', 'WorkloadBDefault', 'RouteTable[WorkloadRoutesB]-0.0.0.0/0-to-NatGateway-around-firewall(WorkloadSubnetB)'],
  'network-firewall-default-pass.json': ['NET-4', 'EgressPolicy', 'StatefulEngineOptions.RuleOrder=DEFAULT_ACTION_ORDER(unmatched-flows-pass)'],
  's3-lake-deny-exempts-any-role.yaml': ['DATA-4', 'EnrollmentLake', 'aws:PrincipalArn=arn:aws:iam:*:role/*'],
};

/** Well-built vendor templates: no error finding from EduSecurityChecks. */
const COMPLIANT: readonly string[] = [
  'ok-vendor-data-lake.yaml',
  'ok-alert-topic.json',
  'ok-ssh-only-host.yaml',
  'ok-warehouse-integration.json',
  'ok-efs-temp-storage.yaml',
  'ok-private-vpc-flow-logs.yaml',
];

let result: AuditResult;
const byFile = new Map<string, readonly Finding[]>();

beforeAll(() => {
  const files = [...Object.keys(VIOLATIONS), ...COMPLIANT].map((f) => join(DIR, f));
  result = auditTemplates(collectTemplateFiles(files, DIR));
  for (const t of result.templates) byFile.set(t.path, t.findings);
});

const eduErrors = (file: string): Finding[] =>
  (byFile.get(file) ?? []).filter((f) => f.ruleSet === 'EduSecurityChecks' && f.severity === 'error' && !f.acknowledged);

describe('red-team fixtures', () => {
  it('every fixture on disk is in the table, and every table entry is on disk', () => {
    const onDisk = readdirSync(DIR).sort();
    expect([...Object.keys(VIOLATIONS), ...COMPLIANT].sort()).toEqual(onDisk);
    expect(Object.keys(VIOLATIONS).length).toBeGreaterThanOrEqual(25);
    expect(COMPLIANT.length).toBeGreaterThanOrEqual(5);
  });

  it('audits every fixture in one run with all four rule sets', () => {
    expect(result.templates.map((t) => t.path).sort()).toEqual([...Object.keys(VIOLATIONS), ...COMPLIANT].sort());
    expect(result.ruleSets).toEqual(['EduSecurityChecks', 'AwsSolutions', 'NIST.800.53.R5', 'ControlTower']);
  });

  it.each(Object.entries(VIOLATIONS))('%s fails %j', (file, [control, logicalId, fragment]) => {
    const hits = eduErrors(file).filter((f) => f.control === control && f.resource === logicalId);
    expect(hits.map((f) => f.ruleId)).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  });

  it.each(COMPLIANT)('%s raises no EduSecurityChecks error', (file) => {
    expect(byFile.has(file)).toBe(true);
    expect(eduErrors(file).map((f) => `${f.resource}: ${f.ruleId}`)).toEqual([]);
  });
});
