import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowListFor, declaredSecrets, environmentNames } from '../../lib/config/derived';
import { ConfigError } from '../../lib/config/errors';
import { loadConfig, parseConfig } from '../../lib/config/loader';
import { BaselineConfig } from '../../lib/config/schema';
import { ED_FI_EXAMPLE_CLASSIFICATION_SCOPES, WarehouseAccessInput } from '../../lib/config/warehouse-access';
import { locationToObjectArn, planWarehouse, SNOWFLAKE_NETWORK_KINDS, storageAllowedLocations, warehouseRoleArn } from '../../lib/warehouse/plan';
import { generateWarehouseScript } from '../../lib/warehouse/script';
import { findWord, head, lex, Statement, Token } from './sql-lexer';

const TODAY = '2026-01-15';
const EXAMPLE_PATH = join(__dirname, '../../config/example.yaml');
const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, 'utf8');
const example = loadConfig(EXAMPLE_PATH, { today: TODAY });
const prodScript = generateWarehouseScript(example, 'prod', { today: TODAY });
const devScript = generateWarehouseScript(example, 'dev', { today: TODAY });

function configFrom(text: string, today = TODAY): BaselineConfig {
  return parseConfig(text, 'x.yaml', { today });
}

/** A copy of the example config with a change that bypasses file validation (as a typed caller could). */
function mutated(change: (c: BaselineConfig) => void): BaselineConfig {
  const copy = structuredClone(example);
  change(copy);
  return copy;
}

function expectConfigError(run: () => unknown, path: string, fragment: string | RegExp): ConfigError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  const issue = error.issues.find((i) => i.path === path);
  expect({ paths: error.issues.map((i) => i.path), found: issue !== undefined }).toEqual(expect.objectContaining({ found: true }));
  expect(issue?.message).toEqual(expect.stringMatching(fragment));
  return error;
}

// --- small readers over the lexed script -----------------------------------------------------

interface PrivilegeGrant {
  readonly privileges: string[];
  readonly on: string;
  readonly role: string;
}

/** Splits the tokens between GRANT and ON into privileges ("CREATE TABLE" stays one). */
function privilegeGrants(statements: readonly Statement[]): PrivilegeGrant[] {
  const grants: PrivilegeGrant[] = [];
  for (const st of statements) {
    const t = st.tokens;
    if (t[0].value !== 'GRANT' || t[1].value === 'ROLE') continue;
    const on = findWord(t, 'ON');
    const to = findWord(t, 'TO', on);
    const privileges = t
      .slice(1, on)
      .map((x) => x.value)
      .join(' ')
      .split(' , ')
      .map((p) => p.trim());
    const target = t[to + 2];
    expect(t[to + 1].value).toBe('ROLE');
    grants.push({ privileges, on: t.slice(on + 1, to).map((x) => x.value).join(' '), role: target.value });
  }
  return grants;
}

/** role → roles granted to it (GRANT ROLE a TO ROLE b gives b the privileges of a). */
function roleEdges(statements: readonly Statement[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const st of statements) {
    const t = st.tokens;
    if (t[0].value === 'GRANT' && t[1].value === 'ROLE' && t[3].value === 'TO' && t[4].value === 'ROLE') {
      const set = edges.get(t[5].value) ?? new Set<string>();
      set.add(t[2].value);
      edges.set(t[5].value, set);
    }
  }
  return edges;
}

