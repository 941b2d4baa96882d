import { z } from 'zod';
import { ALLOW_LIST_KINDS, DEFAULT_PREFIX_LIST_CAPACITY, parseCidr } from '../../constructs/conventions';
import { DEFAULT_SECURITY_GROUP_RULE_QUOTA } from '../cfn/quotas';
import { isoDateSchema, warehouseAccessSchema } from './warehouse-access';
import { AWS_REGIONS, AWS_REGIONS_CHECKED } from './regions';

/**
 * The typed shape of the one config file a platform engineer edits.
 *
 * Field-level rules live here; rules that relate fields to each other
 * (duplicates, unknown references, expiry against today's date, production
 * access levels) live in `validate.ts` so that each message can name the
 * exact path and the fix.
 */

export const TENANT_CODE_PATTERN = /^[a-z0-9_]{1,32}$/;
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9]{1,15}$/;
export const DEPLOYMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** The allow-list kinds, the administrator kinds and the prefix-list capacity default are the constructs' conventions. */
export { ADMIN_NETWORK_KINDS, ALLOW_LIST_KINDS, DEFAULT_PREFIX_LIST_CAPACITY } from '../../constructs/conventions';
export type { AllowListKind } from '../../constructs/conventions';
/** AWS's default "Inbound or outbound rules per security group", defined with the other quotas in lib/cfn/quotas.ts. */
export { DEFAULT_SECURITY_GROUP_RULE_QUOTA };

export const ACCESS_LEVELS = ['none', 'view', 'read', 'developer', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Access levels that may write; IAM-4 forbids them for people in production. */
export const WRITE_ACCESS_LEVELS: readonly AccessLevel[] = ['developer', 'admin'];

/** CloudWatch Logs retention periods of at least a year (LOG-1); "never expire" is not allowed. */
export const LOG_RETENTION_DAYS: readonly number[] = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const isoDate = isoDateSchema;

const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return;
  }
  if (parsed.prefixLength === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} opens the range to the whole internet (NET-1); list the specific network of the agency, contractor or VPN instead`,
    });
  } else if (parsed.version === 4 && parsed.prefixLength < 8) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} is wider than /8 (NET-1); allow-list entries must name a specific network, so use a prefix of /8 or longer`,
    });
  } else if (parsed.version === 6 && parsed.prefixLength < 16) {
    ctx.addIssue({
      code: 'custom',
      message: `${value} is wider than /16 (NET-1); allow-list entries must name a specific network, so use a prefix of /16 or longer`,
    });
  }
});

const prefixListCapacity = z
  .number()
  .int()
  .min(2, 'must be at least 2: a list needs room for one more entry than it holds (DEPLOY-4)')
  .max(1000, 'must be at most 1000, the most entries AWS allows in a managed prefix list');

const accountId = z
  .string({ message: 'is required: the 12-digit AWS account ID, quoted, e.g. "111122223333"' })
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID written as a quoted string, e.g. "111122223333"');

const KNOWN_REGIONS: readonly string[] = Object.values(AWS_REGIONS).flat();

const region = z
  .string({ message: 'is required: an AWS region, e.g. us-east-1' })
  .refine((r) => KNOWN_REGIONS.includes(r), {
    message: `must be an AWS region code such as us-east-1, us-gov-west-1 or cn-north-1 (the regions AWS listed on ${AWS_REGIONS_CHECKED}, lib/config/regions.ts)`,
  });

/**
 * Most allow-list entries one config may hold. Each 100 entries of a kind make
 * one managed prefix list plus its security-group references: 1000 entries
 * measured 57 resources in the network stack (2026-11-29), far below
 * CloudFormation's 500 resources per stack, while 50,000 exceed it (1042).
 * Refusing here names the field instead of failing in CloudFormation.
 */
export const MAX_ALLOW_LIST_ENTRIES = 1000;

/**
 * An egress-firewall domain (AWS Network Firewall domain-list syntax): a name,
 * or a leading dot for the name and its subdomains. At least two labels, so a
 * bare top-level domain (`.com`) that would admit most of the internet is refused.
 */
export const EGRESS_DOMAIN_PATTERN = /^\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/**
 * At most this many egress domains: the firewall rule group's fixed capacity
 * (MAX_ALLOWED_DOMAINS of constructs/egress-firewall.ts, held equal by
 * test/constructs/egress-firewall.test.ts; not imported, so loading the config
 * does not load aws-cdk-lib).
 */
export const MAX_EGRESS_DOMAINS = 400;

const nonBlank = (what: string) =>
  z.string({ message: `is required: ${what}` }).trim().min(1, `must not be empty: ${what}`);

