import { ControlId, Severity } from './rule';

/**
 * The control catalog as data, for the evidence report, the auditor matrix
 * and docs/controls.md (generated from this file by `npm run gen`; a test
 * keeps the two equal). Which rules enforce a control is not stored
 * here: it is derived from the rules (`EduRule.control`), so the catalog can
 * never claim an enforcement that does not exist.
 */

export type ControlArea =
  | 'Data lake (S3)'
  | 'Temporary storage (EFS)'
  | 'Secrets (SSM Parameter Store)'
  | 'Logs and alerts (CloudWatch, SNS)'
  | 'Identity and access (IAM, SSO)'
  | 'Network (VPC)'
  | 'Compute (EC2)'
  | 'Audit trail'
  | 'Keys, data retention, environments, tenancy'
  | 'Deployability and exceptions';

export interface Control {
  readonly id: ControlId;
  readonly area: ControlArea;
  /** The statement (docs/controls.md prints it verbatim). */
  readonly statement: string;
  /** error blocks synthesis and CI; warning is reported only. */
  readonly severity: Severity;
  /** Where the requirement comes from: a section of a public source document. */
  readonly source: Citation;
  /** Further passages the control draws on. */
  readonly alsoSources?: readonly Citation[];
  /** NIST SP 800-53 Rev. 5 controls (and enhancements) the control supports. */
  readonly nist80053r5: readonly string[];
  /**
   * CIS AWS Foundations Benchmark v5.0.0 recommendations the control implements
   * for the resources the baseline deploys; absent where no recommendation
   * applies (most recommendations are account settings outside a template).
   * Each number is one of {@link CIS_AWS_V5}.
   */
  readonly cisAwsV5?: readonly string[];
  /** NIST CSF 2.0 subcategories the control contributes to; each one of {@link NIST_CSF_2}. */
  readonly nistCsf2: readonly string[];
}

/** A framework the catalog maps to, as the report and docs/controls.md cite it. */
export interface Framework {
  readonly title: string;
  readonly source: string;
  /** Requirement ID → its title, for the IDs the catalog uses. */
  readonly requirements: Readonly<Record<string, string>>;
}

/**
 * CIS Amazon Web Services Foundations Benchmark v5.0.0: the recommendations
 * the catalog maps to, numbered and titled as the benchmark's v5.0.0 release
 * lists them (read from the Steampipe AWS Compliance mod's `cis_v500`
 * benchmark, github.com/turbot/steampipe-mod-aws-compliance, files
 * cis_v500/section_1.pp to section_5.pp, whose `cis_item_id` tags carry the
 * benchmark's numbers; AWS Security Hub CSPM's user guide page "CIS AWS
 * Foundations Benchmark" lists v5.0.0 among the versions it checks).
 */
export const CIS_AWS_V5: Framework = {
  title: 'CIS Amazon Web Services Foundations Benchmark v5.0.0',
  source: 'Center for Internet Security, CIS Amazon Web Services Foundations Benchmark v5.0.0 (recommendation numbers and titles)',
  requirements: {
    '1.15': 'Ensure IAM policies that allow full "*:*" administrative privileges are not attached',
    '1.20': 'Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments',
    '2.1.1': 'Ensure S3 Bucket Policy is set to deny HTTP requests',
    '2.1.4': "Ensure that S3 is configured with 'Block Public Access' enabled",
    '2.3.1': 'Ensure that encryption is enabled for EFS file systems',
    '3.1': 'Ensure CloudTrail is enabled in all regions',
    '3.2': 'Ensure CloudTrail log file validation is enabled',
    '3.4': 'Ensure that server access logging is enabled on the CloudTrail S3 bucket',
    '3.5': 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs',
    '3.6': 'Ensure rotation for customer-created symmetric CMKs is enabled',
    '3.7': 'Ensure VPC flow logging is enabled in all VPCs',
    '3.8': 'Ensure that Object-level logging for write events is enabled for S3 buckets',
    '3.9': 'Ensure that Object-level logging for read events is enabled for S3 buckets',
    '5.3': 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports',
    '5.4': 'Ensure no security groups allow ingress from ::/0 to remote server administration ports',
    '5.7': 'Ensure that the EC2 Metadata Service only allows IMDSv2',
  },
};