function closure(role: string, edges: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>([role]);
  const stack = [role];
  while (stack.length > 0) {
    for (const next of edges.get(stack.pop() as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

const WRITE_PRIVILEGE = /^(INSERT|UPDATE|DELETE|TRUNCATE|OWNERSHIP|ALL|ALL PRIVILEGES|MODIFY|APPLY .*|CREATE .*)$/;

/** Privileges that people holding `groupRoles` get, directly or inherited. */
function writePrivilegesOfPeople(script: string, groupRoles: readonly string[]): string[] {
  const statements = lex(script);
  const edges = roleEdges(statements);
  const grants = privilegeGrants(statements);
  const found: string[] = [];
  for (const group of groupRoles) {
    for (const role of closure(group, edges)) {
      for (const g of grants.filter((x) => x.role === role)) {
        for (const p of g.privileges.filter((x) => WRITE_PRIVILEGE.test(x))) found.push(`${group} via ${role}: ${p} ON ${g.on}`);
      }
    }
  }
  return found;
}

/** Reads the tuples of the first `VALUES (...), (...)` after `from`: strings and NULLs. */
function valuesTuples(tokens: readonly Token[], from: number): Array<Array<string | null>> {
  let i = findWord(tokens, 'VALUES', from) + 1;
  const tuples: Array<Array<string | null>> = [];
  while (tokens[i]?.value === '(') {
    const tuple: Array<string | null> = [];
    i++;
    while (tokens[i].value !== ')') {
      if (tokens[i].kind === 'string') tuple.push(tokens[i].value);
      else if (tokens[i].kind === 'word' && tokens[i].value === 'NULL') tuple.push(null);
      i++;
    }
    tuples.push(tuple);
    i++;
    if (tokens[i]?.value === ',') i++;
  }
  return tuples;
}

function mergeRows(script: string, table: string): Array<Array<string | null>> {
  const merge = lex(script).find((st) => head(st, 2) === 'MERGE INTO' && st.tokens.some((t) => t.kind === 'ident' && t.value === table));
  if (!merge) return [];
  return valuesTuples(merge.tokens, 0);
}

/** The string literals in the parenthesised list that follows `keyword =`. */
function listAfter(st: Statement, keyword: string): string[] {
  const at = findWord(st.tokens, keyword);
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 3; i < st.tokens.length && st.tokens[i].value !== ')'; i++) {
    if (st.tokens[i].kind === 'string') out.push(st.tokens[i].value);
  }
  return out;
}

function lastIdent(st: Statement, before: string): string {
  const end = findWord(st.tokens, before);
  const idents = st.tokens.slice(0, end).filter((t) => t.kind === 'ident');
  return idents[idents.length - 1].value;
}

// ----------------------------------------------------------------------------------------------

describe('warehouse script for the example config', () => {
  test('matches the snapshot (production)', () => {
    expect(prodScript).toMatchSnapshot();
  });

  test('matches the snapshot (development)', () => {
    expect(devScript).toMatchSnapshot();
  });

  test('no people role in production holds a write privilege, directly or inherited (IAM-4)', () => {
    const plan = planWarehouse(example, 'prod', { today: TODAY });
    // Every people group with prod access has a role, and those are the roles people get.
    expect(plan.groups.map((g) => g.group)).toEqual(['platform-admins', 'data-engineers', 'analysts', 'monitoring-staff']);
    const groupRoles = plan.groups.map((g) => g.role);
    expect(writePrivilegesOfPeople(prodScript, groupRoles)).toEqual([]);
    // People never inherit the loader or the governor.
    const edges = roleEdges(lex(prodScript));
    for (const role of groupRoles) {
      expect([...closure(role, edges)]).not.toEqual(expect.arrayContaining([plan.roles.loader]));
      expect([...closure(role, edges)]).not.toEqual(expect.arrayContaining([plan.roles.governor]));
    }
    // The production script revokes hand-granted writes from every people role.
    const revoked = lex(prodScript)
      .filter((st) => head(st, 1) === 'REVOKE')
      .map((st) => st.tokens[st.tokens.length - 1].value);
    expect(revoked).toEqual(expect.arrayContaining(groupRoles));
  });

  test('the write-privilege check does find the developer writes in development', () => {
    // Proves the production assertion above can fail: development grants writes to developers.
    const plan = planWarehouse(example, 'dev', { today: TODAY });
    const found = writePrivilegesOfPeople(devScript, plan.groups.map((g) => g.role));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/RIVERSIDE_DEV_GROUP_DATA_ENGINEERS via RIVERSIDE_DEV_DEVELOPER: INSERT/)]));
  });

  test.each(['prod', 'dev'])('every network-policy address in %s is an allow-list entry of that environment, and every IPv4 entry is used', (envName) => {
    const script = envName === 'prod' ? prodScript : devScript;
    const env = example.environments.find((e) => e.name === envName);
    if (!env) throw new Error('no env');
    const statements = lex(script);
    const ruleValues = new Map<string, string[]>();
    const ruleKinds = new Map<string, string>();
    for (const st of statements.filter((x) => /^(CREATE|ALTER) NETWORK RULE/.test(head(x, 3)))) {
      const name = lastIdent(st, head(st, 1) === 'CREATE' ? 'TYPE' : 'SET');
      const values = listAfter(st, 'VALUE_LIST');
      expect(ruleValues.get(name) ?? values).toEqual(values);
      ruleValues.set(name, values);
      const comment = st.tokens.find((t, i) => i > 0 && st.tokens[i - 2]?.value === 'COMMENT' && t.kind === 'string');
      if (comment) ruleKinds.set(name, comment.value.split(':')[0]);
    }
    const policyRules = new Map<string, string[]>();
    for (const st of statements.filter((x) => /^(CREATE|ALTER) NETWORK POLICY/.test(head(x, 3)))) {
      const name = lastIdent(st, head(st, 1) === 'CREATE' ? 'ALLOWED_NETWORK_RULE_LIST' : 'SET');
      policyRules.set(name, listAfter(st, 'ALLOWED_NETWORK_RULE_LIST').map((qualifiedName) => qualifiedName.split('.').pop() as string));
    }
    const entries = allowListFor(example, env);
    const used = new Set<string>();
    for (const [policy, rules] of policyRules) {
      for (const rule of rules) {
        const values = ruleValues.get(rule);
        expect({ policy, rule, defined: values !== undefined }).toEqual({ policy, rule, defined: true });
        for (const ip of values ?? []) {
          const entry = entries.find((e) => e.cidr === ip && e.kind === ruleKinds.get(rule));
          expect({ policy, ip, fromAllowList: entry !== undefined }).toEqual({ policy, ip, fromAllowList: true });
          used.add(ip);
          // People may not connect from the orchestration egress; only the loader does.
          if (policy.endsWith('_PEOPLE_NETWORK')) expect(entry?.kind).not.toBe('orchestration');
          if (policy.endsWith('_SVC_LOADER_NETWORK')) expect(entry?.kind).toBe('orchestration');
        }
      }
    }
    // Every warehouse-kind entry is used; VPN (and admin) networks serve SSH only and never enter Snowflake.
    expect([...used].sort()).toEqual(entries.filter((e) => SNOWFLAKE_NETWORK_KINDS.includes(e.kind)).map((e) => e.cidr).sort());
    expect(used.has('10.99.0.0/22')).toBe(false);
    // The dev-only contractor network never reaches production.
    expect(used.has('203.0.113.200/30')).toBe(envName === 'dev');
    // The people policy is the account policy; the loader user has its own.
    expect(statements.some((st) => head(st, 4) === 'ALTER ACCOUNT SET NETWORK_POLICY')).toBe(true);
  });

  test('every configured tenant appears in the tenant mapping for the loader and every group that reads rows', () => {
    const plan = planWarehouse(example, 'prod', { today: TODAY });
    const rows = mergeRows(prodScript, 'TENANT_ACCESS');
    const readers = [plan.roles.loader, ...plan.groups.filter((g) => g.level === 'read').map((g) => g.role)];
    expect(readers).toHaveLength(3);
    for (const tenant of example.tenants) {
      for (const role of readers) expect(rows).toContainEqual([role, tenant.code, null]);
    }
    // View-only groups see no rows at all.
    for (const g of plan.groups.filter((x) => x.level === 'view')) expect(rows.some((r) => r[0] === g.role)).toBe(false);
    // The DELETE keeps exactly the configured pairs.
    const del = lex(prodScript).find((st) => head(st, 2) === 'DELETE FROM' && st.tokens.some((t) => t.value === 'TENANT_ACCESS'));
    expect(valuesTuples(del?.tokens ?? [], 0)).toEqual(rows.map((r) => r.slice(0, 2)));
  });

  test('the row access policy reads the mapping by role and expiry', () => {
    const policy = lex(prodScript).find((st) => head(st, 4) === 'CREATE ROW ACCESS POLICY');
    expect(policy?.text).toContain('IS_ROLE_IN_SESSION(m."ROLE_NAME")');
    expect(policy?.text).toContain('m."EXPIRES" >= CURRENT_DATE()');
    expect(policy?.text).toContain('"RIVERSIDE_PROD"."GOVERNANCE"."TENANT_ACCESS"');
    expect(prodScript).toContain('ADD ROW ACCESS POLICY "RIVERSIDE_PROD"."GOVERNANCE"."TENANT_ROW_ACCESS" ON');
    expect(prodScript).toContain('CALL "RIVERSIDE_PROD"."GOVERNANCE"."ATTACH_TENANT_ROW_ACCESS"();');
  });

  test('the storage integration allows exactly the lake prefixes the warehouse IAM role may read', () => {
    const env = example.environments.find((e) => e.name === 'prod');
    if (!env) throw new Error('no env');
    const { lakeBucket, warehouseRole } = environmentNames(example, env);
    // The S3 object ARNs the DataLake construct grants the warehouse integration role.
    const iamObjectArns = example.tenants.map((t) => `arn:aws:s3:::${lakeBucket}/tenant_code=${t.code}/*`);
    expect(storageAllowedLocations(example, env).map((l) => locationToObjectArn(l))).toEqual(iamObjectArns);
    expect(iamObjectArns).toEqual([
      'arn:aws:s3:::riverside-prod-lake-222222222222/tenant_code=riverside_isd/*',
      'arn:aws:s3:::riverside-prod-lake-222222222222/tenant_code=lakeside_charter/*',
    ]);
    const statements = lex(prodScript).filter((st) => /^(CREATE|ALTER) STORAGE INTEGRATION/.test(head(st, 3)));
    expect(statements).toHaveLength(2);
    for (const st of statements) {
      expect(listAfter(st, 'STORAGE_ALLOWED_LOCATIONS')).toEqual(storageAllowedLocations(example, env));
      const roleArn = st.tokens[findWord(st.tokens, 'STORAGE_AWS_ROLE_ARN') + 2].value;
      expect(roleArn).toBe(`arn:aws:iam::${env.account}:role/${warehouseRole}`);
      expect(roleArn).toBe(warehouseRoleArn(example, env));
      expect(st.tokens[findWord(st.tokens, 'STORAGE_AWS_EXTERNAL_ID') + 2].value).toBe(env.warehouse.externalId);
    }
  });

  test.each(['prod', 'dev'])('a second run is a no-op by construction (%s)', (envName) => {
    const statements = lex(envName === 'prod' ? prodScript : devScript);
    const created = new Map<string, string>();
    const altered = new Set<string>();
    for (const st of statements) {
      const h = head(st, 8);
      if (h.startsWith('CREATE OR REPLACE')) {
        // Only the procedure: it holds no data and no external ID.
        expect(h).toBe('CREATE OR REPLACE PROCEDURE');
      } else if (h.startsWith('CREATE OR ALTER')) {
        // Declarative and idempotent where Snowflake supports it (CREATE OR ALTER <object>).
        expect(h).toMatch(/^CREATE OR ALTER (ROLE|TASK)\b/);
      } else if (h.startsWith('CREATE')) {
        expect(h).toMatch(/^CREATE (WAREHOUSE|DATABASE|SCHEMA|ROLE|NETWORK RULE|NETWORK POLICY|STORAGE INTEGRATION|SECURITY INTEGRATION|USER|TABLE|ROW ACCESS POLICY|TASK) IF NOT EXISTS/);
        const kind = h.replace(/^CREATE (.*) IF NOT EXISTS.*$/, '$1');
        created.set(`${kind} ${st.tokens.filter((t) => t.kind === 'ident').slice(0, 3).map((t) => t.value).join('.')}`, kind);
      } else if (h.startsWith('ALTER')) {
        expect(h).toMatch(/^ALTER (ROLE|NETWORK RULE|NETWORK POLICY|ACCOUNT|STORAGE INTEGRATION|SECURITY INTEGRATION|USER|ROW ACCESS POLICY|TASK)\b/);
        expect(st.tokens.some((t) => t.kind === 'word' && (t.value === 'SET' || t.value === 'RESUME'))).toBe(true);
        const kind = h.replace(/^ALTER (ROLE|NETWORK RULE|NETWORK POLICY|ACCOUNT|STORAGE INTEGRATION|SECURITY INTEGRATION|USER|ROW ACCESS POLICY|TASK).*$/, '$1');
        altered.add(`${kind} ${st.tokens.filter((t) => t.kind === 'ident').slice(0, 3).map((t) => t.value).join('.')}`);
      } else {
        expect(h).toMatch(/^(USE (ROLE|WAREHOUSE)|GRANT|REVOKE|MERGE INTO|DELETE FROM|BEGIN TRANSACTION|COMMIT|CALL|DESCRIBE STORAGE INTEGRATION|EXECUTE IMMEDIATE|DROP TASK IF EXISTS)\b/);
      }
      // Nothing is dropped outside the expiry task and the removal of rules the config no longer lists
      // (inside $$ blocks), nor truncated or inserted outside a MERGE.
      if (h.startsWith('DROP')) expect(h).toMatch(/^DROP TASK IF EXISTS/);
      else expect(st.tokens.filter((t) => t.kind === 'word').map((t) => t.value)).not.toEqual(expect.arrayContaining(['DROP']));
      expect(h).not.toMatch(/^(INSERT|TRUNCATE|UNDROP|UPDATE)/);
    }
    // Objects whose settings come from the config are converged with ALTER ... SET after CREATE IF NOT EXISTS.
    for (const [key, kind] of created) {
      if (/^(NETWORK RULE|NETWORK POLICY|STORAGE INTEGRATION|SECURITY INTEGRATION|USER|ROW ACCESS POLICY|ROLE)$/.test(kind)) {
        // ROW ACCESS POLICY and NETWORK RULE are schema-qualified; compare on the object's own name.
        const own = key.split('.').pop() as string;
        expect({ key, converged: [...altered].some((a) => a.startsWith(kind) && a.endsWith(own)) }).toEqual({ key, converged: true });
      }
    }
  });

  test('development and production are kept apart (ENV-1)', () => {
    const idents = (script: string) => lex(script).flatMap((st) => st.tokens.filter((t) => t.kind === 'ident').map((t) => t.value));
    expect(idents(prodScript).filter((v) => v.includes('DEV'))).toEqual([]);
    expect(idents(devScript).filter((v) => v.includes('PROD'))).toEqual([]);
    expect(prodScript).not.toContain('riverside-dev-lake');
    expect(devScript).not.toContain('riverside-prod-lake');
  });

  test('service users are TYPE = SERVICE with a key-pair placeholder named after the Parameter Store key, and no password', () => {
    const env = example.environments.find((e) => e.name === 'prod');
    if (!env) throw new Error('no env');
    const statements = lex(prodScript);
    const users = statements.filter((st) => /^(CREATE|ALTER) USER/.test(head(st, 2)) && findWord(st.tokens, 'TYPE') > 0);
    expect(users).toHaveLength(2);
    for (const st of users) {
      expect(st.tokens[findWord(st.tokens, 'TYPE') + 2].value).toBe('SERVICE');
      expect(st.tokens[findWord(st.tokens, 'RSA_PUBLIC_KEY') + 2]).toEqual({ kind: 'string', value: '<% loader_rsa_public_key %>' });
    }
    const parameter = '/edu/prod/snowflake/loader-private-key';
    expect(declaredSecrets(example, env).map((s) => s.name)).toContain(parameter);
    expect(prodScript).toContain(`loader_rsa_public_key: public half of ${parameter}`);
    expect(statements.flatMap((st) => st.tokens).some((t) => t.kind === 'word' && t.value === 'PASSWORD')).toBe(false);
    // Every template variable in the script is one the operator is told to supply.
    const placeholders = [...new Set(prodScript.match(/<% [a-z0-9_]+ %>/g))];
    expect(placeholders.sort()).toEqual(['<% loader_rsa_public_key %>', '<% saml2_issuer %>', '<% saml2_sso_url %>', '<% saml2_x509_cert %>']);
    const sso = statements.find((st) => head(st, 3) === 'CREATE SECURITY INTEGRATION');
    expect(sso?.tokens[findWord(sso.tokens, 'TYPE') + 2].value).toBe('SAML2');
  });

  test('every word outside quotes is SQL vocabulary: names from the config are always quoted', () => {
    const vocabulary = new Set(
      `ACCOUNT ADD ALL ALLOWED_NETWORK_RULE_LIST ALTER AND APPLY AS AUTO_RESUME AUTO_SUSPEND BEGIN BODY BOOLEAN BY CALL CAST COMMENT
       COMMIT COPY CREATE CURRENT CURRENT_DATE DATABASE DATE DEFAULT_ROLE DEFAULT_WAREHOUSE DELETE DESCRIBE ENABLED EQUAL_NULL EXECUTE
       EXISTS EXTERNAL_STAGE FILE FORMAT FROM FUTURE GRANT GRANTS IF IN INGRESS INITIALLY_SUSPENDED INSERT INTEGRATION INTO IPV4
       IS IS_ROLE_IN_SESSION LANGUAGE M MANAGED MATCHED MERGE MODE MONITOR NETWORK NETWORK_POLICY NOT NULL NUMBER ON OPERATE OR OWNER
       OWNERSHIP POLICY PRIMARY PROCEDURE REFERENCES REPLACE RESUME RETURNS REVOKE ROLE ROW RSA_PUBLIC_KEY RULE SAML2 SAML2_ENABLE_SP_INITIATED
       SAML2_ISSUER SAML2_PROVIDER SAML2_SP_INITIATED_LOGIN_PAGE_LABEL SAML2_SSO_URL SAML2_X509_CERT SCHEDULE SCHEMA SECURITY SELECT SERVICE
       SET SOURCE SQL STAGE STORAGE STORAGE_ALLOWED_LOCATIONS STORAGE_AWS_EXTERNAL_ID STORAGE_AWS_ROLE_ARN STORAGE_PROVIDER TABLE TABLES TARGET
       TASK THEN TO TRANSACTION TRUE TRUNCATE TYPE UPDATE USAGE USE USER USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE V VALUES VALUE_LIST VARCHAR
       VIEW VIEWS WAREHOUSE WAREHOUSE_SIZE WHEN WHERE WITH KEY ACCESS USING DROP IMMEDIATE TIMEZONE`.split(/\s+/),
    );
    for (const script of [prodScript, devScript]) {
      const words = new Set(lex(script).flatMap((st) => st.tokens.filter((t) => t.kind === 'word').map((t) => t.value)));
      expect([...words].filter((w) => !vocabulary.has(w)).sort()).toEqual([]);
    }
  });
});

