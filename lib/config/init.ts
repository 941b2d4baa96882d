import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Where `init` writes when no file is given. */
export const DEFAULT_INIT_PATH = 'edu-baseline.yaml';

/** The package root: two levels above this file in the sources, three in the compiled dist/. */
const ROOT = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((dir) => existsSync(join(dir, 'package.json'))) ?? process.cwd();

/** The generated JSON Schema, inside this package (repository or installed copy). */
export const CONFIG_SCHEMA_FILE = join(ROOT, 'schemas', 'config.schema.json');

/**
 * A commented starter config: every required field with a placeholder that
 * passes validation, so `validate` accepts the file as written and the
 * person replaces the placeholders one by one. test/config/init.test.ts
 * loads it through the real loader.
 */
export function starterConfig(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# edu-security-baseline config. Reference of every field: docs/config.md.
# Check it with \`npx edu-baseline validate <this file>\`, then synthesize with
# \`npx cdk synth -c config=<this file>\`. Replace every placeholder below.
# Never put a secret value in this file: use \`npx edu-baseline secrets put\`.
deployment:
  name: mydistrict                # 3-32 lowercase letters, digits, hyphens; prefixes resource names
  ssmPrefix: edu                  # Parameter Store paths are /edu/<environment>/...
  # IAM Identity Center → Settings → Instance ARN
  identityCenterInstanceArn: arn:aws:sso:::instance/ssoins-0000000000000000

environments:
  - name: dev
    account: "111111111111"       # quoted: 12 digits
    region: us-east-1
    production: false
    vpcCidr: 10.20.0.0/16         # /16 to /24 (the network stack needs room for its subnets)
    sshKeyPairName: airflow-dev   # an existing EC2 key pair in this account and region
    warehouse:                    # from DESC STORAGE INTEGRATION in Snowflake
      snowflakeUserArn: arn:aws:iam::999999999999:user/replace-me
      externalId: REPLACE_ME_SFCRole=1_abc
  - name: prod
    account: "222222222222"
    region: us-east-1
    production: true              # people get at most read access here (IAM-4)
    vpcCidr: 10.30.0.0/16
    sshKeyPairName: airflow-prod
    warehouse:
      snowflakeUserArn: arn:aws:iam::999999999999:user/replace-me
      externalId: REPLACE_ME_SFCRole=2_def

tenants:                          # one per education agency; code is the tenant_code
  - code: my_district
    name: My School District

allowList:                        # networks that may reach the platform (NET-1, NET-2)
  - cidr: 198.51.100.0/24
    kind: vpn                     # agency | orchestration | bi | contractor | vpn
    owner: District IT <it@district.example>
    purpose: Client VPN pool for administrators
  # Contractors need an expiry date; an expired entry fails synthesis:
  # - cidr: 203.0.113.0/28
  #   kind: contractor
  #   owner: Vendor PM <pm@vendor.example>
  #   purpose: Data migration
  #   expires: 2027-06-30

people: []                        # Identity Center groups: name, groupId, access: { dev: developer, prod: read }
secrets: []                       # SecureString parameters: name, purpose, maxAgeDays
`;
}

/** The `$schema` reference as seen from the written file. */
export function schemaReference(file: string): string {
  const ref = relative(dirname(file), CONFIG_SCHEMA_FILE).split(sep).join('/');
  return ref.startsWith('.') ? ref : `./${ref}`;
}

/** Result of {@link writeStarterConfig}. */
export type InitResult = { readonly written: string } | { readonly error: string };

/** Writes the starter config; never overwrites (O_EXCL), so an existing config is safe. */
export function writeStarterConfig(file: string): InitResult {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { error: `${file} already exists; init never overwrites a config. Choose another name or remove the file first.` };
    return { error: `cannot create ${file} (${code ?? (err as Error).message}); check that its directory exists and is writable.` };
  }
  try {
    writeSync(fd, starterConfig(schemaReference(file)));
  } finally {
    closeSync(fd);
  }
  return { written: file };
}
