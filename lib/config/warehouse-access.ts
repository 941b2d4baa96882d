import { z } from 'zod';
import { ALLOW_LIST_KINDS, isIsoDate } from '../../constructs/conventions';

/**
 * The `warehouseAccess` section of the config (lib/config/schema.ts): which
 * tenants each people group may see, how Ed-Fi staff classifications map to
 * scopes (Ed-Fi Analytics Middle Tier, "Row-Level Security Collection",
 * section "Configuration") and which service users exist. Everything is
 * optional; the defaults are derived from the rest of the config (every
 * group with warehouse read access sees every tenant, one loader user from
 * `snowflake/loader-private-key`).
 */

export const STAFF_SCOPES = ['district', 'school', 'section', 'none'] as const;
export type StaffScope = (typeof STAFF_SCOPES)[number];

/** The descriptor constants of the Analytics Middle Tier RLS collection (Ed-Fi AMT Row-Level Security Collection). */
export const AUTHORIZATION_SCOPE_CONSTANTS: Readonly<Record<Exclude<StaffScope, 'none'>, string>> = {
  district: 'AuthorizationScope.District',
  school: 'AuthorizationScope.School',
  section: 'AuthorizationScope.Section',
};

export const SERVICE_ACCESS = ['loader', 'read'] as const;
export type ServiceAccess = (typeof SERVICE_ACCESS)[number];

/** A config date: `YYYY-MM-DD` and on the calendar (constructs/conventions.ts isIsoDate); the whole config uses it. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. 2027-06-30')
  .refine(isIsoDate, { message: 'is not a real calendar date; write it as YYYY-MM-DD, e.g. 2027-06-30' });
const isoDate = isoDateSchema;

const tenantList = z.array(z.string({ message: 'must be a tenant code from tenants[].code' })).min(1, 'must name at least one tenant; omit the field for all tenants');

export const groupTenantsSchema = z.strictObject({
  /** A people group name from `people[].name`. */
  group: z.string({ message: 'is required: a people group name from people[].name' }),
  /** The tenant codes whose rows this group sees in the warehouse. */
  tenants: tenantList,
  /** Last day (inclusive) of the access: it must end with the relationship (Ed-Fi AMT Row-Level Security Collection). */
  expires: isoDate.optional(),
});

export const staffClassificationScopeSchema = z.strictObject({
  /** A StaffClassificationDescriptor code value, e.g. "Principal". */
  classification: z
    .string({ message: 'is required: a StaffClassificationDescriptor code value such as Principal' })
    .trim()
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters'),
  /** district | school | section, or none to record that the classification gets no scope. */
  scope: z.enum(STAFF_SCOPES, { message: `must be one of ${STAFF_SCOPES.join(', ')}` }),
  /** Tenants the mapping applies to; default every tenant. */
  tenants: tenantList.optional(),
});

export const serviceUserSchema = z.strictObject({
  /** Short name; the user is <DEPLOYMENT>_<ENV>_SVC_<NAME>. */
  name: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be 1-31 lowercase letters, digits or underscores starting with a letter, e.g. loader'),
  /** The secrets[].name holding the user's private key, e.g. snowflake/loader-private-key. */
  privateKeySecret: z.string({ message: 'is required: the secrets[].name of the private key, e.g. snowflake/loader-private-key' }),
  /** loader: writes RAW and ANALYTICS (the orchestration service); read: reads ANALYTICS (e.g. a BI service). */
  access: z.enum(SERVICE_ACCESS, { message: `must be one of ${SERVICE_ACCESS.join(', ')}` }),
  /** Allow-list kinds the user may connect from. */
  networkKinds: z.array(z.enum(ALLOW_LIST_KINDS, { message: `must be one of ${ALLOW_LIST_KINDS.join(', ')}` })).min(1),
  /** Tenants whose rows the user sees; default every tenant. */
  tenants: tenantList.optional(),
});

export const warehouseAccessSchema = z.strictObject({
  /** Restrict people groups to some tenants; groups not listed see every tenant. */
  groupTenants: z.array(groupTenantsSchema).default([]),
  /** Staff classification → scope mapping emitted as GOVERNANCE.STAFF_CLASSIFICATION_SCOPE. */
  staffClassificationScopes: z.array(staffClassificationScopeSchema).default([]),
  /** Service users; default one loader from snowflake/loader-private-key. */
  serviceUsers: z.array(serviceUserSchema).optional(),
});

/** What a caller may pass (defaults not yet applied). */
export type WarehouseAccessInput = z.input<typeof warehouseAccessSchema>;
/** After defaults. */
export type WarehouseAccess = z.output<typeof warehouseAccessSchema>;
export type ServiceUserInput = z.output<typeof serviceUserSchema>;

/** The conventional secret name of a service user's private key. */
export function privateKeySecretName(user: string): string {
  return `snowflake/${user}-private-key`;
}

/**
 * The example mapping from the Ed-Fi AMT Row-Level Security Collection, for
 * deployments that choose to adopt it. Not a default: the source asks each
 * implementer to analyse it before applying it.
 */
export const ED_FI_EXAMPLE_CLASSIFICATION_SCOPES: ReadonlyArray<{ classification: string; scope: StaffScope }> = [
  { classification: 'Instructional Aide', scope: 'none' },
  { classification: 'School Administrator', scope: 'school' },
  { classification: 'Librarians/Media Specialists', scope: 'none' },
  { classification: 'Substitute Teacher', scope: 'section' },
  { classification: 'Counselor', scope: 'none' },
  { classification: 'Principal', scope: 'school' },
  { classification: 'Teacher', scope: 'section' },
  { classification: 'Assistant Principal', scope: 'school' },
  { classification: 'Operational Support', scope: 'none' },
  { classification: 'Superintendent', scope: 'district' },
  { classification: 'Instructional Coordinator', scope: 'school' },
  { classification: 'School Leader', scope: 'school' },
  { classification: 'Assistant Superintendent', scope: 'district' },
  { classification: 'Other', scope: 'none' },
  { classification: 'Support Services Staff', scope: 'none' },
  { classification: 'LEA Specialist', scope: 'district' },
  { classification: 'State Administrator', scope: 'none' },
  { classification: 'LEA Administrator', scope: 'district' },
  { classification: 'School Specialist', scope: 'school' },
  { classification: 'LEA System Administrator', scope: 'none' },
];