describe('hostile names cannot change the script', () => {
  const hostileName = `Evil ISD'); DROP DATABASE "RIVERSIDE_PROD"; -- <% ctx.env.AWS_SECRET_ACCESS_KEY %> &{ x } \\' $$`;
  const hostileOwner = `Ops "team" \\ <x>'; GRANT ROLE ACCOUNTADMIN TO USER "MALLORY"; --`;
  const hostileClassification = `Teacher'); DELETE FROM "RIVERSIDE_PROD"."GOVERNANCE"."TENANT_ACCESS"; --`;
  const yamlString = (s: string) => JSON.stringify(s);
  // Function replacements: a string replacement would read `$$` in the names as a pattern.
  const hostileText = EXAMPLE_TEXT.replace('name: Lakeside Charter Network', () => `name: ${yamlString(hostileName)}`).replace(
    'owner: Platform team <platform@riverside.example>',
    () => `owner: ${yamlString(hostileOwner)}`,
  );
  const access: WarehouseAccessInput = { staffClassificationScopes: [{ classification: hostileClassification, scope: 'section' }] };
  const benignAccess: WarehouseAccessInput = { staffClassificationScopes: [{ classification: 'Teacher', scope: 'section' }] };

  test('the statement structure is the same as for benign names, and the values round-trip as literals', () => {
    const hostile = configFrom(hostileText);
    expect(hostile.tenants[1].name).toBe(hostileName);
    const script = generateWarehouseScript(hostile, 'prod', { today: TODAY, access });
    const benign = generateWarehouseScript(example, 'prod', { today: TODAY, access: benignAccess });
    const statements = lex(script);
    expect(statements.map((st) => head(st, 4))).toEqual(lex(benign).map((st) => head(st, 4)));
    const words = statements.flatMap((st) => st.tokens.filter((t) => t.kind === 'word').map((t) => t.value));
    // The only DROPs are the script's own (the unused expiry task), as for benign names.
    const drops = (ws: string[]) => ws.filter((w) => w === 'DROP').length;
    expect(drops(words)).toBe(drops(lex(benign).flatMap((st) => st.tokens.filter((t) => t.kind === 'word').map((t) => t.value))));
    expect(words).not.toContain('MALLORY');
    const strings = statements.flatMap((st) => st.tokens.filter((t) => t.kind === 'string').map((t) => t.value));
    expect(strings).toContain(hostileName);
    expect(strings).toContain(hostileClassification);
    expect(strings.some((s) => s.includes(hostileOwner))).toBe(true);
    // No template variable is smuggled in: the only placeholders are the script's own.
    expect([...new Set(script.match(/<%[^%]*%>|&\{[^}]*\}/g))].sort()).toEqual([
      '<% loader_rsa_public_key %>',
      '<% saml2_issuer %>',
      '<% saml2_sso_url %>',
      '<% saml2_x509_cert %>',
    ]);
  });

  test('a tenant code that bypassed validation is refused, not quoted into an identifier or path', () => {
    const bad = mutated((c) => {
      c.tenants[1].code = `x'/../evil`;
    });
    expectConfigError(() => generateWarehouseScript(bad, 'prod', { today: TODAY }), 'tenants[1].code', /must match/);
  });
});

