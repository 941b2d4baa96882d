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
}

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
    id: 'DATA-1', area: DATA, severity: 'error', source: STORED, nist80053r5: ['SC-28', 'SC-28(1)', 'SC-12', 'SC-13'],
    statement: 'Lake and log buckets are encrypted at rest with a customer-managed KMS key (SSE-KMS, bucket key on). SSE-S3 or no encryption fails. Log-delivery buckets that AWS requires to use SSE-S3 are the only exception, acknowledged with a reason.',
  },
  {
    id: 'DATA-2', area: DATA, severity: 'error', source: STORED, nist80053r5: ['SC-8', 'SC-8(1)', 'SC-13'],
    statement: 'Every bucket policy denies requests without TLS (`aws:SecureTransport` false) and below TLS 1.2 (`s3:TlsVersion`).',
  },
  {
    id: 'DATA-3', area: DATA, severity: 'error', source: STORED, nist80053r5: ['AC-3', 'AC-4', 'AC-21', 'AC-22'],
    statement: 'No public access: all four Block Public Access flags on, object ownership BucketOwnerEnforced, no public canned ACL, no bucket-policy Allow to `*` without a restricting condition.',
  },
  {
    id: 'DATA-4', area: DATA, severity: 'error', source: STORED, alsoSources: [overview('Row-level security')], nist80053r5: ['AC-3', 'AC-6', 'AC-4'],
    statement: 'Access is scoped to named principals: the orchestration role (read/write), the warehouse integration role (read only), a configured break-glass administrator role. The bucket policy denies object access to every other principal, and the data key\'s policy names the same principals. Tenant data lives under `tenant_code=<code>/` prefixes.',
  },
  {
    id: 'DATA-5', area: DATA, severity: 'error', source: STORED, nist80053r5: ['CP-9', 'SI-12', 'AU-2', 'AU-12'],
    statement: 'The lake keeps data: versioning on, deletion and replacement policy Retain, server access logs to a separate log bucket; lifecycle may expire noncurrent versions but never current objects.',
  },
  {
    id: 'TEMP-1', area: TEMP, severity: 'error', source: STORED, nist80053r5: ['SC-28', 'SC-28(1)', 'SC-12'],
    statement: 'Encrypted at rest with a customer-managed KMS key.',
  },
  {
    id: 'TEMP-2', area: TEMP, severity: 'error', source: STORED, alsoSources: [overview('Network policies')], nist80053r5: ['AC-3', 'AC-4', 'SC-7', 'SC-8', 'SC-8(1)'],
    statement: 'A file-system policy denies clients that do not use TLS and grants no principal `*` root or write access without conditions; clients mount through an access point with the workload\'s POSIX identity (so the drive is writable without root); mounts only from the orchestration compute security group on TCP 2049; no mount target reachable from an allow-list or the internet.',
  },
  {
    id: 'TEMP-3', area: TEMP, severity: 'warning', source: STORED, nist80053r5: ['SI-12', 'MP-6'],
    statement: 'Files are temporary: lifecycle moves idle files out of standard storage; the orchestration host deletes files after moving them to the lake (documented contract, tested in the user data or task).',
  },
  {
    id: 'SECRET-1', area: SECRET, severity: 'error', source: STORED, alsoSources: [{ document: 'edfiAuthorization', section: 'Claims' }], nist80053r5: ['IA-5', 'IA-5(7)', 'SC-12', 'SC-28'],
    statement: 'Secrets (tokens, passwords, keys, Ed-Fi API key/secret, warehouse service-account credentials) exist only as SecureString parameters under `/<prefix>/<env>/...`, encrypted with a dedicated customer-managed key. CloudFormation cannot create SecureString values, so templates declare the contract (names, key, readers) and the operator CLI writes the values.',
  },
  {
    id: 'SECRET-2', area: SECRET, severity: 'error', source: STORED, nist80053r5: ['IA-5(7)', 'SC-28'],
    statement: 'No secret value appears in a template: not in a String parameter, user data, environment variable, tag, output or default parameter value. Detection by name (password, secret, token, key, credential) and by shape.',
  },
  {
    id: 'SECRET-3', area: SECRET, severity: 'error', source: STORED, nist80053r5: ['AC-3', 'AC-6', 'IA-5'],
    statement: 'A secret is readable only by the roles that need it (path-scoped `ssm:GetParameter*` plus `kms:Decrypt` on that key, never `Resource: *`).',
  },
  {
    id: 'SECRET-4', area: SECRET, severity: 'warning', source: overview('Service accounts'), nist80053r5: ['IA-5', 'IA-5(1)'],
    statement: 'Service-account secrets are rotated: each declared secret has a maximum age; the operator CLI reports overdue ones and exits non-zero.',
  },
  {
    id: 'LOG-1', area: LOG, severity: 'error', source: STORED, nist80053r5: ['AU-4', 'AU-9', 'AU-11', 'SC-28'],
    statement: 'Every log group is encrypted with a customer-managed key and keeps events for a set period of at least 365 days (audit evidence), not forever.',
  },
  {
    id: 'LOG-2', area: LOG, severity: 'error', source: STORED, nist80053r5: ['SI-12', 'SI-12(1)', 'AU-9'],
    statement: 'Every log group carries a data-protection policy that audits and masks sensitive identifiers (e-mail, names/addresses where a managed identifier exists, SSN, dates of birth, a configurable student-identifier pattern) and credentials: AWS secret keys, private keys, and the platform\'s own shapes (key=value passwords, passphrases and tokens, URIs with embedded credentials, webhook URLs, Airflow Fernet keys). Network and audit log groups (flow logs, CloudTrail) keep IP addresses readable.',
  },
  {
    id: 'LOG-3', area: LOG, severity: 'error', source: STORED, nist80053r5: ['SC-8', 'SC-8(1)', 'SC-28', 'AC-3'],
    statement: 'Alerts (success/failure of tasks) go through an encrypted SNS topic; alert payloads carry metadata only. Topic policy denies non-TLS publish and has no public principal.',
  },
  {
    id: 'LOG-4', area: LOG, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
    statement: 'Network activity is recorded: VPC flow logs to an encrypted log group.',
  },
  {
    id: 'LOG-5', area: LOG, severity: 'warning', source: overview('AWS, VPC, EC2 permissions'), alsoSources: [overview('Airflow interface')], nist80053r5: ['AU-6', 'SI-4'],
    statement: 'View-only staff watch the platform through a CloudWatch dashboard (task success/failure, resource health) that shows no student data.',
  },
  {
    id: 'IAM-1', area: IAM, severity: 'error', source: overview('Security Overview'), nist80053r5: ['AC-3', 'AC-6', 'AC-6(1)', 'AC-6(10)'],
    statement: 'Least privilege: no `Action: *`, no `service:*` on data services, no Allow with `NotAction`, no `Resource: *` except actions AWS defines as resource-less (each such case acknowledged with a reason); no `iam:PassRole` on `*`; no AWS-managed admin or power-user policies on workload roles.',
  },
  {
    id: 'IAM-2', area: IAM, severity: 'error', source: overview('Human accounts'), nist80053r5: ['AC-2', 'IA-2', 'IA-2(1)', 'IA-5'],
    statement: 'Humans never get IAM users, login profiles or access keys: human access is through SSO (IAM Identity Center permission sets).',
  },
  {
    id: 'IAM-3', area: IAM, severity: 'error', source: overview('Service accounts'), nist80053r5: ['AC-3', 'AC-6', 'IA-9'],
    statement: 'Service roles are assumable only by their service, bound to this account or resource (`aws:SourceAccount` / `aws:SourceArn`), or by a named external principal with an `sts:ExternalId` condition (warehouse integration). Resource policies that admit an AWS service carry `aws:SourceArn`. No trust to `*`.',
  },
  {
    id: 'IAM-4', area: IAM, severity: 'error', source: overview('Write access'), nist80053r5: ['AC-5', 'AC-6', 'CM-5'],
    statement: 'No human write access to production data: production permission sets are the baseline\'s own view or read policies (dashboards, alarms, metrics, masked log events, configuration), with no object, list, secret or key access on data and no broad AWS-managed policy (ReadOnlyAccess, ViewOnlyAccess, PowerUser, admin, *FullAccess); changes reach production only through the deploy role. Developers write in development only, and development principals have no read on production data.',
  },
  {
    id: 'IAM-5', area: IAM, severity: 'warning', source: overview('Airflow interface'), nist80053r5: ['AC-2', 'AC-6(5)'],
    statement: 'Orchestration (Airflow) administration is tightly held: view-only is the default role for people; admin is a separate, named, small group.',
  },
  {
    id: 'NET-1', area: NET, severity: 'error', source: overview('Network policies'), nist80053r5: ['SC-7', 'SC-7(5)', 'AC-4'],
    statement: 'Ingress only from allow-listed ranges. SSH only from administrator networks (allow-list kinds `vpn` and `admin`); agency, BI, contractor and orchestration entries serve the warehouse network policy and never reach the VPC\'s hosts. No ingress from `0.0.0.0/0` or `::/0`. Allow-lists are managed prefix lists built from config.',
  },
  {
    id: 'NET-2', area: NET, severity: 'error', source: overview('Network policies'), alsoSources: [{ document: 'edfiRowLevelSecurity', section: 'Configuration' }], nist80053r5: ['AC-2(2)', 'PS-7', 'CM-8'],
    statement: 'Every allow-list entry has an owner and a purpose; contractor entries have an expiry date, and an expired entry fails synthesis (like a staff assignment without an end date in the Ed-Fi row-level-security mapping: access that outlives the relationship).',
  },
  {
    id: 'NET-3', area: NET, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['SC-7', 'SC-7(3)', 'AC-4'],
    statement: 'Private by default: workloads in private subnets, no public IPs, subnets do not map public IPs, AWS APIs reached through VPC endpoints.',
  },
  {
    id: 'NET-4', area: NET, severity: 'error', source: overview('Network policies'), nist80053r5: ['SC-7', 'SC-7(5)', 'AC-4'],
    statement: 'Egress is restricted: security groups allow outbound only what the workload needs (VPC endpoints, HTTPS to the data sources and the warehouse); no all-protocol egress to `0.0.0.0/0` or `::/0`; the S3 gateway endpoint\'s policy admits only the deployment\'s buckets and the OS package repositories.',
  },
  {
    id: 'EC2-1', area: EC2, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['IA-2', 'IA-5', 'AC-17', 'CM-6', 'CM-7'],
    statement: 'SSH keys only: instances have a key pair; sshd disables password and keyboard-interactive authentication and root login; SSH only from the allow-list or VPN.',
  },
  {
    id: 'EC2-2', area: EC2, severity: 'error', source: overview('AWS, VPC, EC2 permissions'), alsoSources: [STORED], nist80053r5: ['CM-6', 'CM-7', 'SC-12', 'SC-28', 'SC-28(1)'],
    statement: 'IMDSv2 required; EBS volumes encrypted with a customer-managed key; termination protection in production.',
  },
  {
    id: 'AUDIT-1', area: AUDIT, severity: 'error', source: overview('Write access'), alsoSources: [STORED], nist80053r5: ['AU-2', 'AU-3', 'AU-9', 'AU-9(3)', 'AU-10', 'AU-12'],
    statement: 'Every API call and every read or write of lake objects is recorded: a multi-region CloudTrail trail with log-file validation, encrypted with a customer-managed key, delivering to a retained, access-logged bucket, with S3 data events for the lake buckets (the record of who accessed student data); the trail is logging.',
  },
  {
    id: 'KMS-1', area: KEYS, severity: 'error', source: STORED, nist80053r5: ['SC-12', 'SC-12(1)', 'SC-13', 'AC-3'],
    statement: 'Customer-managed keys rotate yearly; key policies grant no `*` principal without conditions and no account outside the deployment\'s own; keys are retained (not deleted) on stack deletion.',
  },
  {
    id: 'KEEP-1', area: KEYS, severity: 'error', source: STORED, nist80053r5: ['CP-9', 'CP-10', 'SI-12'],
    statement: 'Stateful resources (lake, log buckets, keys, log groups, file system in production) are retained when a stack is deleted or a resource replaced.',
  },
  {
    id: 'ENV-1', area: KEYS, severity: 'error', source: overview('Write access'), nist80053r5: ['AC-4', 'CM-4(1)', 'SA-3(1)'],
    statement: 'Development and production are separate stages (separate accounts recommended); names, keys and parameter paths are per environment; nothing in one environment grants access to the other.',
  },
  {
    id: 'TENANT-1', area: KEYS, severity: 'error', source: overview('Row-level security'), alsoSources: [{ document: 'edfiAuthorization', section: 'Relationship-Based Authorization' }], nist80053r5: ['AC-3', 'AC-4', 'AC-4(21)', 'SC-4'],
    statement: 'In a multi-tenant deployment every tenant-scoped resource carries a `tenant_code` tag, lake paths are per tenant, and per-tenant access cannot reach another tenant\'s prefix.',
  },
  {
    id: 'DEPLOY-1', area: DEPLOY, severity: 'error', source: STORED, nist80053r5: ['SC-12', 'SC-28', 'CM-6'],
    statement: 'AWS services can use the keys they are given: CloudTrail has an unconditioned `kms:DescribeKey` and, with an S3 Bucket Key, `kms:Decrypt`; CloudWatch Logs, SNS publishers and others get what AWS documents, with the source condition AWS recommends.',
  },
  {
    id: 'DEPLOY-2', area: DEPLOY, severity: 'error', source: overview('Write access'), nist80053r5: ['CP-10', 'CM-3', 'SI-12'],
    statement: 'A failed first deploy can be retried: a resource with a fixed physical name is not kept on a create rollback (`RetainExceptOnCreate`), while KEEP-1 still keeps it on delete and replace.',
  },
  {
    id: 'DEPLOY-3', area: DEPLOY, severity: 'error', source: overview('Human accounts'), nist80053r5: ['AC-2', 'AC-5', 'AC-6'],
    statement: 'Identity Center permission sets and assignments deploy only from the identity account (management or delegated administrator), in a stack that holds nothing else.',
  },
  {
    id: 'DEPLOY-4', area: DEPLOY, severity: 'error', source: overview('Network policies'), nist80053r5: ['CM-6', 'SC-7', 'SA-8'],
    statement: 'Quotas hold: prefix lists have headroom (entries and size never change together); each security group\'s rules, a prefix list weighing its MaxEntries, fit the rule quota; each stack stays under the resource limit; names fit AWS\'s length and character limits.',
  },
  {
    id: 'DEPLOY-5', area: DEPLOY, severity: 'warning', source: overview('AWS, VPC, EC2 permissions'), nist80053r5: ['CM-2', 'CM-6', 'SI-7'],
    statement: 'Hosts are pinned to an image (a deploy replaces a host only when the config says so) and signal success only after hardening and mounts are verified; a failed boot fails the deploy.',
  },
  {
    id: 'EXC-1', area: DEPLOY, severity: 'error', source: overview('Security Overview'), nist80053r5: ['CA-5', 'CA-7', 'PM-4', 'RA-7'],
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