/**
 * NIST Cybersecurity Framework 2.0 subcategories the catalog maps to, with
 * their outcome statements from NIST CSWP 29, "The NIST Cybersecurity
 * Framework (CSF) 2.0" (February 26, 2024), Appendix A "CSF Core". CSF 2.0
 * is the framework New York Education Law 2-d data security and privacy
 * policies align to: the Board of Regents' February 2026 amendments to Part
 * 121 of the Commissioner's Regulations require alignment with CSF 2.0 by
 * September 1, 2026 (RIC One, "NIST CSF 2.0",
 * https://www.ricone.org/resources/data-privacy-security/nist-csf-2-0).
 */
export const NIST_CSF_2: Framework = {
  title: 'NIST Cybersecurity Framework (CSF) 2.0',
  source: 'NIST CSWP 29, The NIST Cybersecurity Framework (CSF) 2.0, February 26, 2024, Appendix A: CSF Core',
  requirements: {
    'ID.AM-08': 'Systems, hardware, software, services, and data are managed throughout their life cycles',
    'ID.RA-07': 'Changes and exceptions are managed, assessed for risk impact, recorded, and tracked',
    'PR.AA-01': 'Identities and credentials for authorized users, services, and hardware are managed by the organization',
    'PR.AA-03': 'Users, services, and hardware are authenticated',
    'PR.AA-05': 'Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed, and incorporate the principles of least privilege and separation of duties',
    'PR.DS-01': 'The confidentiality, integrity, and availability of data-at-rest are protected',
    'PR.DS-02': 'The confidentiality, integrity, and availability of data-in-transit are protected',
    'PR.DS-11': 'Backups of data are created, protected, maintained, and tested',
    'PR.PS-01': 'Configuration management practices are established and applied',
    'PR.PS-04': 'Log records are generated and made available for continuous monitoring',
    'PR.IR-01': 'Networks and environments are protected from unauthorized logical access and usage',
    'PR.IR-04': 'Adequate resource capacity to ensure availability is maintained',
    'DE.CM-01': 'Networks and network services are monitored to find potentially adverse events',
    'DE.CM-03': 'Personnel activity and technology usage are monitored to find potentially adverse events',
    'DE.CM-09': 'Computing hardware and software, runtime environments, and their data are monitored to find potentially adverse events',
    'DE.AE-06': 'Information on adverse events is provided to authorized staff and tools',
  },
};

/**
 * The public documents the catalog derives from. `sections` lists the section
 * headings of each document that the catalog cites, as they read when the
 * catalog was written (a test checks every citation names one of them).
 */
export const SOURCES = {
  overview: {
    title: 'edu (Enable Data Union) documentation, "Security Overview"',
    url: 'https://enabledataunion.org/docs/setup_secure/explanation/security/',
    sections: ['Security Overview', 'Where is data stored?', 'Row-level security', 'Human accounts', 'Service accounts', 'Write access', 'Airflow interface', 'Network policies', 'AWS, VPC, EC2 permissions'],
  },
  edfiAuthorization: {
    title: 'Ed-Fi ODS / API technical documentation, "Authorization" (API claim sets and authorization strategies)',
    url: 'https://techdocs.ed-fi.org/',
    sections: ['Claims', 'Relationship-Based Authorization'],
  },
  edfiRowLevelSecurity: {
    title: 'Ed-Fi Analytics Middle Tier documentation, "Row-Level Security Collection"',
    url: 'https://techdocs.ed-fi.org/',
    sections: ['Configuration'],
  },
} as const satisfies Record<string, { title: string; url: string; sections: readonly string[] }>;

export type SourceId = keyof typeof SOURCES;

/** A section of one of the SOURCES. */
export interface Citation {
  readonly document: SourceId;
  readonly section: string;
}

/** `Title`, section "Section" — the citation as a reader can follow it. */
export function citationText(citation: Citation): string {
  return `${SOURCES[citation.document].title}, section "${citation.section}"`;
}

const overview = (section: string): Citation => ({ document: 'overview', section });
const STORED = overview('Where is data stored?');

const DATA = 'Data lake (S3)';
const TEMP = 'Temporary storage (EFS)';
const SECRET = 'Secrets (SSM Parameter Store)';
const LOG = 'Logs and alerts (CloudWatch, SNS)';
const IAM = 'Identity and access (IAM, SSO)';
const NET = 'Network (VPC)';
const EC2 = 'Compute (EC2)';
const AUDIT = 'Audit trail';
const KEYS = 'Keys, data retention, environments, tenancy';
const DEPLOY = 'Deployability and exceptions';