describe('staff classification scopes (Ed-Fi AMT Row-Level Security Collection)', () => {
  test('the mapping is emitted per tenant with the AuthorizationScope constants; "none" rows are left out', () => {
    const script = generateWarehouseScript(example, 'prod', {
      today: TODAY,
      access: { staffClassificationScopes: [...ED_FI_EXAMPLE_CLASSIFICATION_SCOPES] },
    });
    const rows = mergeRows(script, 'STAFF_CLASSIFICATION_SCOPE');
    const mapped = ED_FI_EXAMPLE_CLASSIFICATION_SCOPES.filter((m) => m.scope !== 'none');
    expect(rows).toHaveLength(mapped.length * example.tenants.length);
    expect(rows).toContainEqual(['riverside_isd', 'Superintendent', 'AuthorizationScope.District']);
    expect(rows).toContainEqual(['lakeside_charter', 'Principal', 'AuthorizationScope.School']);
    expect(rows).toContainEqual(['riverside_isd', 'Teacher', 'AuthorizationScope.Section']);
    expect(rows.some((r) => r[1] === 'Counselor')).toBe(false);
  });

  test('a mapping limited to one tenant applies to that tenant only', () => {
    const script = generateWarehouseScript(example, 'prod', {
      today: TODAY,
      access: { staffClassificationScopes: [{ classification: 'Principal', scope: 'school', tenants: ['lakeside_charter'] }] },
    });
    expect(mergeRows(script, 'STAFF_CLASSIFICATION_SCOPE')).toEqual([['lakeside_charter', 'Principal', 'AuthorizationScope.School']]);
  });

  test('with no mapping configured the table is emptied, so a removed mapping does not outlive the config', () => {
    expect(prodScript).toContain('DELETE FROM "RIVERSIDE_PROD"."GOVERNANCE"."STAFF_CLASSIFICATION_SCOPE";');
  });
});

