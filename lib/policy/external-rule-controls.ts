import { ControlId, stripFinding } from './vocabulary';

/**
 * Which control of docs/controls.md a third-party rule (cdk-nag's
 * AwsSolutions and NIST 800-53 R5 packs, Control Tower proactive controls)
 * provides evidence for. Only rules that clearly check what a control states
 * are listed; anything else maps to no control (`null`) and is still reported
 * under its rule set.
 *
 * Keys are rule IDs without the `[finding]` suffix.
 */
export const EXTERNAL_RULE_CONTROLS: Readonly<Record<string, ControlId>> = {
  // cdk-nag AwsSolutions
  'AwsSolutions-S1': 'DATA-5', // server access logs
  'AwsSolutions-S2': 'DATA-3', // block public access
  'AwsSolutions-S10': 'DATA-2', // TLS-only bucket policy
  'AwsSolutions-IAM4': 'IAM-1', // AWS-managed policies
  'AwsSolutions-IAM5': 'IAM-1', // wildcard permissions
  'AwsSolutions-EC23': 'NET-1', // ingress from 0.0.0.0/0
  'AwsSolutions-EC26': 'EC2-2', // EBS encryption
  'AwsSolutions-EC28': 'EC2-2', // detailed monitoring, grouped with instance hardening
  'AwsSolutions-EC29': 'EC2-2', // termination protection
  'AwsSolutions-EFS1': 'TEMP-1',
  'AwsSolutions-VPC7': 'LOG-4', // flow logs
  'AwsSolutions-KMS5': 'KMS-1', // rotation
  'AwsSolutions-SNS2': 'LOG-3', // topic encryption
  'AwsSolutions-SNS3': 'LOG-3', // TLS-only topic policy
  // cdk-nag NIST 800-53 R5
  'NIST.800.53.R5-S3BucketLoggingEnabled': 'DATA-5',
  'NIST.800.53.R5-S3BucketVersioningEnabled': 'DATA-5',
  'NIST.800.53.R5-S3BucketSSLRequestsOnly': 'DATA-2',
  'NIST.800.53.R5-S3BucketLevelPublicAccessProhibited': 'DATA-3',
  'NIST.800.53.R5-S3BucketPublicReadProhibited': 'DATA-3',
  'NIST.800.53.R5-S3BucketPublicWriteProhibited': 'DATA-3',
  'NIST.800.53.R5-S3DefaultEncryptionKMS': 'DATA-1',
  'NIST.800.53.R5-EFSEncrypted': 'TEMP-1',
  'NIST.800.53.R5-CloudWatchLogGroupEncrypted': 'LOG-1',
  'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod': 'LOG-1',
  'NIST.800.53.R5-SNSEncryptedKMS': 'LOG-3',
  'NIST.800.53.R5-VPCFlowLogsEnabled': 'LOG-4',
  'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess': 'IAM-1',
  'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess': 'IAM-1',
  'NIST.800.53.R5-IAMUserNoPolicies': 'IAM-2',
  'NIST.800.53.R5-IAMUserGroupMembership': 'IAM-2',
  'NIST.800.53.R5-EC2RestrictedSSH': 'NET-1',
  'NIST.800.53.R5-EC2RestrictedCommonPorts': 'NET-1',
  'NIST.800.53.R5-EC2InstanceNoPublicIp': 'NET-3',
  'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled': 'NET-3',
  'NIST.800.53.R5-EC2IMDSv2Enabled': 'EC2-2',
  'NIST.800.53.R5-KMSBackingKeyRotationEnabled': 'KMS-1',
  'NIST.800.53.R5-CloudTrailEncryptionEnabled': 'AUDIT-1',
  'NIST.800.53.R5-CloudTrailLogFileValidationEnabled': 'AUDIT-1',
  // Control Tower proactive controls (IDs as the gate reports them, see gate.ts)
  'CT.S3.PR.1': 'DATA-3',
  'CT.S3.PR.2': 'DATA-5',
  'CT.S3.PR.3': 'DATA-5',
  'CT.S3.PR.5': 'DATA-3',
  'CT.S3.PR.8': 'DATA-2',
  'CT.S3.PR.10': 'DATA-1',
  'CT.S3.PR.11': 'DATA-5',
  'CT.S3.PR.12': 'DATA-3',
  'CT.KMS.PR.1': 'KMS-1',
  'CT.IAM.PR.1': 'IAM-1',
  'CT.IAM.PR.2': 'IAM-1',
  'CT.IAM.PR.3': 'IAM-1',
  'CT.IAM.PR.4': 'IAM-2',
  'CT.IAM.PR.5': 'IAM-1',
  'CT.EC2.PR.1': 'EC2-2',
  'CT.EC2.PR.2': 'EC2-2',
  'CT.EC2.PR.3': 'NET-1',
  'CT.EC2.PR.4': 'NET-1',
  'CT.EC2.PR.5': 'NET-1',
  'CT.EC2.PR.7': 'EC2-2',
  'CT.EC2.PR.8': 'NET-3',
  'CT.EC2.PR.9': 'NET-3',
  'CT.EC2.PR.11': 'NET-3',
  'CT.EC2.PR.14': 'EC2-2',
  'CT.ELASTICFILESYSYSTEM.PR.1': 'TEMP-1',
  'CT.CLOUDWATCH.PR.2': 'LOG-1',
  'CT.CLOUDWATCH.PR.3': 'LOG-1',
  'CT.CLOUDTRAIL.PR.1': 'AUDIT-1',
  'CT.CLOUDTRAIL.PR.2': 'AUDIT-1',
};

/** The control a third-party rule ID (with or without `[finding]`) provides evidence for, or null. */
export function externalRuleControl(ruleId: string): ControlId | null {
  return EXTERNAL_RULE_CONTROLS[stripFinding(ruleId)] ?? null;
}