export const warehouseSchema = z.strictObject({
  /** The IAM user Snowflake shows in DESC STORAGE INTEGRATION (STORAGE_AWS_IAM_USER_ARN). */
  snowflakeUserArn: z
    .string({ message: 'is required: the STORAGE_AWS_IAM_USER_ARN from DESC STORAGE INTEGRATION' })
    .regex(
      /^arn:aws(-[a-z]+)*:iam::\d{12}:user\/[\w+=,.@/-]+$/,
      'must be an IAM user ARN such as arn:aws:iam::123456789012:user/abc1-b-self1234 (STORAGE_AWS_IAM_USER_ARN)',
    ),
  /** STORAGE_AWS_EXTERNAL_ID from DESC STORAGE INTEGRATION. */
  externalId: z
    .string({
      message: 'is required (IAM-3): the STORAGE_AWS_EXTERNAL_ID from DESC STORAGE INTEGRATION, so only your Snowflake account can assume the role',
    })
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 characters of letters, digits and +=,.@:/- (STORAGE_AWS_EXTERNAL_ID)'),
});

export const environmentSchema = z.strictObject({
  name: z
    .string({ message: 'is required: a short lowercase name such as dev or prod' })
    .regex(ENVIRONMENT_NAME_PATTERN, 'must be 2-16 lowercase letters or digits starting with a letter, e.g. dev or prod'),
  account: accountId,
  region,
  production: z.boolean({ message: 'is required: true for production, false otherwise' }),
  /** The VPC's IPv4 range; workloads live in its private subnets. Size bounds: validate.ts (they depend on the zones). */
  vpcCidr: z
    .string()
    .default('10.0.0.0/16')
    .pipe(
      z.string().superRefine((value, ctx) => {
        const parsed = parseCidr(value);
        if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
      }),
    ),
  /** Name of an existing EC2 key pair used for SSH to the orchestration host (EC2-1). */
  sshKeyPairName: nonBlank('the name of an existing EC2 key pair for SSH, e.g. airflow-prod'),
  /** Instance type of the orchestration host. */
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be an EC2 instance type, e.g. m7i.large').default('m7i.large'),
  /**
   * The Airflow host's image (DEPLOY-5), e.g. ami-0123456789abcdef0: a deploy replaces the host only
   * when this value changes. Default: the latest Amazon Linux 2023 image for the instance type's
   * architecture, looked up once and recorded in cdk.context.json (commit that file).
   */
  amiId: z.string().regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, 'must be an AMI ID such as ami-0123456789abcdef0').optional(),
  /**
   * The POSIX identity the Airflow processes run as; the temporary file system's access point
   * enforces it on every file (TEMP-2). Default uid 50000 / gid 50000 (the uid of Airflow's
   * official image).
   */
  airflowPosixUser: z
    .strictObject({
      uid: z.number().int().min(1000, 'must be at least 1000: system and root ids are not for the workload').max(4294967294),
      gid: z.number().int().min(1000, 'must be at least 1000: system and root ids are not for the workload').max(4294967294),
    })
    .default({ uid: 50000, gid: 50000 }),
  /**
   * Availability zones of the VPC, in the environment's region. Naming them keeps synthesis
   * offline and deterministic (no lookup, no placeholder zones in the templates).
   * Default: `<region>a` and `<region>b`.
   */
  availabilityZones: z
    .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an availability zone name such as us-east-1a'))
    .min(2, 'needs at least two zones, so the VPC survives the loss of one')
    .max(3)
    .optional(),
  /** Number of NAT gateways (the only public-subnet resources). */
  natGateways: z.number().int().min(1).max(3).default(1),
  /** The Snowflake storage integration for this environment's lake. */
  warehouse: warehouseSchema,
  /**
   * DATA-4: the break-glass administrator role, the only person-held role that may
   * read or write lake objects (an existing role of this environment's account;
   * a trailing `*` matches an IAM Identity Center role's generated suffix).
   * Default: `arn:aws:iam::<account>:role/<deployment>-<env>-break-glass`.
   */
  breakGlassRoleArn: z
    .string()
    .regex(
      /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+\*?$/,
      'must be an IAM role ARN such as arn:aws:iam::111122223333:role/edu-break-glass (a trailing * may match an Identity Center suffix)',
    )
    .optional(),
  /**
   * NET-4, optional: an AWS Network Firewall between the private subnets and the NAT gateways
   * that lets the host reach only these domains over HTTPS/HTTP. Off when absent (it costs an
   * endpoint per NAT gateway, billed hourly, plus a charge per GB; docs/deploying.md).
   */
  egressFirewall: z
    .strictObject({
      allowedDomains: z
        .array(
          z
            .string()
            .regex(
              EGRESS_DOMAIN_PATTERN,
              'must be a lowercase domain name (api.example.org) or a leading-dot suffix of at least two labels (.snowflakecomputing.com); no wildcards, addresses or bare top-level domains',
            ),
        )
        .min(1, 'needs at least one domain: an empty allow-list drops every connection')
        .max(MAX_EGRESS_DOMAINS, `holds at most ${MAX_EGRESS_DOMAINS} domains (the firewall rule group's fixed capacity)`),
    })
    .optional(),
  /** Days to keep log events; LOG-1 requires at least 365. */
  logRetentionDays: z
    .number()
    .int()
    .min(365, { message: 'must be at least 365 days (LOG-1 audit evidence)', abort: true })
    .refine((d) => LOG_RETENTION_DAYS.includes(d), {
      message: `must be a CloudWatch Logs retention period of at least a year: ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(365),
});

export const tenantSchema = z.strictObject({
  code: z
    .string({ message: 'is required: the tenant_code used in tables and lake paths' })
    .regex(TENANT_CODE_PATTERN, 'must match ^[a-z0-9_]{1,32}$ (lowercase letters, digits and underscores), e.g. riverside_isd'),
  name: nonBlank('the display name of the education agency'),
});

export const allowListEntrySchema = z.strictObject({
  cidr: z.string({ message: 'is required: an IPv4 or IPv6 network such as 203.0.113.0/24' }).pipe(cidr),
  kind: z.enum(ALLOW_LIST_KINDS, { message: `must be one of ${ALLOW_LIST_KINDS.join(', ')}` }),
  owner: nonBlank('who answers for this network (NET-2), e.g. "Riverside ISD IT <it@riverside.example>"'),
  purpose: nonBlank('why this network needs access (NET-2)'),
  /** Last day the entry is valid (inclusive); required for contractors. */
  expires: isoDate.optional(),
  /** Restrict the entry to these environments; default all. */
  environments: z.array(z.string()).min(1).optional(),
  /** The tenant whose network this is, when it belongs to one. */
  tenant: z.string().optional(),
});

export const peopleGroupSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{1,30}$/, 'must be 2-31 letters, digits or hyphens starting with a letter'),
  /** The IAM Identity Center (identity store) group ID. */
  groupId: z
    .string({ message: 'is required: the Identity Center group ID (Identity Store → Groups → Group ID)' })
    .regex(/^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, 'must be an Identity Store group ID such as 906754e8a1-2b3c4d5e-...'),
  /** Access level per environment name; environments not listed get none. */
  access: z.record(z.string(), z.enum(ACCESS_LEVELS, { message: `must be one of ${ACCESS_LEVELS.join(', ')}` })),
  /** Airflow UI administrators; IAM-5 keeps this group small and named. */
  airflowAdmin: z.boolean().default(false),
});

export const secretSchema = z.strictObject({
  /** Path below the environment's parameter root, e.g. snowflake/loader-private-key. */
  name: z
    .string({ message: 'is required: a path such as snowflake/loader-private-key' })
    .regex(/^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/, 'must be lowercase path segments of letters, digits, _ . - separated by /, e.g. snowflake/loader-private-key'),
  purpose: nonBlank('what the secret is for'),
  /** SECRET-4: the maximum age before the secret must be rotated. */
  maxAgeDays: z.number().int().min(1).max(3650),
});

/**
 * The account that administers IAM Identity Center (DEPLOY-3): the organization's management
 * account or the one delegated administrator. Permission sets and assignments can be managed only
 * there, in the region where Identity Center is enabled, so the baseline deploys them in a stack of
 * their own to this account and region.
 */
export const identitySchema = z.strictObject(
  {
    account: accountId,
    region,
    /** The IAM Identity Center instance that holds permission sets (IAM-2). */
    instanceArn: z
      .string({ message: 'is required: the IAM Identity Center instance ARN (IAM Identity Center → Settings → Instance ARN)' })
      .regex(/^arn:aws(-[a-z]+)*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'must be an Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-1234567890abcdef'),
  },
  {
    message:
      'is required (DEPLOY-3): `identity: { account, region, instanceArn }` naming the account that administers IAM Identity Center ' +
      '(the management account or its delegated administrator), the region Identity Center is enabled in, and its instance ARN',
  },
);

/**
 * EXC-1: an accepted exception to one finding of the gate, as a record. The
 * syntax of `rule` and `resource`, and `expires` against today (not past,
 * at most a year ahead), are checked in validate.ts.
 */
export const exceptionSchema = z.strictObject({
  /** The rule as the gate prints it after ERROR: `<RuleSet>::<RuleId>[<finding>]`. */
  rule: nonBlank('the rule as the gate prints it after ERROR, e.g. AwsSolutions::AwsSolutions-S1'),
  /** The construct path the gate prints after "at", stage first: `dev/Data/Exports/Resource`, or a subtree `dev/Data/Exports/*`. */
  resource: nonBlank('the construct path the gate prints after "at", e.g. dev/Data/Exports/Resource'),
  reason: z
    .string({ message: 'is required: why accepting this finding is safe, in words an auditor can check' })
    .trim()
    .min(10, 'must say in at least 10 characters why accepting this finding is safe'),
  owner: nonBlank('who answers for the exception, e.g. "Data platform team <data@riverside.example>"'),
  ticket: nonBlank('the ticket or reference that records the decision, e.g. SEC-123 or a URL'),
  /** Last day (inclusive) the exception holds. */
  expires: z
    .string({ message: 'is required (EXC-1): the last day the exception holds, YYYY-MM-DD, at most a year from today' })
    .pipe(isoDate),
});

export const configSchema = z.strictObject({
  deployment: z.strictObject({
    name: z
      .string({ message: 'is required: a short lowercase name for the deployment, e.g. riverside' })
      .regex(DEPLOYMENT_NAME_PATTERN, 'must be 3-32 lowercase letters, digits or hyphens, starting with a letter'),
    /** First segment of every Parameter Store path: /<ssmPrefix>/<env>/... */
    ssmPrefix: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,30}$/, 'must be one path segment of lowercase letters, digits, _ or -, e.g. edu').default('edu'),
    /**
     * Replaced by the top-level `identity` section (DEPLOY-3): refused with the migration, so an
     * old file fails naming the field instead of silently losing its people's access.
     */
    identityCenterInstanceArn: z
      .unknown()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        ctx.addIssue({
          code: 'custom',
          message:
            'has moved (DEPLOY-3): delete it and add a top-level section `identity: { account: "<identity account ID>", region: <Identity Center region>, instanceArn: <this ARN> }`',
        });
      }),
    /** Data classification tag applied to every resource. */
    dataClassification: z.string().default('student-data-ferpa'),
    /** TEMP-3: days without access before an EFS file leaves standard storage. */
    efsTransitionDays: z.union([z.literal(1), z.literal(7), z.literal(14), z.literal(30)]).default(7),
    /**
     * DEPLOY-4: MaxEntries of every allow-list prefix list, or per kind (`{ vpn: 10, agency: 50 }`,
     * unlisted kinds get 20). Fixed so that changing entries never resizes a list in the same update;
     * raise it in a deploy of its own before the entries reach it.
     */
    prefixListCapacity: z
      .union([prefixListCapacity, z.partialRecord(z.enum(ALLOW_LIST_KINDS), prefixListCapacity)], {
        message: `must be a whole number from 2 to 1000, or a map from kind (${ALLOW_LIST_KINDS.join(', ')}) to such a number`,
      })
      .default(DEFAULT_PREFIX_LIST_CAPACITY),
    /**
     * DEPLOY-4: the account's "Inbound or outbound rules per security group" quota. Raise it only after
     * Service Quotas has raised it in every environment's account and region.
     */
    securityGroupRuleQuota: z.number().int().min(1).max(1000).default(DEFAULT_SECURITY_GROUP_RULE_QUOTA),
    /**
     * LOG-2: the district's student-identifier format as a CloudWatch Logs custom
     * data identifier regex (e.g. `S[0-9]{8}`), masked in every log group. Checked
     * against CloudWatch's limits by validateConfig.
     */
    studentIdPattern: z.string().optional(),
  }),
  identity: identitySchema,
  environments: z.array(environmentSchema).min(1, 'needs at least one environment'),
  tenants: z.array(tenantSchema).min(1, 'needs at least one tenant'),
  allowList: z
    .array(allowListEntrySchema)
    .max(MAX_ALLOW_LIST_ENTRIES, `holds more than ${MAX_ALLOW_LIST_ENTRIES} entries; list networks, not single addresses (merge neighbours into one CIDR)`)
    .default([]),
  people: z.array(peopleGroupSchema).default([]),
  secrets: z.array(secretSchema).default([]),
  /** The secrets every tenant has: the Ed-Fi API credentials the Airflow DAGs read. */
  tenantSecrets: z
    .strictObject({
      maxAgeDays: z.number().int().min(1).max(3650).default(365),
    })
    .default({ maxAgeDays: 365 }),
  /** Warehouse-only access settings (tenants per group, staff-classification scopes, service users); see docs/warehouse.md. */
  warehouseAccess: warehouseAccessSchema.optional(),
  /** EXC-1: the user's accepted exceptions, each a record with owner, ticket and expiry. */
  exceptions: z.array(exceptionSchema).default([]),
});

export type BaselineConfig = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type AllowListEntry = z.output<typeof allowListEntrySchema>;
export type PeopleGroup = z.output<typeof peopleGroupSchema>;
export type ExceptionConfig = z.output<typeof exceptionSchema>;