describe('per-group tenant access', () => {
  test('a restricted group is mapped to its tenants only, with the expiry carried into the table', () => {
    const script = generateWarehouseScript(example, 'prod', {
      today: TODAY,
      access: { groupTenants: [{ group: 'analysts', tenants: ['lakeside_charter'], expires: '2026-06-30' }] },
    });
    const rows = mergeRows(script, 'TENANT_ACCESS').filter((r) => r[0] === 'RIVERSIDE_PROD_GROUP_ANALYSTS');
    expect(rows).toEqual([['RIVERSIDE_PROD_GROUP_ANALYSTS', 'lakeside_charter', '2026-06-30']]);
  });
});

describe('bad input is refused with the field path', () => {
  test('an unknown tenant in a mapping', () => {
    expectConfigError(
      () => generateWarehouseScript(example, 'prod', { today: TODAY, access: { groupTenants: [{ group: 'analysts', tenants: ['riverside_isd', 'nowhere'] }] } }),
      'warehouseAccess.groupTenants[0].tenants[1]',
      /"nowhere" is not a tenant; use one of: riverside_isd, lakeside_charter/,
    );
    expectConfigError(
      () => generateWarehouseScript(example, 'prod', { today: TODAY, access: { staffClassificationScopes: [{ classification: 'Teacher', scope: 'section', tenants: ['nowhere'] }] } }),
      'warehouseAccess.staffClassificationScopes[0].tenants[0]',
      /is not a tenant/,
    );
  });

  test('an unknown group, and an expired group grant (access ends with the relationship)', () => {
    expectConfigError(
      () => generateWarehouseScript(example, 'prod', { today: TODAY, access: { groupTenants: [{ group: 'interns', tenants: ['riverside_isd'] }] } }),
      'warehouseAccess.groupTenants[0].group',
      /"interns" is not a people group/,
    );
    expectConfigError(
      () =>
        generateWarehouseScript(example, 'prod', {
          today: TODAY,
          access: { groupTenants: [{ group: 'analysts', tenants: ['riverside_isd'], expires: '2025-12-31' }] },
        }),
      'warehouseAccess.groupTenants[0].expires',
      /2025-12-31 has passed/,
    );
  });

  test('an expired contractor in the environment', () => {
    // Valid on the day the file was checked, expired on the day the script is generated.
    expectConfigError(() => generateWarehouseScript(example, 'dev', { today: '2027-07-01' }), 'allowList[4].expires', /2027-06-30 has passed/);
    // The contractor is dev-only, so production is unaffected.
    expect(() => generateWarehouseScript(example, 'prod', { today: '2027-07-01' })).not.toThrow();
  });

  test('an access level production forbids (IAM-4)', () => {
    const bad = mutated((c) => {
      c.people[2].access.prod = 'developer';
    });
    expectConfigError(() => generateWarehouseScript(bad, 'prod', { today: TODAY }), 'people[2].access.prod', /not allowed in production/);
    // The file validation refuses it too, before the script is generated.
    expect(() => configFrom(EXAMPLE_TEXT.replace('access: { prod: read }', 'access: { prod: admin }'))).toThrow(/people\[2\]\.access\.prod/);
  });

  test('no loader key in the secrets contract, or no orchestration address for it', () => {
    const noKey = mutated((c) => {
      c.secrets = c.secrets.filter((s) => !s.name.startsWith('snowflake/'));
    });
    expectConfigError(() => generateWarehouseScript(noKey, 'prod', { today: TODAY }), 'secrets', /snowflake\/loader-private-key/);
    const noEgress = mutated((c) => {
      c.allowList = c.allowList.filter((e) => e.kind !== 'orchestration');
    });
    expectConfigError(() => generateWarehouseScript(noEgress, 'prod', { today: TODAY }), 'allowList', /service user "loader" could not connect/);
  });

  test('no people network at all would leave the account open, so it is refused', () => {
    const none = mutated((c) => {
      c.allowList = c.allowList.filter((e) => e.kind === 'orchestration');
    });
    expectConfigError(() => generateWarehouseScript(none, 'prod', { today: TODAY }), 'allowList', /admit every address/);
  });

  test('a service user whose key is not declared, and an invalid option', () => {
    expectConfigError(
      () =>
        generateWarehouseScript(example, 'prod', {
          today: TODAY,
          access: {
            serviceUsers: [
              { name: 'loader', privateKeySecret: 'snowflake/loader-private-key', access: 'loader', networkKinds: ['orchestration'] },
              { name: 'bi', privateKeySecret: 'snowflake/bi-private-key', access: 'read', networkKinds: ['bi'] },
            ],
          },
        }),
      'warehouseAccess.serviceUsers[1].privateKeySecret',
      /not in secrets\[\]/,
    );
    expectConfigError(
      () => generateWarehouseScript(example, 'prod', { today: TODAY, access: { staffClassificationScopes: [{ classification: 'Teacher', scope: 'campus' as 'school' }] } }),
      'warehouseAccess.staffClassificationScopes[0].scope',
      /must be one of district, school, section, none/,
    );
  });

  test('an unknown environment', () => {
    expectConfigError(() => generateWarehouseScript(example, 'staging', { today: TODAY }), '--env', /the config defines: dev, prod/);
  });
});

