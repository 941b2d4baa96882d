import { BaselineConfig } from '../config/schema';
import { NetworkPolicyPlan, planWarehouse, WarehousePlan, WarehousePlanOptions } from './plan';
import { literalList, placeholderLiteral, qualified, quoteIdent, quoteLiteral } from './sql';

/**
 * Renders the Snowflake side of the baseline for one environment.
 *
 * Re-running the script changes nothing: roles and tasks are declared with
 * `CREATE OR ALTER` (Snowflake, "CREATE OR ALTER <object>": created if
 * missing, altered into the statement's definition otherwise); objects whose
 * CREATE OR ALTER form Snowflake does not document (network rules and
 * policies, integrations, users, row access policies) are created with
 * `IF NOT EXISTS` and converged with `ALTER ... SET`; warehouses, database and
 * schemas are created once (`INITIALLY_SUSPENDED` is a creation-time
 * setting). Grants and revokes are idempotent, the mapping tables are synced
 * with MERGE + DELETE, network rules of removed entries are dropped, and
 * `CREATE OR REPLACE` is used only for procedures, which hold neither data
 * nor an external ID.
 */
export function generateWarehouseScript(config: BaselineConfig, envName: string, options: WarehousePlanOptions = {}): string {
  return renderWarehouseScript(planWarehouse(config, envName, options));
}

/** Human access roles: the only roles people hold, directly or through a group role. */
export function humanRoles(plan: WarehousePlan): string[] {
  const levels = plan.levelsInUse.map((level) => plan.roles[level]);
  return [...levels, ...plan.groups.map((g) => g.role)];
}

class Script {
  private readonly parts: string[] = [];

  section(title: string, role: string, notes: readonly string[] = []): void {
    this.parts.push('', `-- ${'='.repeat(76)}`, `-- ${title}`, ...notes.map((n) => `-- ${n}`), `-- ${'='.repeat(76)}`);
    this.statement(`USE ROLE ${quoteIdent(role)}`);
  }

  /** A `--` comment; line breaks and control characters become spaces so nothing leaves the comment. */
  comment(text: string): void {
    const safe = Array.from(text, (ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '\u2028' || ch === '\u2029' ? ' ' : ch)).join('');
    this.parts.push(`-- ${safe}`);
  }

  statement(sql: string): void {
    this.parts.push(`${sql};`);
  }

  text(): string {
    return `${this.parts.join('\n').trimStart()}\n`;
  }
}

function grant(privileges: string, on: string, role: string): string {
  return `GRANT ${privileges} ON ${on} TO ROLE ${quoteIdent(role)}`;
}