export const CONTROLS: readonly Control[] = [
  {
    id: 'DATA-1', area: DATA, severity: 'error', source: STORED, nist80053r5: ['SC-28', 'SC-28(1)', 'SC-12', 'SC-13'], nistCsf2: ['PR.DS-01'],
    statement: 'Lake and log buckets are encrypted at rest with a customer-managed KMS key (SSE-KMS, bucket key on). SSE-S3 or no encryption fails. Log-delivery buckets that AWS requires to use SSE-S3 are the only exception, acknowledged with a reason.',
  },
  {
    id: 'DATA-2', area: DATA, severity: 'error', source: STORED, nist80053r5: ['SC-8', 'SC-8(1)', 'SC-13'], cisAwsV5: ['2.1.1'], nistCsf2: ['PR.DS-02'],
    statement: 'Every bucket policy denies requests without TLS (`aws:SecureTransport` false) and below TLS 1.2 (`s3:TlsVersion`).',
  },
  {
    id: 'DATA-3', area: DATA, severity: 'error', source: STORED, nist80053r5: ['AC-3', 'AC-4', 'AC-21', 'AC-22'], cisAwsV5: ['2.1.4'], nistCsf2: ['PR.AA-05', 'PR.DS-01'],
    statement: 'No public access: all four Block Public Access flags on, object ownership BucketOwnerEnforced, no public canned ACL, no bucket-policy Allow to `*` without a restricting condition.',
  },
  {
    id: 'DATA-4', area: DATA, severity: 'error', source: STORED, alsoSources: [overview('Row-level security')], nist80053r5: ['AC-3', 'AC-6', 'AC-4'], nistCsf2: ['PR.AA-05'],
    statement: 'Access is scoped to named principals: the orchestration role (read/write), the warehouse integration role (read only), a configured break-glass administrator role. The bucket policy denies object access to every other principal, and the data key\'s policy names the same principals. Tenant data lives under `tenant_code=<code>/` prefixes.',
  },
  {
    id: 'DATA-5', area: DATA, severity: 'error', source: STORED, nist80053r5: ['CP-9', 'SI-12', 'AU-2', 'AU-12'], nistCsf2: ['PR.DS-11', 'PR.PS-04'],
    statement: 'The lake keeps data: versioning on, deletion and replacement policy Retain, server access logs to a separate log bucket; lifecycle may expire noncurrent versions but never current objects.',
  },
  {
    id: 'TEMP-1', area: TEMP, severity: 'error', source: STORED, nist80053r5: ['SC-28', 'SC-28(1)', 'SC-12'], cisAwsV5: ['2.3.1'], nistCsf2: ['PR.DS-01'],
    statement: 'Encrypted at rest with a customer-managed KMS key.',
  },
  {
    id: 'TEMP-2', area: TEMP, severity: 'error', source: STORED, alsoSources: [overview('Network policies')], nist80053r5: ['AC-3', 'AC-4', 'SC-7', 'SC-8', 'SC-8(1)'], nistCsf2: ['PR.AA-05', 'PR.DS-02', 'PR.IR-01'],
    statement: 'A file-system policy denies clients that do not use TLS and grants no principal `*` root or write access without conditions; clients mount through an access point with the workload\'s POSIX identity (so the drive is writable without root); mounts only from the orchestration compute security group on TCP 2049; no mount target reachable from an allow-list or the internet.',
  },
  {
    id: 'TEMP-3', area: TEMP, severity: 'warning', source: STORED, nist80053r5: ['SI-12', 'MP-6'], nistCsf2: ['ID.AM-08'],
    statement: 'Files are temporary: lifecycle moves idle files out of standard storage; the orchestration host deletes files after moving them to the lake (documented contract, tested in the user data or task).',
  },
  {
    id: 'SECRET-1', area: SECRET, severity: 'error', source: STORED, alsoSources: [{ document: 'edfiAuthorization', section: 'Claims' }], nist80053r5: ['IA-5', 'IA-5(7)', 'SC-12', 'SC-28'], nistCsf2: ['PR.AA-01', 'PR.DS-01'],
    statement: 'Secrets (tokens, passwords, keys, Ed-Fi API key/secret, warehouse service-account credentials) exist only as SecureString parameters under `/<prefix>/<env>/...`, encrypted with a dedicated customer-managed key. CloudFormation cannot create SecureString values, so templates declare the contract (names, key, readers) and the operator CLI writes the values.',
  },
  {
    id: 'SECRET-2', area: SECRET, severity: 'error', source: STORED, nist80053r5: ['IA-5(7)', 'SC-28'], nistCsf2: ['PR.AA-01', 'PR.DS-01'],
    statement: 'No secret value appears in a template: not in a String parameter, user data, environment variable, tag, output or default parameter value. Detection by name (password, secret, token, key, credential) and by shape.',
  },
  {
    id: 'SECRET-3', area: SECRET, severity: 'error', source: STORED, nist80053r5: ['AC-3', 'AC-6', 'IA-5'], nistCsf2: ['PR.AA-05'],
    statement: 'A secret is readable only by the roles that need it (path-scoped `ssm:GetParameter*` plus `kms:Decrypt` on that key, never `Resource: *`).',
  },
  {
    id: 'SECRET-4', area: SECRET, severity: 'warning', source: overview('Service accounts'), nist80053r5: ['IA-5', 'IA-5(1)'], nistCsf2: ['PR.AA-01'],
    statement: 'Service-account secrets are rotated: each declared secret has a maximum age; the operator CLI reports overdue ones and exits non-zero.',
  },
  {
    id: 'LOG-1', area: LOG, severity: 'error', source: STORED, nist80053r5: ['AU-4', 'AU-9', 'AU-11', 'SC-28'], nistCsf2: ['PR.DS-01', 'PR.PS-04'],
    statement: 'Every log group is encrypted with a customer-managed key and keeps events for a set period of at least 365 days (audit evidence), not forever.',
  },
  {
    id: 'LOG-2', area: LOG, severity: 'error', source: STORED, nist80053r5: ['SI-12', 'SI-12(1)', 'AU-9'], nistCsf2: ['PR.DS-01', 'PR.PS-04'],
    statement: 'Every log group carries a data-protection policy that audits and masks sensitive identifiers (e-mail, names/addresses where a managed identifier exists, SSN, dates of birth, a configurable student-identifier pattern) and credentials: AWS secret keys, private keys, and the platform\'s own shapes (key=value passwords, passphrases and tokens, URIs with embedded credentials, webhook URLs, Airflow Fernet keys). Network and audit log groups (flow logs, CloudTrail) keep IP addresses readable.',
  },
  {
    id: 'LOG-3', area: LOG, severity: 'error', source: STORED, nist80053r5: ['SC-8', 'SC-8(1)', 'SC-28', 'AC-3'], nistCsf2: ['DE.AE-06', 'PR.DS-02'],
    statement: 'Alerts (success/failure of tasks) go through an encrypted SNS topic; alert payloads carry metadata only. Topic policy denies non-TLS publish and has no public principal.',
  },
  {
    id: 'LOG-4', area: LOG, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['AU-2', 'AU-3', 'AU-12', 'SI-4'], cisAwsV5: ['3.7'], nistCsf2: ['DE.CM-01', 'PR.PS-04'],
    statement: 'Network activity is recorded: VPC flow logs to an encrypted log group.',
  },
  {
    id: 'LOG-5', area: LOG, severity: 'warning', source: overview('AWS, VPC, EC2 permissions'), alsoSources: [overview('Airflow interface')], nist80053r5: ['AU-6', 'SI-4'], nistCsf2: ['DE.CM-09'],
    statement: 'View-only staff watch the platform through a CloudWatch dashboard (task success/failure, resource health) that shows no student data.',
  },
  {
    id: 'IAM-1', area: IAM, severity: 'error', source: overview('Security Overview'), nist80053r5: ['AC-3', 'AC-6', 'AC-6(1)', 'AC-6(10)'], cisAwsV5: ['1.15'], nistCsf2: ['PR.AA-05'],
    statement: 'Least privilege: no `Action: *`, no `service:*` on data services, no Allow with `NotAction`, no `Resource: *` except actions AWS defines as resource-less (each such case acknowledged with a reason); no `iam:PassRole` on `*`; no AWS-managed admin or power-user policies on workload roles.',
  },
  {
    id: 'IAM-2', area: IAM, severity: 'error', source: overview('Human accounts'), nist80053r5: ['AC-2', 'IA-2', 'IA-2(1)', 'IA-5'], cisAwsV5: ['1.20'], nistCsf2: ['PR.AA-01', 'PR.AA-03'],
    statement: 'Humans never get IAM users, login profiles or access keys: human access is through SSO (IAM Identity Center permission sets).',
  },
  {
    id: 'IAM-3', area: IAM, severity: 'error', source: overview('Service accounts'), nist80053r5: ['AC-3', 'AC-6', 'IA-9'], nistCsf2: ['PR.AA-05'],
    statement: 'Service roles are assumable only by their service, bound to this account or resource (`aws:SourceAccount` / `aws:SourceArn`), or by a named external principal with an `sts:ExternalId` condition (warehouse integration). Resource policies that admit an AWS service carry `aws:SourceArn`. No trust to `*`.',
  },
  {
    id: 'IAM-4', area: IAM, severity: 'error', source: overview('Write access'), nist80053r5: ['AC-5', 'AC-6', 'CM-5'], nistCsf2: ['PR.AA-05'],
    statement: 'No human write access to production data: production permission sets are the baseline\'s own view or read policies (dashboards, alarms, metrics, masked log events, configuration), with no object, list, secret or key access on data and no broad AWS-managed policy (ReadOnlyAccess, ViewOnlyAccess, PowerUser, admin, *FullAccess); changes reach production only through the deploy role. Developers write in development only, and development principals have no read on production data.',
  },
  {
    id: 'IAM-5', area: IAM, severity: 'warning', source: overview('Airflow interface'), nist80053r5: ['AC-2', 'AC-6(5)'], nistCsf2: ['PR.AA-05'],
    statement: 'Orchestration (Airflow) administration is tightly held: view-only is the default role for people; admin is a separate, named, small group.',
  },
  {
    id: 'NET-1', area: NET, severity: 'error', source: overview('Network policies'), nist80053r5: ['SC-7', 'SC-7(5)', 'AC-4'], cisAwsV5: ['5.3', '5.4'], nistCsf2: ['PR.IR-01'],
    statement: 'Ingress only from allow-listed ranges. SSH only from administrator networks (allow-list kinds `vpn` and `admin`); agency, BI, contractor and orchestration entries serve the warehouse network policy and never reach the VPC\'s hosts. No ingress from `0.0.0.0/0` or `::/0`. Allow-lists are managed prefix lists built from config.',
  },
  {
    id: 'NET-2', area: NET, severity: 'error', source: overview('Network policies'), alsoSources: [{ document: 'edfiRowLevelSecurity', section: 'Configuration' }], nist80053r5: ['AC-2(2)', 'PS-7', 'CM-8'], nistCsf2: ['PR.AA-05', 'PR.IR-01'],
    statement: 'Every allow-list entry has an owner and a purpose; contractor entries have an expiry date, and an expired entry fails synthesis (like a staff assignment without an end date in the Ed-Fi row-level-security mapping: access that outlives the relationship).',
  },
  {
    id: 'NET-3', area: NET, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['SC-7', 'SC-7(3)', 'AC-4'], nistCsf2: ['PR.IR-01'],
    statement: 'Private by default: workloads in private subnets, no public IPs, subnets do not map public IPs, AWS APIs reached through VPC endpoints.',
  },
  {
    id: 'NET-4', area: NET, severity: 'error', source: overview('Network policies'), nist80053r5: ['SC-7', 'SC-7(5)', 'AC-4'], nistCsf2: ['PR.IR-01'],
    statement: 'Egress is restricted: security groups allow outbound only what the workload needs (VPC endpoints, HTTPS to the data sources and the warehouse); no all-protocol egress to `0.0.0.0/0` or `::/0`; the S3 gateway endpoint\'s policy admits only the deployment\'s buckets and the OS package repositories.',
  },
  {
    id: 'EC2-1', area: EC2, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['IA-2', 'IA-5', 'AC-17', 'CM-6', 'CM-7'], nistCsf2: ['PR.AA-03', 'PR.PS-01'],
    statement: 'SSH keys only: instances have a key pair; sshd disables password and keyboard-interactive authentication and root login; SSH only from the allow-list or VPN.',
  },
  {
    id: 'EC2-2', area: EC2, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), alsoSources: [STORED], nist80053r5: ['CM-6', 'CM-7', 'SC-12', 'SC-28', 'SC-28(1)'], cisAwsV5: ['5.7'], nistCsf2: ['PR.DS-01', 'PR.PS-01'],
    statement: 'IMDSv2 required; EBS volumes encrypted with a customer-managed key; termination protection in production.',
  },
  {
    id: 'AUDIT-1', area: AUDIT, severity: 'error', source: overview('Write access'), alsoSources: [STORED], nist80053r5: ['AU-2', 'AU-3', 'AU-9', 'AU-9(3)', 'AU-10', 'AU-12'], cisAwsV5: ['3.1', '3.2', '3.4', '3.5', '3.8', '3.9'], nistCsf2: ['DE.CM-03', 'PR.PS-04'],
    statement: 'Every API call and every read or write of lake objects is recorded: a multi-region CloudTrail trail with log-file validation, encrypted with a customer-managed key, delivering to a retained, access-logged bucket, with S3 data events for the lake buckets (the record of who accessed student data); the trail is logging.',
  },
  {
    id: 'KMS-1', area: KEYS, severity: 'error', source: STORED, nist80053r5: ['SC-12', 'SC-12(1)', 'SC-13', 'AC-3'], cisAwsV5: ['3.6'], nistCsf2: ['PR.AA-05', 'PR.DS-01'],
    statement: 'Customer-managed keys rotate yearly; key policies grant no `*` principal without conditions and no account outside the deployment\'s own; keys are retained (not deleted) on stack deletion.',
  },
  {
    id: 'KEEP-1', area: KEYS, severity: 'error', source: STORED, nist80053r5: ['CP-9', 'CP-10', 'SI-12'], nistCsf2: ['PR.DS-11'],
    statement: 'Stateful resources (lake, log buckets, keys, log groups, file system in production) are retained when a stack is deleted or a resource replaced.',
  },
  {
    id: 'ENV-1', area: KEYS, severity: 'error', source: overview('Write access'), nist80053r5: ['AC-4', 'CM-4(1)', 'SA-3(1)'], nistCsf2: ['PR.AA-05', 'PR.IR-01'],
    statement: 'Development and production are separate stages (separate accounts recommended); names, keys and parameter paths are per environment; nothing in one environment grants access to the other.',
  },
  {
    id: 'TENANT-1', area: KEYS, severity: 'error', source: overview('Row-level security'), alsoSources: [{ document: 'edfiAuthorization', section: 'Relationship-Based Authorization' }], nist80053r5: ['AC-3', 'AC-4', 'AC-4(21)', 'SC-4'], nistCsf2: ['PR.AA-05'],
    statement: 'In a multi-tenant deployment every tenant-scoped resource carries a `tenant_code` tag, lake paths are per tenant, and per-tenant access cannot reach another tenant\'s prefix.',
  },
  {
    id: 'DEPLOY-1', area: DEPLOY, severity: 'error', source: STORED, nist80053r5: ['SC-12', 'SC-28', 'CM-6'], nistCsf2: ['PR.PS-01'],
    statement: 'AWS services can use the keys they are given: CloudTrail has an unconditioned `kms:DescribeKey` and, with an S3 Bucket Key, `kms:Decrypt`; CloudWatch Logs, SNS publishers and others get what AWS documents, with the source condition AWS recommends.',
  },
  {
    id: 'DEPLOY-2', area: DEPLOY, severity: 'error', source: overview('Write access'), nist80053r5: ['CP-10', 'CM-3', 'SI-12'], nistCsf2: ['PR.PS-01'],
    statement: 'A failed first deploy can be retried: a resource with a fixed physical name is not kept on a create rollback (`RetainExceptOnCreate`), while KEEP-1 still keeps it on delete and replace.',
  },
  {
    id: 'DEPLOY-3', area: DEPLOY, severity: 'error', source: overview('Human accounts'), nist80053r5: ['AC-2', 'AC-5', 'AC-6'], nistCsf2: ['PR.AA-05'],
    statement: 'Identity Center permission sets and assignments deploy only from the identity account (management or delegated administrator), in a stack that holds nothing else.',
  },
  {
    id: 'DEPLOY-4', area: DEPLOY, severity: 'error', source: overview('Network policies'), nist80053r5: ['CM-6', 'SC-7', 'SA-8'], nistCsf2: ['PR.IR-04', 'PR.PS-01'],
    statement: 'Quotas hold: prefix lists have headroom (entries and size never change together); each security group\'s rules, a prefix list weighing its MaxEntries, fit the rule quota; each stack stays under the resource limit; names fit AWS\'s length and character limits.',
  },
  {
    id: 'DEPLOY-5', area: DEPLOY, severity: 'warning', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['CM-2', 'CM-6', 'SI-7'], nistCsf2: ['PR.PS-01'],
    statement: 'Hosts are pinned to an image (a deploy replaces a host only when the config says so) and signal success only after hardening and mounts are verified; a failed boot fails the deploy.',
  },
  {
    id: 'EXC-1', area: DEPLOY, severity: 'error', source: overview('Security Overview'), nist80053r5: ['CA-5', 'CA-7', 'PM-4', 'RA-7'], nistCsf2: ['ID.RA-07'],
    statement: 'Every accepted exception is a record (rule, resource, reason, owner, ticket, expiry or review date); an expired exception or one that matches no finding fails the synth.',
  },
];