describe('configured service users and IPv6 entries', () => {
  test('a read-only BI service user gets its own network policy, read role and tenants', () => {
    const withBi = configFrom(
      EXAMPLE_TEXT.replace(
        'secrets:\n',
        'secrets:\n  - name: snowflake/bi-private-key\n    purpose: Key-pair credential of the BI service user\n    maxAgeDays: 90\n',
      ),
    );
    const script = generateWarehouseScript(withBi, 'prod', {
      today: TODAY,
      access: {
        serviceUsers: [
          { name: 'loader', privateKeySecret: 'snowflake/loader-private-key', access: 'loader', networkKinds: ['orchestration'] },
          { name: 'bi', privateKeySecret: 'snowflake/bi-private-key', access: 'read', networkKinds: ['bi'], tenants: ['riverside_isd'] },
        ],
      },
    });
    expect(script).toContain('GRANT ROLE "RIVERSIDE_PROD_READ" TO ROLE "RIVERSIDE_PROD_SVC_BI";');
    expect(script).toContain(`ALTER USER "RIVERSIDE_PROD_SVC_BI" SET NETWORK_POLICY = "RIVERSIDE_PROD_SVC_BI_NETWORK";`);
    expect(script).toContain(`CREATE NETWORK POLICY IF NOT EXISTS "RIVERSIDE_PROD_SVC_BI_NETWORK" ALLOWED_NETWORK_RULE_LIST = ('RIVERSIDE_PROD.GOVERNANCE.NET_BI_192_0_2_128_28')`);
    const rows = mergeRows(script, 'TENANT_ACCESS').filter((r) => r[0] === 'RIVERSIDE_PROD_SVC_BI');
    expect(rows).toEqual([['RIVERSIDE_PROD_SVC_BI', 'riverside_isd', null]]);
    expect(writePrivilegesOfPeople(script, ['RIVERSIDE_PROD_SVC_BI'])).toEqual([]);
  });

  test('IPv6 entries are left out of the IPv4 network rules and named in a comment', () => {
    const withV6 = configFrom(
      EXAMPLE_TEXT.replace(
        'allowList:\n',
        'allowList:\n  - cidr: 2001:db8:1::/48\n    kind: agency\n    owner: Riverside ISD <it@riverside.example>\n    purpose: IPv6 office network\n',
      ),
    );
    const script = generateWarehouseScript(withV6, 'prod', { today: TODAY });
    expect(script).toContain('-- Not in any network rule (Snowflake IPV4 rules cannot hold IPv6): 2001:db8:1::/48');
    expect(script).not.toContain("'2001:db8:1::/48'");
  });
});