/** Writes the plan as SQL. Only quoteIdent/quoteLiteral put config values into the text. */
export function renderWarehouseScript(plan: WarehousePlan): string {
  const s = new Script();
  const db = quoteIdent(plan.database);
  const raw = qualified(plan.database, plan.schemas.raw);
  const analytics = qualified(plan.database, plan.schemas.analytics);
  const governance = qualified(plan.database, plan.schemas.governance);
  const gov = (name: string) => qualified(plan.database, plan.schemas.governance, name);
  const loadWh = quoteIdent(plan.warehouses.load);
  const queryWh = quoteIdent(plan.warehouses.query);
  const { roles } = plan;
  const tenantAccessTable = gov('TENANT_ACCESS');
  const classificationTable = gov('STAFF_CLASSIFICATION_SCOPE');
  const tenantsTable = gov('TENANTS');
  const rowPolicy = gov('TENANT_ROW_ACCESS');
  const attachProcedure = gov('ATTACH_TENANT_ROW_ACCESS');
  const attachTask = gov('ATTACH_TENANT_ROW_ACCESS_TASK');

  // Only generated identifiers (validated) and fixed text appear in -- comments.
  s.comment(`edu-baseline warehouse script for environment ${plan.env.name} (${plan.production ? 'production' : 'non-production'}).`);
  s.comment('Generated from the baseline config; edit the config and regenerate rather than editing this file.');
  s.comment('Idempotent: running it again changes nothing. Apply with the Snowflake CLI, supplying the placeholders:');
  s.comment(`  snow sql -f <this file> ${plan.serviceUsers.map((u) => `-D "${u.publicKeyPlaceholder}=<public key>"`).join(' ')} \\`);
  s.comment('    -D "saml2_issuer=<IdP entity ID>" -D "saml2_sso_url=<IdP SSO URL>" -D "saml2_x509_cert=<IdP signing certificate>"');
  s.comment('Public keys are derived from the private keys in Parameter Store (the secrets contract):');
  for (const user of plan.serviceUsers) s.comment(`  ${user.publicKeyPlaceholder}: public half of ${user.privateKeyParameter}`);
  for (const cidr of plan.skippedIpv6) s.comment(`Not in any network rule (Snowflake IPV4 rules cannot hold IPv6): ${cidr}`);
  for (const entry of plan.sshOnly) s.comment(`Not in any network rule (kind ${entry.kind} serves SSH to the Airflow host, not Snowflake): ${entry.cidr}`);
  for (const rule of plan.networkRules.filter((r) => r.placeholder)) {
    s.comment(`Placeholder: ${rule.cidr} (${rule.kind}) is a documentation range (RFC 5737); replace it in the config with the real public address.`);
  }
  for (const name of plan.unmappedKeySecrets) s.comment(`Secret ${name} looks like a service key but no service user uses it (warehouseAccess.serviceUsers).`);

  // ---------------------------------------------------------------------------
  s.section('1. Compute and storage: warehouses, the environment database, its schemas', 'SYSADMIN', [
    plan.production
      ? 'Production database: people read ANALYTICS only; changes arrive through the loader (IAM-4).'
      : 'Development database: kept apart from production; no role here is granted anything in production (ENV-1).',
  ]);
  for (const wh of [plan.warehouses.load, plan.warehouses.query]) {
    s.statement(
      `CREATE WAREHOUSE IF NOT EXISTS ${quoteIdent(wh)} WAREHOUSE_SIZE = 'XSMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE`,
    );
  }
  s.statement(`CREATE DATABASE IF NOT EXISTS ${db} COMMENT = ${quoteLiteral(`edu-baseline ${plan.env.name}: student data (FERPA)`)}`);
  s.statement(`CREATE SCHEMA IF NOT EXISTS ${raw} COMMENT = ${quoteLiteral('Loaded from the lake by the loader; people do not read it in production')}`);
  s.statement(`CREATE SCHEMA IF NOT EXISTS ${analytics} COMMENT = ${quoteLiteral('Built by the loader; read by people through row access on tenant_code')}`);
  s.statement(`CREATE SCHEMA IF NOT EXISTS ${governance} WITH MANAGED ACCESS COMMENT = ${quoteLiteral('Network rules, tenant mapping and row access policy')}`);

  // ---------------------------------------------------------------------------
  s.section('2. Roles and their hierarchy', 'SECURITYADMIN', [
    'Access roles hold privileges; each people group gets a role that inherits one access role.',
    'Grant the group roles to the people (or to the SCIM-provisioned role of the IdP group).',
  ]);
  const roleComments: Array<[string, string]> = [
    [roles.loader, 'Orchestration service: loads RAW, builds ANALYTICS'],
    [roles.governor, 'Owns the GOVERNANCE schema and attaches the tenant row access policy'],
  ];
  const levelComments: Record<string, string> = {
    view: 'View access: monitor warehouses, no rows',
    read: 'Read access: SELECT on ANALYTICS, rows limited by tenant',
    developer: 'Developer access (non-production only): writes ANALYTICS, creates schemas',
    admin: 'Admin access (non-production only): developer plus warehouse operation',
  };
  for (const level of plan.levelsInUse) roleComments.push([roles[level], levelComments[level]]);
  for (const user of plan.serviceUsers.filter((u) => u.access === 'read')) roleComments.push([user.role, `Service user ${user.name}: read access`]);
  for (const group of plan.groups) roleComments.push([group.role, `People group ${group.group}: ${group.level} access`]);
  for (const [role, comment] of roleComments) s.statement(`CREATE OR ALTER ROLE ${quoteIdent(role)} COMMENT = ${quoteLiteral(comment)}`);
  if (plan.levelsInUse.includes('developer')) s.statement(`GRANT ROLE ${quoteIdent(roles.read)} TO ROLE ${quoteIdent(roles.developer)}`);
  if (plan.levelsInUse.includes('admin')) s.statement(`GRANT ROLE ${quoteIdent(roles.developer)} TO ROLE ${quoteIdent(roles.admin)}`);
  for (const user of plan.serviceUsers.filter((u) => u.access === 'read')) {
    s.statement(`GRANT ROLE ${quoteIdent(roles.read)} TO ROLE ${quoteIdent(user.role)}`);
  }
  for (const group of plan.groups) s.statement(`GRANT ROLE ${quoteIdent(group.accessRole)} TO ROLE ${quoteIdent(group.role)}`);
  // Service and access roles roll up to SYSADMIN, as Snowflake recommends, so it can manage what they
  // create. Group roles do not: SYSADMIN already holds their privileges through the access roles.
  const serviceReadRoles = plan.serviceUsers.filter((u) => u.access === 'read').map((u) => u.role);
  for (const role of unique([roles.loader, roles.governor, ...plan.levelsInUse.map((l) => roles[l]), ...serviceReadRoles])) {
    s.statement(`GRANT ROLE ${quoteIdent(role)} TO ROLE ${quoteIdent('SYSADMIN')}`);
  }
  s.statement(`GRANT OWNERSHIP ON SCHEMA ${governance} TO ROLE ${quoteIdent(roles.governor)} COPY CURRENT GRANTS`);

  // ---------------------------------------------------------------------------
  s.section('3. Privileges (future grants so new tables inherit them)', 'SECURITYADMIN', [
    plan.production
      ? 'Production: no people role receives INSERT, UPDATE, DELETE, TRUNCATE or OWNERSHIP (IAM-4).'
      : 'Development: developers write here only; nothing here reaches the production database.',
  ]);
  // Loader: the only writer.
  s.statement(grant('USAGE', `WAREHOUSE ${loadWh}`, roles.loader));
  s.statement(grant('USAGE', `DATABASE ${db}`, roles.loader));
  for (const schema of [raw, analytics]) {
    s.statement(grant('USAGE, CREATE TABLE, CREATE VIEW, CREATE STAGE, CREATE FILE FORMAT', `SCHEMA ${schema}`, roles.loader));
    for (const scope of ['ALL', 'FUTURE']) {
      s.statement(grant('SELECT, INSERT, UPDATE, DELETE, TRUNCATE', `${scope} TABLES IN SCHEMA ${schema}`, roles.loader));
      s.statement(grant('SELECT', `${scope} VIEWS IN SCHEMA ${schema}`, roles.loader));
    }
  }
  // Governor: sees table structure (REFERENCES, no rows) so it can find tenant_code columns.
  s.statement(grant('USAGE', `WAREHOUSE ${loadWh}`, roles.governor));
  s.statement(grant('USAGE', `DATABASE ${db}`, roles.governor));
  for (const schema of [raw, analytics]) {
    s.statement(grant('USAGE', `SCHEMA ${schema}`, roles.governor));
    for (const scope of ['ALL', 'FUTURE']) s.statement(grant('REFERENCES', `${scope} TABLES IN SCHEMA ${schema}`, roles.governor));
  }
  if (plan.levelsInUse.includes('view')) {
    s.statement(grant('MONITOR', `WAREHOUSE ${loadWh}`, roles.view));
    s.statement(grant('MONITOR', `WAREHOUSE ${queryWh}`, roles.view));
    s.statement(grant('MONITOR', `DATABASE ${db}`, roles.view));
  }
  if (plan.levelsInUse.includes('read')) {
    s.statement(grant('USAGE', `WAREHOUSE ${queryWh}`, roles.read));
    s.statement(grant('USAGE', `DATABASE ${db}`, roles.read));
    s.statement(grant('USAGE', `SCHEMA ${analytics}`, roles.read));
    for (const scope of ['ALL', 'FUTURE']) {
      s.statement(grant('SELECT', `${scope} TABLES IN SCHEMA ${analytics}`, roles.read));
      s.statement(grant('SELECT', `${scope} VIEWS IN SCHEMA ${analytics}`, roles.read));
    }
  }
  if (plan.levelsInUse.includes('developer')) {
    // planWarehouse refuses developer and admin in production; this branch is non-production only.
    s.statement(grant('CREATE SCHEMA', `DATABASE ${db}`, roles.developer));
    s.statement(grant('USAGE', `SCHEMA ${raw}`, roles.developer));
    for (const scope of ['ALL', 'FUTURE']) s.statement(grant('SELECT', `${scope} TABLES IN SCHEMA ${raw}`, roles.developer));
    s.statement(grant('CREATE TABLE, CREATE VIEW', `SCHEMA ${analytics}`, roles.developer));
    for (const scope of ['ALL', 'FUTURE']) s.statement(grant('INSERT, UPDATE, DELETE, TRUNCATE', `${scope} TABLES IN SCHEMA ${analytics}`, roles.developer));
  }
  if (plan.levelsInUse.includes('admin')) {
    s.statement(grant('MONITOR, OPERATE', `WAREHOUSE ${loadWh}`, roles.admin));
    s.statement(grant('MONITOR, OPERATE', `WAREHOUSE ${queryWh}`, roles.admin));
    s.statement(grant('MONITOR', `DATABASE ${db}`, roles.admin));
  }
  if (plan.production) {
    // Removes write privileges someone may have granted by hand since the last run (IAM-4).
    for (const role of humanRoles(plan)) {
      s.statement(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN DATABASE ${db} FROM ROLE ${quoteIdent(role)}`);
    }
  }

  // ---------------------------------------------------------------------------
  s.section('4. Account level: network rules and policies, storage integration, SSO', 'ACCOUNTADMIN', [
    'Run this script from a network the people policy lists (an agency or BI office, by its public address): Snowflake',
    'refuses to set a network policy that blocks the current IP address. A VPN helps only if its traffic leaves through',
    'one of those public addresses; its private pool is never in a Snowflake rule (Snowflake sees public addresses only).',
  ]);
  for (const rule of plan.networkRules) {
    const name = gov(rule.name);
    s.statement(`CREATE NETWORK RULE IF NOT EXISTS ${name} TYPE = IPV4 MODE = INGRESS VALUE_LIST = ${literalList([rule.cidr])}`);
    s.statement(`ALTER NETWORK RULE ${name} SET VALUE_LIST = ${literalList([rule.cidr])} COMMENT = ${quoteLiteral(`${rule.kind}: ${rule.comment}`)}`);
  }
  const ruleRef = (rule: string) => `${plan.database}.${plan.schemas.governance}.${rule}`;
  const policies = [plan.peoplePolicy, ...plan.serviceUsers.map((u) => u.networkPolicy)].filter((p) => p.rules.length > 0);
  for (const policy of policies) {
    const list = literalList(policy.rules.map(ruleRef));
    const comment = quoteLiteral(`Allow-list kinds: ${policy.kinds.join(', ')}`);
    s.statement(`CREATE NETWORK POLICY IF NOT EXISTS ${quoteIdent(policy.name)} ALLOWED_NETWORK_RULE_LIST = ${list} COMMENT = ${comment}`);
    s.statement(`ALTER NETWORK POLICY ${quoteIdent(policy.name)} SET ALLOWED_NETWORK_RULE_LIST = ${list} COMMENT = ${comment}`);
  }
  s.comment('People (and any user without its own policy) connect only from agency, BI and contractor networks.');
  s.statement(`ALTER ACCOUNT SET NETWORK_POLICY = ${quoteIdent(plan.peoplePolicy.name)}`);
  renderNetworkExpiry(s, plan, policies, ruleRef, gov);
  renderOrphanRuleCleanup(s, plan);

  const integration = quoteIdent(plan.integration.name);
  const locations = literalList(plan.integration.allowedLocations);
  s.comment('Storage integration: never CREATE OR REPLACE, which would issue a new external ID and break the IAM trust (IAM-3).');
  s.statement(
    `CREATE STORAGE INTEGRATION IF NOT EXISTS ${integration} TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' ENABLED = TRUE ` +
      `STORAGE_AWS_ROLE_ARN = ${quoteLiteral(plan.integration.roleArn)} STORAGE_AWS_EXTERNAL_ID = ${quoteLiteral(plan.integration.externalId)} ` +
      `STORAGE_ALLOWED_LOCATIONS = ${locations}`,
  );
  s.statement(
    `ALTER STORAGE INTEGRATION ${integration} SET STORAGE_AWS_ROLE_ARN = ${quoteLiteral(plan.integration.roleArn)} ` +
      `STORAGE_AWS_EXTERNAL_ID = ${quoteLiteral(plan.integration.externalId)} ENABLED = TRUE STORAGE_ALLOWED_LOCATIONS = ${locations}`,
  );
  s.comment('Check: STORAGE_AWS_IAM_USER_ARN must equal the config (environments[].warehouse.snowflakeUserArn), and');
  s.comment('STORAGE_AWS_EXTERNAL_ID the configured externalId; otherwise the role trust in AWS does not match.');
  s.statement(`DESCRIBE STORAGE INTEGRATION ${integration}`);
  s.statement(grant('USAGE', `INTEGRATION ${integration}`, roles.loader));

  s.comment('People sign in through the identity provider (SSO); Snowflake holds no passwords for them.');
  const sso = quoteIdent(plan.sso.name);
  const ssoSettings =
    `SAML2_ISSUER = ${placeholderLiteral('saml2_issuer')} SAML2_SSO_URL = ${placeholderLiteral('saml2_sso_url')} ` +
    `SAML2_PROVIDER = 'CUSTOM' SAML2_X509_CERT = ${placeholderLiteral('saml2_x509_cert')} ` +
    `SAML2_ENABLE_SP_INITIATED = TRUE SAML2_SP_INITIATED_LOGIN_PAGE_LABEL = 'Single sign-on'`;
  s.statement(`CREATE SECURITY INTEGRATION IF NOT EXISTS ${sso} TYPE = SAML2 ENABLED = TRUE ${ssoSettings}`);
  s.statement(`ALTER SECURITY INTEGRATION ${sso} SET ENABLED = TRUE ${ssoSettings}`);
  s.comment('A person is TYPE = PERSON with no password, e.g. (provisioning through SCIM does this for you):');
  s.comment(`  CREATE USER IF NOT EXISTS "JDOE" TYPE = PERSON LOGIN_NAME = 'jdoe@district.example'; GRANT ROLE "<group role>" TO USER "JDOE";`);

  s.comment('The governor attaches the row access policy to tables the loader owns, from a scheduled task.');
  s.statement(`GRANT APPLY ROW ACCESS POLICY ON ACCOUNT TO ROLE ${quoteIdent(roles.governor)}`);
  s.statement(`GRANT EXECUTE TASK, EXECUTE MANAGED TASK ON ACCOUNT TO ROLE ${quoteIdent(roles.governor)}`);

  // ---------------------------------------------------------------------------
  s.section('5. Service users: key-pair only (TYPE = SERVICE cannot use a password or SSO)', 'ACCOUNTADMIN', [
    'Rotation: set RSA_PUBLIC_KEY_2 to the new key, switch the client, then UNSET RSA_PUBLIC_KEY (SECRET-4).',
  ]);
  for (const user of plan.serviceUsers) {
    const name = quoteIdent(user.user);
    const wh = user.access === 'loader' ? loadWh : queryWh;
    const settings =
      `TYPE = SERVICE DEFAULT_ROLE = ${quoteIdent(user.role)} DEFAULT_WAREHOUSE = ${wh} ` +
      `RSA_PUBLIC_KEY = ${placeholderLiteral(user.publicKeyPlaceholder)} ` +
      `COMMENT = ${quoteLiteral(`Service user ${user.name}; private key in Parameter Store ${user.privateKeyParameter}`)}`;
    s.comment(`${user.user}: public key of ${user.privateKeyParameter}`);
    s.statement(`CREATE USER IF NOT EXISTS ${name} ${settings}`);
    s.statement(`ALTER USER ${name} SET ${settings}`);
    s.statement(`ALTER USER ${name} SET NETWORK_POLICY = ${quoteIdent(user.networkPolicy.name)}`);
    s.statement(`GRANT ROLE ${quoteIdent(user.role)} TO USER ${name}`);
  }

  // ---------------------------------------------------------------------------
  s.section('6. Row access by tenant_code: mapping tables, policy, attachment', roles.governor, [
    'A role sees a row when the mapping lists (role, tenant_code) and the entry has not expired.',
    'Rows not in the config are deleted: access ends with the relationship (Ed-Fi AMT Row-Level Security Collection).',
  ]);
  s.statement(`USE WAREHOUSE ${loadWh}`);
  s.statement(
    `CREATE TABLE IF NOT EXISTS ${tenantAccessTable} ("ROLE_NAME" VARCHAR NOT NULL, "TENANT_CODE" VARCHAR NOT NULL, "EXPIRES" DATE, ` +
      `PRIMARY KEY ("ROLE_NAME", "TENANT_CODE")) COMMENT = ${quoteLiteral('Role to tenant_code mapping read by the tenant row access policy')}`,
  );
  s.statement(
    `CREATE TABLE IF NOT EXISTS ${classificationTable} ("TENANT_CODE" VARCHAR NOT NULL, "STAFF_CLASSIFICATION" VARCHAR NOT NULL, ` +
      `"AUTHORIZATION_SCOPE" VARCHAR NOT NULL, PRIMARY KEY ("TENANT_CODE", "STAFF_CLASSIFICATION")) ` +
      `COMMENT = ${quoteLiteral('Ed-Fi staff classification to AuthorizationScope (District, School, Section), per tenant')}`,
  );
  s.statement(
    `CREATE TABLE IF NOT EXISTS ${tenantsTable} ("TENANT_CODE" VARCHAR NOT NULL, "TENANT_NAME" VARCHAR NOT NULL, PRIMARY KEY ("TENANT_CODE")) ` +
      `COMMENT = ${quoteLiteral('Tenants of this deployment: tenant_code and display name')}`,
  );
  s.statement('BEGIN TRANSACTION');
  syncTable(s, tenantsTable, ['TENANT_CODE'], ['TENANT_NAME'], plan.tenants.map((t) => [t.code, t.name]), {});
  syncTable(s, tenantAccessTable, ['ROLE_NAME', 'TENANT_CODE'], ['EXPIRES'], plan.tenantAccess.map((r) => [r.role, r.tenantCode, r.expires ?? null]), {
    EXPIRES: 'DATE',
  });
  syncTable(
    s,
    classificationTable,
    ['TENANT_CODE', 'STAFF_CLASSIFICATION'],
    ['AUTHORIZATION_SCOPE'],
    plan.classifications.map((r) => [r.tenantCode, r.classification, r.scope]),
    {},
  );
  s.statement('COMMIT');

  const body =
    `EXISTS (SELECT 1 FROM ${tenantAccessTable} AS m WHERE m."TENANT_CODE" = "ROW_TENANT_CODE" ` +
    `AND IS_ROLE_IN_SESSION(m."ROLE_NAME") AND (m."EXPIRES" IS NULL OR m."EXPIRES" >= CURRENT_DATE()))`;
  s.statement(
    `CREATE ROW ACCESS POLICY IF NOT EXISTS ${rowPolicy} AS ("ROW_TENANT_CODE" VARCHAR) RETURNS BOOLEAN -> ${body} ` +
      `COMMENT = ${quoteLiteral('Rows by tenant_code for the roles in GOVERNANCE.TENANT_ACCESS')}`,
  );
  s.statement(`ALTER ROW ACCESS POLICY ${rowPolicy} SET BODY -> ${body}`);

  // Procedures hold no data, so replacing this one is safe; it only adds the policy where none is attached.
  const quotedDbInLiteral = `"${plan.database}"`;
  s.statement(
    [
      `CREATE OR REPLACE PROCEDURE ${attachProcedure}()`,
      '  RETURNS NUMBER',
      '  LANGUAGE SQL',
      '  EXECUTE AS OWNER',
      `  COMMENT = ${quoteLiteral('Attaches TENANT_ROW_ACCESS to every table with a TENANT_CODE column that has no row access policy')}`,
      'AS',
      '$$',
      'DECLARE',
      '  attached NUMBER DEFAULT 0;',
      '  existing NUMBER DEFAULT 0;',
      '  target VARCHAR;',
      '  stmt VARCHAR;',
      '  candidates CURSOR FOR',
      '    SELECT c.TABLE_SCHEMA AS SCHEMA_NAME, c.TABLE_NAME AS TABLE_NAME, c.COLUMN_NAME AS COLUMN_NAME',
      `    FROM ${db}.INFORMATION_SCHEMA.COLUMNS AS c`,
      `    JOIN ${db}.INFORMATION_SCHEMA.TABLES AS t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME`,
      `    WHERE UPPER(c.COLUMN_NAME) = 'TENANT_CODE' AND t.TABLE_TYPE = 'BASE TABLE'`,
      `      AND c.TABLE_SCHEMA NOT IN (${quoteLiteral(plan.schemas.governance)}, 'INFORMATION_SCHEMA');`,
      'BEGIN',
      '  FOR candidate IN candidates DO',
      `    target := '${quotedDbInLiteral}."' || REPLACE(candidate.SCHEMA_NAME, '"', '""') || '"."' || REPLACE(candidate.TABLE_NAME, '"', '""') || '"';`,
      '    SELECT COUNT(*) INTO :existing',
      `      FROM TABLE(${db}.INFORMATION_SCHEMA.POLICY_REFERENCES(REF_ENTITY_NAME => :target, REF_ENTITY_DOMAIN => 'table'))`,
      `      WHERE POLICY_KIND = 'ROW_ACCESS_POLICY';`,
      '    IF (existing = 0) THEN',
      `      stmt := 'ALTER TABLE ' || target || ' ADD ROW ACCESS POLICY ${rowPolicy.replace(/'/g, "''")} ON ("' || REPLACE(candidate.COLUMN_NAME, '"', '""') || '")';`,
      '      EXECUTE IMMEDIATE :stmt;',
      '      attached := attached + 1;',
      '    END IF;',
      '  END FOR;',
      '  RETURN attached;',
      'END;',
      '$$',
    ].join('\n'),
  );
  s.statement(`GRANT USAGE ON PROCEDURE ${attachProcedure}() TO ROLE ${quoteIdent(roles.loader)}`);
  s.comment('New tables are covered within minutes; the loader should also CALL the procedure after each build (dbt on-run-end).');
  s.statement(
    `CREATE OR ALTER TASK ${attachTask} USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '5 MINUTE' ` +
      `COMMENT = ${quoteLiteral('Keeps every tenant_code table under the tenant row access policy')} AS CALL ${attachProcedure}()`,
  );
  s.statement(`ALTER TASK ${attachTask} RESUME`);
  s.statement(`CALL ${attachProcedure}()`);

  s.comment('Read roles and the loader may read the tenant list and the classification mapping (dbt models and BI join it with staff assignments).');
  const classificationReaders = [roles.loader, ...(plan.levelsInUse.includes('read') ? [roles.read] : [])];
  for (const role of classificationReaders) {
    s.statement(grant('USAGE', `SCHEMA ${governance}`, role));
    s.statement(grant('SELECT', `TABLE ${tenantsTable}`, role));
    s.statement(grant('SELECT', `TABLE ${classificationTable}`, role));
  }

  return s.text();
}

/**
 * NET-2 in Snowflake: an allow-list entry with `expires` stops admitting
 * anyone after that day without anyone re-running this script. A daily task
 * (UTC) sets each policy's allowed list to the rules still valid, in date
 * order, then drops the expired rules (a rule a policy still lists cannot be
 * dropped). ALTER NETWORK POLICY ... SET ALLOWED_NETWORK_RULE_LIST replaces
 * the whole list (Snowflake, ALTER NETWORK POLICY), so the task is idempotent.
 * planWarehouse refuses a config whose policy would be left empty.
 */
function renderNetworkExpiry(
  s: Script,
  plan: WarehousePlan,
  policies: readonly NetworkPolicyPlan[],
  ruleRef: (rule: string) => string,
  gov: (name: string) => string,
): void {
  const expiring = plan.networkRules.filter((r) => r.expires !== undefined);
  const procedure = gov('EXPIRE_NETWORK_RULES');
  const task = gov('EXPIRE_NETWORK_RULES_TASK');
  if (expiring.length === 0) {
    s.comment('No allow-list entry of this environment expires; no expiry task is needed (one left from an earlier run is removed).');
    s.statement(`DROP TASK IF EXISTS ${task}`);
    return;
  }
  const dates = [...new Set(expiring.map((r) => r.expires as string))].sort();
  const body: string[] = [];
  for (const date of dates) {
    body.push(`  IF (CURRENT_DATE() > ${quoteLiteral(date)}::DATE) THEN`);
    for (const policy of policies) {
      const valid = policy.rules.filter((rule) => {
        const expires = plan.networkRules.find((r) => r.name === rule)?.expires;
        return expires === undefined || expires > date;
      });
      if (valid.length === policy.rules.length) continue;
      body.push(`    ALTER NETWORK POLICY ${quoteIdent(policy.name)} SET ALLOWED_NETWORK_RULE_LIST = ${literalList(valid.map(ruleRef))};`);
    }
    for (const rule of expiring.filter((r) => r.expires === date)) body.push(`    DROP NETWORK RULE IF EXISTS ${gov(rule.name)};`);
    body.push('    removed := removed + 1;', '  END IF;');
  }
  s.comment('NET-2: access from an expiring entry ends after its last day, enforced by Snowflake itself (daily task, UTC):');
  for (const rule of expiring) s.comment(`  ${rule.name} (${rule.cidr}, ${rule.kind}) until ${rule.expires}`);
  s.statement(
    [
      `CREATE OR REPLACE PROCEDURE ${procedure}()`,
      '  RETURNS NUMBER',
      '  LANGUAGE SQL',
      '  EXECUTE AS OWNER',
      `  COMMENT = ${quoteLiteral('Removes allow-list network rules after their expiry date from every network policy, then drops them (NET-2)')}`,
      'AS',
      '$$',
      'DECLARE',
      '  removed NUMBER DEFAULT 0;',
      'BEGIN',
      ...body,
      '  RETURN removed;',
      'END;',
      '$$',
    ].join('\n'),
  );
  // CREATE OR ALTER TASK: documented variant of CREATE TASK (Snowflake, CREATE TASK); TIMEZONE makes CURRENT_DATE() a UTC date.
  s.statement(
    `CREATE OR ALTER TASK ${task} USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = 'USING CRON 5 0 * * * UTC' TIMEZONE = 'UTC' ` +
      `COMMENT = ${quoteLiteral('Ends access from expired allow-list entries (NET-2)')} AS CALL ${procedure}()`,
  );
  s.statement(`ALTER TASK ${task} RESUME`);
  s.statement(`CALL ${procedure}()`);
}

/**
 * Removed allow-list entries leave nothing behind: every network rule of the
 * GOVERNANCE schema that this run did not write (a NET_ rule of an entry since
 * removed from the config) is dropped, after the policies above stopped
 * listing it.
 */
function renderOrphanRuleCleanup(s: Script, plan: WarehousePlan): void {
  const keep = literalList(plan.networkRules.map((r) => r.name));
  const schema = qualified(plan.database, plan.schemas.governance);
  s.comment('Network rules of entries removed from the config are dropped, so no orphan rule can be re-attached later.');
  s.statement(
    [
      'EXECUTE IMMEDIATE $$',
      'DECLARE',
      `  rules RESULTSET DEFAULT (SHOW NETWORK RULES IN SCHEMA ${schema});`,
      '  c CURSOR FOR rules;',
      '  stmt VARCHAR;',
      'BEGIN',
      '  FOR r IN c DO',
      `    IF (STARTSWITH(r."name", 'NET_') AND NOT ARRAY_CONTAINS(r."name"::VARIANT, ARRAY_CONSTRUCT${keep})) THEN`,
      `      stmt := 'DROP NETWORK RULE IF EXISTS ${schema.replace(/'/g, "''")}."' || REPLACE(r."name", '"', '""') || '"';`,
      '      EXECUTE IMMEDIATE :stmt;',
      '    END IF;',
      '  END FOR;',
      'END;',
      '$$',
    ].join('\n'),
  );
}

type Cell = string | null;

/**
 * Makes a table hold exactly `rows`: MERGE inserts or updates, DELETE removes
 * what the config no longer lists. A second run finds nothing to do.
 */
function syncTable(
  s: Script,
  table: string,
  keys: readonly string[],
  valueColumns: readonly string[],
  rows: ReadonlyArray<readonly Cell[]>,
  types: Readonly<Record<string, string>>,
): void {
  const columns = [...keys, ...valueColumns];
  const cols = columns.map(quoteIdent).join(', ');
  if (rows.length === 0) {
    s.statement(`DELETE FROM ${table}`);
    return;
  }
  const values = rows.map((row) => `(${row.map((cell) => (cell === null ? 'NULL' : quoteLiteral(cell))).join(', ')})`).join(',\n    ');
  const select = columns
    .map((c) => (types[c] ? `CAST(v.${quoteIdent(c)} AS ${types[c]}) AS ${quoteIdent(c)}` : `v.${quoteIdent(c)}`))
    .join(', ');
  const source = `(SELECT ${select} FROM (VALUES\n    ${values}) AS v (${cols}))`;
  const on = keys.map((k) => `target.${quoteIdent(k)} = source.${quoteIdent(k)}`).join(' AND ');
  const changed = valueColumns.map((c) => `NOT EQUAL_NULL(target.${quoteIdent(c)}, source.${quoteIdent(c)})`).join(' OR ');
  const set = valueColumns.map((c) => `${quoteIdent(c)} = source.${quoteIdent(c)}`).join(', ');
  s.statement(
    `MERGE INTO ${table} AS target USING ${source} AS source ON ${on}\n` +
      `  WHEN MATCHED AND (${changed}) THEN UPDATE SET ${set}\n` +
      `  WHEN NOT MATCHED THEN INSERT (${cols}) VALUES (${columns.map((c) => `source.${quoteIdent(c)}`).join(', ')})`,
  );
  s.statement(
    `DELETE FROM ${table} AS target WHERE NOT EXISTS (SELECT 1 FROM (VALUES\n    ${rows.map((row) => `(${row.slice(0, keys.length).map((c) => quoteLiteral(c ?? '')).join(', ')})`).join(',\n    ')}) ` +
      `AS v (${keys.map(quoteIdent).join(', ')}) WHERE ${keys.map((k) => `v.${quoteIdent(k)} = target.${quoteIdent(k)}`).join(' AND ')})`,
  );
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