const BY_ID = new Map<string, Control>(CONTROLS.map((c) => [c.id, c]));

/** The control with this ID, or undefined for an unknown ID. */
export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}

/**
 * A short title per control, shown beside its ID wherever the evidence report
 * lists controls (the statement is too long for a summary row). Typed by
 * ControlId, so a new control without a title does not compile.
 */
export const CONTROL_TITLES: Readonly<Record<ControlId, string>> = {
  'DATA-1': 'Lake and log buckets encrypted with a customer-managed key',
  'DATA-2': 'Bucket policies deny requests without TLS 1.2',
  'DATA-3': 'No public access to buckets',
  'DATA-4': 'Lake access scoped to named principals and tenant prefixes',
  'DATA-5': 'The lake keeps data: versioning, retention, access logs',
  'TEMP-1': 'Temporary file system encrypted with a customer-managed key',
  'TEMP-2': 'Temporary file system: TLS, access point, mount from compute only',
  'TEMP-3': 'Temporary files leave standard storage and are deleted',
  'SECRET-1': 'Secrets only as SecureString parameters with a dedicated key',
  'SECRET-2': 'No secret value in a template',
  'SECRET-3': 'Secrets readable only by the roles that need them',
  'SECRET-4': 'Service-account secrets rotated within a maximum age',
  'LOG-1': 'Log groups encrypted and kept at least 365 days',
  'LOG-2': 'Log groups mask sensitive identifiers and credentials',
  'LOG-3': 'Alerts through an encrypted, TLS-only SNS topic',
  'LOG-4': 'VPC flow logs to an encrypted log group',
  'LOG-5': 'View-only dashboard without student data',
  'IAM-1': 'Least privilege in every policy',
  'IAM-2': 'Humans only through SSO, never IAM users',
  'IAM-3': 'Service roles assumable only by their service or a named external principal',
  'IAM-4': 'No human write access to production data',
  'IAM-5': 'Airflow administration tightly held',
  'NET-1': 'Ingress only from allow-listed networks; SSH from administrators',
  'NET-2': 'Allow-list entries have an owner, a purpose and an expiry',
  'NET-3': 'Private by default: private subnets, no public IPs, VPC endpoints',
  'NET-4': 'Egress restricted to what workloads need',
  'EC2-1': 'SSH with keys only, hardened sshd',
  'EC2-2': 'IMDSv2, encrypted EBS, termination protection in production',
  'AUDIT-1': 'Multi-region CloudTrail with lake data events',
  'KMS-1': 'Customer-managed keys rotate, are retained and stay in the deployment',
  'KEEP-1': 'Stateful resources retained on delete and replace',
  'ENV-1': 'Development and production are separate',
  'TENANT-1': 'Tenant-scoped resources tagged and confined to their tenant',
  'DEPLOY-1': 'AWS services can use the keys they are given',
  'DEPLOY-2': 'A failed first deploy can be retried',
  'DEPLOY-3': 'Identity Center resources deploy from the identity account',
  'DEPLOY-4': 'Quotas and name limits hold',
  'DEPLOY-5': 'Hosts pinned to an image and signal success after hardening',
  'EXC-1': 'Accepted exceptions are records that expire',
};