describe('network rules hold only public addresses, expire in Snowflake, and leave no orphans (NET-1, NET-2)', () => {
  const devPlan = planWarehouse(example, 'dev', { today: TODAY });

  test('VPN entries serve SSH only: never in a network rule, named in a comment', () => {
    expect(devPlan.networkRules.some((r) => r.cidr === '10.99.0.0/22')).toBe(false);
    expect(devPlan.sshOnly).toEqual([{ cidr: '10.99.0.0/22', kind: 'vpn' }]);
    expect(devScript).toContain('-- Not in any network rule (kind vpn serves SSH to the Airflow host, not Snowflake): 10.99.0.0/22');
  });

  test.each([
    ['10.20.0.0/16', '10.0.0.0/8, private address space (RFC 1918)'],
    ['172.31.5.0/24', '172.16.0.0/12, private address space (RFC 1918)'],
    ['192.168.1.0/24', '192.168.0.0/16, private address space (RFC 1918)'],
    ['100.64.10.0/24', '100.64.0.0/10, shared address space for carrier-grade NAT (RFC 6598)'],
    ['127.0.0.1/32', '127.0.0.0/8, loopback (RFC 1122)'],
    ['169.254.169.254/32', '169.254.0.0/16, link-local (RFC 3927)'],
    ['0.0.0.0/0', '0.0.0.0/8, "this network" (RFC 791)'],
  ])('an agency entry %s is refused by the name of its range', (cidr, named) => {
    const bad = mutated((c) => {
      c.allowList[0].cidr = cidr;
    });
    expectConfigError(() => generateWarehouseScript(bad, 'prod', { today: TODAY }), 'allowList[0].cidr', new RegExp(`overlaps ${named.replace(/[()".]/g, '\\$&')}`));
  });

  test('documentation ranges (RFC 5737) are accepted as stand-ins and flagged as placeholders', () => {
    expect(devPlan.networkRules.every((r) => r.placeholder)).toBe(true);
    expect(devScript).toContain('-- Placeholder: 198.51.100.0/24 (agency) is a documentation range (RFC 5737)');
    const real = planWarehouse(mutated((c) => (c.allowList[0].cidr = '8.8.8.0/24')), 'prod', { today: TODAY });
    expect(real.networkRules.find((r) => r.cidr === '8.8.8.0/24')?.placeholder).toBe(false);
  });

  test('a contractor entry is removed by a daily Snowflake task after its last day: policies first, then the rule', () => {
    const procedure = lex(devScript).find((st) => head(st, 5) === 'CREATE OR REPLACE PROCEDURE' && st.text.includes('EXPIRE_NETWORK_RULES'));
    expect(procedure?.text).toMatch(
      /IF \(CURRENT_DATE\(\) > '2027-06-30'::DATE\) THEN\n {4}ALTER NETWORK POLICY "RIVERSIDE_DEV_PEOPLE_NETWORK" SET ALLOWED_NETWORK_RULE_LIST = \('RIVERSIDE_DEV\.GOVERNANCE\.NET_AGENCY_198_51_100_0_24', 'RIVERSIDE_DEV\.GOVERNANCE\.NET_AGENCY_203_0_113_64_26', 'RIVERSIDE_DEV\.GOVERNANCE\.NET_BI_192_0_2_128_28'\);\n {4}DROP NETWORK RULE IF EXISTS "RIVERSIDE_DEV"\."GOVERNANCE"\."NET_CONTRACTOR_203_0_113_200_30";/,
    );
    expect(devScript).toContain(`SCHEDULE = 'USING CRON 5 0 * * * UTC' TIMEZONE = 'UTC'`);
    expect(devScript).toContain('ALTER TASK "RIVERSIDE_DEV"."GOVERNANCE"."EXPIRE_NETWORK_RULES_TASK" RESUME;');
    // Production has no expiring entry: the task is removed if an earlier run left one.
    expect(prodScript).toContain('DROP TASK IF EXISTS "RIVERSIDE_PROD"."GOVERNANCE"."EXPIRE_NETWORK_RULES_TASK";');
    expect(prodScript).not.toContain('EXPIRE_NETWORK_RULES"()');
  });

  test('a people policy whose every entry expires is refused: it would be left empty', () => {
    const bad = mutated((c) => {
      for (const entry of c.allowList) if (entry.kind === 'agency' || entry.kind === 'bi') entry.expires = '2027-01-31';
    });
    expectConfigError(() => generateWarehouseScript(bad, 'prod', { today: TODAY }), 'allowList', /would be left empty/);
  });

  test('rules of entries removed from the config are dropped; the keep-list is exactly this run\'s rules', () => {
    const block = lex(devScript).find((st) => head(st, 2) === 'EXECUTE IMMEDIATE');
    const keep = /ARRAY_CONSTRUCT\(([^)]*)\)/.exec(block?.text ?? '')?.[1].split(', ').map((s) => s.replace(/'/g, ''));
    expect(keep).toEqual(devPlan.networkRules.map((r) => r.name));
    expect(block?.text).toContain('SHOW NETWORK RULES IN SCHEMA "RIVERSIDE_DEV"."GOVERNANCE"');
  });
});
