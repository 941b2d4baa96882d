/**
 * Mutation harness (issue 3 point 5): every control must be enforced by a
 * rule, so breaking the baseline's own synthesized templates in a named way
 * must produce a NEW error finding on the broken resource naming the control.
 *
 * Source of templates: the example app (`buildBaselineApp(loadConfig('config/example.yaml'), { gate: false })`)
 * synthesized into a temp cdk.out; every mutation must find its target.
 * All mutated templates go through ONE audit (one app, one synth).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { auditTemplates, AuditResult } from '../../lib/audit/audit';
import { collectTemplateFiles, TemplateFile } from '../../lib/audit/template-file';
import { buildBaselineApp } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import { ControlId } from '../../lib/policy/rule';
import { REPO } from './support';

type Json = Record<string, unknown>;
type Resources = Record<string, Json>;

const TODAY = '2026-01-15';

interface Mutation {
  readonly name: string;
  /** Any of these controls satisfies the mutation (several rules may rightly claim it). */
  readonly controls: readonly ControlId[];
  /** Edits the template in place; returns the logical IDs that may carry the finding, or undefined when the target is absent. */
  apply(resources: Resources): string[] | undefined;
}

const props = (r: Json): Json => (r.Properties ??= {}) as Json;
const ofType = (resources: Resources, type: string, pred: (id: string, r: Json) => boolean = () => true): [string, Json][] =>
  Object.entries(resources).filter(([id, r]) => r.Type === type && pred(id, r));
const first = (resources: Resources, type: string, pred?: (id: string, r: Json) => boolean): [string, Json] | undefined => ofType(resources, type, pred)[0];
const statements = (doc: unknown): Json[] => {
  const d = doc as { Statement?: unknown };
  return Array.isArray(d?.Statement) ? (d.Statement as Json[]) : d?.Statement ? [d.Statement as Json] : [];
};
const refersTo = (value: unknown, id: string): boolean => JSON.stringify(value ?? null).includes(`"${id}"`);
const isLake = (id: string): boolean => /^LakeBucket/.test(id);
const mentionsTls = (s: Json): boolean => JSON.stringify(s).includes('aws:SecureTransport');

/** Rewrites user data: a literal string anywhere inside Fn::Base64 / Fn::Join. */
function editUserData(r: Json, edit: (text: string) => string): boolean {
  const ud = props(r).UserData;
  if (ud === undefined) return false;
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const next = edit(v);
      changed ||= next !== v;
      return next;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  props(r).UserData = walk(ud);
  return changed;
}

function addStatement(resources: Resources, statement: Json): string[] | undefined {
  const policy = first(resources, 'AWS::IAM::Policy');
  if (!policy) return undefined;
  const doc = props(policy[1]).PolicyDocument as Json;
  doc.Statement = [...statements(doc), statement];
  const roles = (props(policy[1]).Roles as unknown[] | undefined) ?? [];
  return [policy[0], ...Object.keys(resources).filter((id) => roles.some((r) => refersTo(r, id)))];
}

const MUTATIONS: Mutation[] = [
  { name: 'lake bucket encryption removed', controls: ['DATA-1'], apply: (rs) => { const b = first(rs, 'AWS::S3::Bucket', isLake); if (!b) return undefined; delete props(b[1]).BucketEncryption; return [b[0]]; } },
  { name: 'lake KMS key swapped for alias/aws/s3', controls: ['DATA-1'], apply: (rs) => {
    const b = first(rs, 'AWS::S3::Bucket', isLake); if (!b) return undefined;
    props(b[1]).BucketEncryption = { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' } }] };
    return [b[0]];
  } },
  { name: 'TLS deny removed from the lake bucket policy', controls: ['DATA-2'], apply: (rs) => {
    const b = first(rs, 'AWS::S3::Bucket', isLake); const p = b && first(rs, 'AWS::S3::BucketPolicy', (_id, r) => refersTo(props(r).Bucket, b[0]));
    if (!b || !p) return undefined;
    const doc = props(p[1]).PolicyDocument as Json; doc.Statement = statements(doc).filter((s) => !mentionsTls(s));
    return [b[0], p[0]];
  } },
  { name: 'public principal added to the lake bucket policy', controls: ['DATA-3', 'DATA-4'], apply: (rs) => {
    const b = first(rs, 'AWS::S3::Bucket', isLake); const p = b && first(rs, 'AWS::S3::BucketPolicy', (_id, r) => refersTo(props(r).Bucket, b[0]));
    if (!b || !p) return undefined;
    const doc = props(p[1]).PolicyDocument as Json;
    doc.Statement = [...statements(doc), { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [b[0], 'Arn'] }, '/*']] } }];
    return [b[0], p[0]];
  } },
  { name: 'lake DeletionPolicy Delete', controls: ['DATA-5', 'KEEP-1'], apply: (rs) => { const b = first(rs, 'AWS::S3::Bucket', isLake); if (!b) return undefined; b[1].DeletionPolicy = 'Delete'; b[1].UpdateReplacePolicy = 'Delete'; return [b[0]]; } },
  { name: 'lake versioning suspended', controls: ['DATA-5'], apply: (rs) => { const b = first(rs, 'AWS::S3::Bucket', isLake); if (!b) return undefined; props(b[1]).VersioningConfiguration = { Status: 'Suspended' }; return [b[0]]; } },
  { name: 'SSH 22 open to 0.0.0.0/0', controls: ['NET-1', 'EC2-1'], apply: (rs) => {
    const sg = first(rs, 'AWS::EC2::SecurityGroup', (id) => /^Orchestration/.test(id)) ?? first(rs, 'AWS::EC2::SecurityGroup'); if (!sg) return undefined;
    props(sg[1]).SecurityGroupIngress = [...((props(sg[1]).SecurityGroupIngress as unknown[]) ?? []), { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }];
    return [sg[0]];
  } },
  { name: 'SSH 22 from the agency prefix list', controls: ['NET-1'], apply: (rs) => {
    const ssh = first(rs, 'AWS::EC2::SecurityGroupIngress', (_id, r) => props(r).FromPort === 22 && props(r).SourcePrefixListId !== undefined);
    const agency = first(rs, 'AWS::EC2::PrefixList', (_id, r) => JSON.stringify(props(r).Tags ?? []).includes('"Value":"agency"'));
    if (!ssh || !agency) return undefined;
    props(ssh[1]).SourcePrefixListId = { 'Fn::GetAtt': [agency[0], 'PrefixListId'] };
    return [ssh[0]];
  } },
  { name: 'prefix list without headroom (MaxEntries = entries)', controls: ['DEPLOY-4'], apply: (rs) => {
    const pl = first(rs, 'AWS::EC2::PrefixList'); if (!pl) return undefined;
    props(pl[1]).MaxEntries = (props(pl[1]).Entries as unknown[]).length;
    return [pl[0]];
  } },
  { name: 'Lambda handler logs to an unmanaged /aws/lambda group', controls: ['LOG-1'], apply: (rs) => {
    const fn = first(rs, 'AWS::Lambda::Function', (_id, r) => props(r).LoggingConfig !== undefined); if (!fn) return undefined;
    delete props(fn[1]).LoggingConfig;
    return [fn[0]];
  } },
  { name: 'S3 gateway endpoint policy removed', controls: ['NET-4'], apply: (rs) => {
    const ep = first(rs, 'AWS::EC2::VPCEndpoint', (_id, r) => JSON.stringify(props(r).ServiceName).includes('.s3')); if (!ep) return undefined;
    delete props(ep[1]).PolicyDocument;
    return [ep[0]];
  } },
  { name: 'NFS 2049 open to 0.0.0.0/0', controls: ['NET-1', 'TEMP-2'], apply: (rs) => {
    const ing = first(rs, 'AWS::EC2::SecurityGroupIngress', (_id, r) => props(r).FromPort === 2049); if (!ing) return undefined;
    const p = props(ing[1]); delete p.SourceSecurityGroupId; p.CidrIp = '0.0.0.0/0';
    return [ing[0], ...Object.keys(rs).filter((id) => refersTo(p.GroupId, id))];
  } },
  { name: 'IAM user added', controls: ['IAM-2'], apply: (rs) => { rs.MutantUser = { Type: 'AWS::IAM::User', Properties: { UserName: 'intern' } }; return ['MutantUser']; } },
  { name: 'access key added', controls: ['IAM-2'], apply: (rs) => {
    rs.MutantUser = { Type: 'AWS::IAM::User', Properties: {} };
    rs.MutantKey = { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'MutantUser' } } };
    return ['MutantKey', 'MutantUser'];
  } },
  { name: 'Action * on a role policy', controls: ['IAM-1'], apply: (rs) => addStatement(rs, { Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'iam:PassRole on *', controls: ['IAM-1'], apply: (rs) => addStatement(rs, { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }) },
  { name: 'ssm:GetParameter on *', controls: ['SECRET-3', 'IAM-1'], apply: (rs) => addStatement(rs, { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }) },
  { name: 'Allow with NotAction', controls: ['IAM-1'], apply: (rs) => addStatement(rs, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) },
  { name: 'role trust to *', controls: ['IAM-3'], apply: (rs) => {
    const role = first(rs, 'AWS::IAM::Role'); if (!role) return undefined;
    props(role[1]).AssumeRolePolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    return [role[0]];
  } },
  { name: 'external ID condition removed from the warehouse role', controls: ['IAM-3'], apply: (rs) => {
    const role = first(rs, 'AWS::IAM::Role', (_id, r) => JSON.stringify(props(r).AssumeRolePolicyDocument ?? {}).includes('sts:ExternalId')); if (!role) return undefined;
    for (const s of statements(props(role[1]).AssumeRolePolicyDocument)) delete s.Condition;
    return [role[0]];
  } },
  { name: 'secret in user data (Fn::Base64)', controls: ['SECRET-2'], apply: (rs) => {
    const i = first(rs, 'AWS::EC2::Instance'); if (!i) return undefined;
    const ud = props(i[1]).UserData as Json | undefined;
    props(i[1]).UserData = { 'Fn::Base64': { 'Fn::Join': ['', [{ 'Fn::Select': [0, [ud ?? '']] }, '\nexport WAREHOUSE_PASSWORD=Tr0ub4dor-and-3\n']] } };
    return [i[0]];
  } },
  { name: 'password in a String SSM parameter', controls: ['SECRET-2', 'SECRET-1'], apply: (rs) => {
    rs.MutantParameter = { Type: 'AWS::SSM::Parameter', Properties: { Name: '/edu/dev/warehouse/password', Type: 'String', Value: 'Tr0ub4dor-and-3' } };
    return ['MutantParameter'];
  } },
  { name: 'sshd PasswordAuthentication yes in user data', controls: ['EC2-1'], apply: (rs) => {
    const i = first(rs, 'AWS::EC2::Instance'); if (!i) return undefined;
    if (!editUserData(i[1], (t) => t.replace(/PasswordAuthentication\s+no/g, 'PasswordAuthentication yes'))) return undefined;
    return [i[0]];
  } },
  { name: 'IMDSv1 allowed (HttpTokens optional)', controls: ['EC2-2'], apply: (rs) => {
    const i = first(rs, 'AWS::EC2::Instance') ?? first(rs, 'AWS::EC2::LaunchTemplate'); if (!i) return undefined;
    const p = i[1].Type === 'AWS::EC2::LaunchTemplate' ? ((props(i[1]).LaunchTemplateData ??= {}) as Json) : props(i[1]);
    p.MetadataOptions = { ...(p.MetadataOptions as Json | undefined), HttpTokens: 'optional' };
    return [i[0]];
  } },
  { name: 'EBS volume unencrypted', controls: ['EC2-2'], apply: (rs) => {
    const i = first(rs, 'AWS::EC2::Instance', (_id, r) => Array.isArray(props(r).BlockDeviceMappings)); if (!i) return undefined;
    for (const m of props(i[1]).BlockDeviceMappings as Json[]) { const ebs = m.Ebs as Json; ebs.Encrypted = false; delete ebs.KmsKeyId; }
    return [i[0]];
  } },
  { name: 'log group data protection removed', controls: ['LOG-2'], apply: (rs) => { const l = first(rs, 'AWS::Logs::LogGroup', (_id, r) => props(r).DataProtectionPolicy !== undefined); if (!l) return undefined; delete props(l[1]).DataProtectionPolicy; return [l[0]]; } },
  { name: 'log group retention removed', controls: ['LOG-1'], apply: (rs) => { const l = first(rs, 'AWS::Logs::LogGroup'); if (!l) return undefined; delete props(l[1]).RetentionInDays; return [l[0]]; } },
  { name: 'log group KMS removed', controls: ['LOG-1'], apply: (rs) => { const l = first(rs, 'AWS::Logs::LogGroup'); if (!l) return undefined; delete props(l[1]).KmsKeyId; return [l[0]]; } },
  { name: 'EFS unencrypted', controls: ['TEMP-1'], apply: (rs) => { const f = first(rs, 'AWS::EFS::FileSystem'); if (!f) return undefined; props(f[1]).Encrypted = false; delete props(f[1]).KmsKeyId; return [f[0]]; } },
  { name: 'EFS policy TLS deny removed', controls: ['TEMP-2'], apply: (rs) => {
    const f = first(rs, 'AWS::EFS::FileSystem', (_id, r) => props(r).FileSystemPolicy !== undefined); if (!f) return undefined;
    const doc = props(f[1]).FileSystemPolicy as Json; doc.Statement = statements(doc).filter((s) => !mentionsTls(s));
    return [f[0]];
  } },
  { name: 'SNS topic KMS removed', controls: ['LOG-3'], apply: (rs) => { const t = first(rs, 'AWS::SNS::Topic'); if (!t) return undefined; delete props(t[1]).KmsMasterKeyId; return [t[0]]; } },
  { name: 'KMS key rotation disabled', controls: ['KMS-1'], apply: (rs) => { const k = first(rs, 'AWS::KMS::Key'); if (!k) return undefined; props(k[1]).EnableKeyRotation = false; return [k[0]]; } },
  { name: 'KMS key deleted with the stack', controls: ['KMS-1', 'KEEP-1'], apply: (rs) => { const k = first(rs, 'AWS::KMS::Key'); if (!k) return undefined; k[1].DeletionPolicy = 'Delete'; k[1].UpdateReplacePolicy = 'Delete'; return [k[0]]; } },
  { name: 'VPC flow log removed', controls: ['LOG-4'], apply: (rs) => {
    const vpc = first(rs, 'AWS::EC2::VPC'); const logs = ofType(rs, 'AWS::EC2::FlowLog'); if (!vpc || logs.length === 0) return undefined;
    for (const [id] of logs) delete rs[id];
    return [vpc[0]];
  } },
  { name: 'subnet MapPublicIpOnLaunch true', controls: ['NET-3'], apply: (rs) => { const s = first(rs, 'AWS::EC2::Subnet', (_id, r) => props(r).MapPublicIpOnLaunch === false); if (!s) return undefined; props(s[1]).MapPublicIpOnLaunch = true; return [s[0]]; } },
  { name: 'security group egress -1 to 0.0.0.0/0', controls: ['NET-4'], apply: (rs) => {
    const sg = first(rs, 'AWS::EC2::SecurityGroup', (id) => /^Orchestration/.test(id)) ?? first(rs, 'AWS::EC2::SecurityGroup'); if (!sg) return undefined;
    props(sg[1]).SecurityGroupEgress = [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }];
    return [sg[0]];
  } },
  { name: 'trail log file validation off', controls: ['AUDIT-1'], apply: (rs) => { const t = first(rs, 'AWS::CloudTrail::Trail'); if (!t) return undefined; props(t[1]).EnableLogFileValidation = false; return [t[0]]; } },
  { name: 'trail single-region', controls: ['AUDIT-1'], apply: (rs) => { const t = first(rs, 'AWS::CloudTrail::Trail'); if (!t) return undefined; props(t[1]).IsMultiRegionTrail = false; return [t[0]]; } },
  { name: 'trail key DescribeKey under the encryption-context condition', controls: ['DEPLOY-1'], apply: (rs) => {
    const k = first(rs, 'AWS::KMS::Key', (_id, r) => JSON.stringify(props(r).KeyPolicy ?? {}).includes('"CloudTrailDescribesKey"')); if (!k) return undefined;
    const policy = props(k[1]).KeyPolicy as Json;
    const encrypt = statements(policy).find((st) => st.Sid === 'CloudTrailEncryptsThisTrail');
    policy.Statement = statements(policy).filter((st) => st.Sid !== 'CloudTrailDescribesKey');
    if (encrypt) encrypt.Action = ['kms:GenerateDataKey*', 'kms:DescribeKey'];
    return [k[0]];
  } },
  { name: 'trail key without kms:Decrypt for the S3 Bucket Key', controls: ['DEPLOY-1'], apply: (rs) => {
    const k = first(rs, 'AWS::KMS::Key', (_id, r) => JSON.stringify(props(r).KeyPolicy ?? {}).includes('"CloudTrailDecryptsBucketKey"')); if (!k) return undefined;
    const policy = props(k[1]).KeyPolicy as Json;
    policy.Statement = statements(policy).filter((st) => st.Sid !== 'CloudTrailDecryptsBucketKey');
    return [k[0]];
  } },
  { name: 'named lake bucket plain Retain', controls: ['DEPLOY-2'], apply: (rs) => { const b = first(rs, 'AWS::S3::Bucket', isLake); if (!b) return undefined; b[1].DeletionPolicy = 'Retain'; return [b[0]]; } },
  { name: 'named log group plain Retain', controls: ['DEPLOY-2'], apply: (rs) => { const l = first(rs, 'AWS::Logs::LogGroup', (_id, r) => props(r).LogGroupName !== undefined); if (!l) return undefined; l[1].DeletionPolicy = 'Retain'; return [l[0]]; } },
  { name: 'lake named-principal deny removed', controls: ['DATA-4'], apply: (rs) => {
    const p = first(rs, 'AWS::S3::BucketPolicy', (_id, r) => isLake(JSON.stringify(props(r).Bucket).replace(/[^A-Za-z0-9]/g, '').replace(/^Ref/, ''))); if (!p) return undefined;
    const doc = props(p[1]).PolicyDocument as Json;
    doc.Statement = statements(doc).filter((st) => st.Sid !== 'DenyObjectAccessToAllButNamedPrincipals');
    return Object.keys(rs).filter(isLake);
  } },
  { name: 'data key decryptable by the whole account', controls: ['DATA-4'], apply: (rs) => {
    const k = first(rs, 'AWS::KMS::Key', (_id, r) => JSON.stringify(props(r).KeyPolicy ?? {}).includes('"AccountAdministersKey"')); if (!k) return undefined;
    const admin = statements(props(k[1]).KeyPolicy).find((st) => st.Sid === 'AccountAdministersKey');
    if (admin) admin.Action = 'kms:*';
    return Object.keys(rs).filter(isLake);
  } },
  { name: 'trail bucket statement without aws:SourceArn', controls: ['IAM-3'], apply: (rs) => {
    const p = first(rs, 'AWS::S3::BucketPolicy', (_id, r) => JSON.stringify(props(r).PolicyDocument ?? {}).includes('"CloudTrailAclCheck"')); if (!p) return undefined;
    const acl = statements(props(p[1]).PolicyDocument).find((st) => st.Sid === 'CloudTrailAclCheck');
    if (acl) delete acl.Condition;
    return [p[0]];
  } },
  { name: 'flow-log role trust without source conditions', controls: ['IAM-3'], apply: (rs) => {
    const r = first(rs, 'AWS::IAM::Role', (_id, x) => JSON.stringify(props(x).AssumeRolePolicyDocument ?? {}).includes('vpc-flow-logs.amazonaws.com')); if (!r) return undefined;
    for (const st of statements(props(r[1]).AssumeRolePolicyDocument)) delete st.Condition;
    return [r[0]];
  } },
  { name: 'expired contractor prefix-list entry', controls: ['NET-2'], apply: (rs) => {
    const pl = first(rs, 'AWS::EC2::PrefixList', (_id, r) => JSON.stringify(props(r).Entries ?? []).includes('expires=')); if (!pl) return undefined;
    for (const e of props(pl[1]).Entries as Json[]) e.Description = String(e.Description).replace(/expires=\d{4}-\d{2}-\d{2}/, 'expires=2020-01-31');
    return [pl[0]];
  } },
];

/** The clean templates: the example app's cdk.out. */
function cleanTemplates(outdir: string): TemplateFile[] {
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  buildBaselineApp(loadConfig(join(REPO, 'config', 'example.yaml'), { today: TODAY }), { app, gate: false, today: TODAY });
  // gate: false skips the plugins; buildBaselineApp still records the accepted exceptions, so the audit honours them.
  app.synth();
  // Only the first stage: the second repeats the same templates.
  return collectTemplateFiles([outdir]).filter((t, _i, all) => t.path.includes(all[0].path.split('/').slice(-2, -1)[0]));
}

interface Applied {
  readonly mutation: Mutation;
  readonly file: TemplateFile;
  readonly original: TemplateFile;
  readonly expectOn: readonly string[];
}

const workdir = mkdtempSync(join(tmpdir(), 'edu-mutations-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

let clean: TemplateFile[] = [];
let applied: Applied[] = [];
let skipped: string[] = [];
let result: AuditResult;

beforeAll(() => {
  clean = cleanTemplates(join(workdir, 'cdk.out'));
  applied = [];
  skipped = [];
  // Each mutation breaks the first match in the smallest template that has one: the rule sets
  // still read a whole template, and cfn-guard's time grows with the bytes of every mutant.
  const bySize = [...clean].sort((a, b) => JSON.stringify(a.template).length - JSON.stringify(b.template).length);
  for (const mutation of MUTATIONS) {
    let done = false;
    for (const original of bySize) {
      const template = structuredClone(original.template);
      const expectOn = mutation.apply(template.Resources as Resources);
      if (!expectOn) continue;
      const slug = mutation.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      applied.push({ mutation, original, expectOn, file: { ...original, path: `mutated/${slug}.json`, template } });
      done = true;
      break;
    }
    if (!done) skipped.push(mutation.name);
  }
  // One audit for the clean templates and every mutant.
  result = auditTemplates([...clean, ...applied.map((a) => a.file)]);
}, 300000);

const findingsOf = (path: string) => result.templates.find((t) => t.path === path)?.findings ?? [];
const key = (f: { ruleId: string; resource: string }) => `${f.ruleId}@${f.resource}`;

describe('mutation harness (example app)', () => {
  test('there are at least 30 named mutations', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
  });

  test('every mutation finds its target in the example app', () => {
    expect(skipped).toEqual([]);
  });

  test('the clean templates have no unacknowledged error finding', () => {
    const errors = clean.flatMap((t) => findingsOf(t.path).filter((f) => f.severity === 'error' && !f.acknowledged).map((f) => `${t.path}: ${f.ruleId} on ${f.resource}`));
    expect(errors).toEqual([]);
  });

  test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s → a new error finding on the mutated resource naming the control', (_name, mutation) => {
    const a = applied.find((x) => x.mutation === mutation);
    if (!a) throw new Error(`mutation "${mutation.name}" found no target in the example app`);
    const before = new Set(findingsOf(a.original.path).map(key));
    const fresh = findingsOf(a.file.path).filter((f) => f.severity === 'error' && !f.acknowledged && !before.has(key(f)));
    expect(fresh.length).toBeGreaterThan(0); // the audit exits 1
    const hits = fresh.filter((f) => a.expectOn.includes(f.resource) && f.control !== null && mutation.controls.includes(f.control));
    if (hits.length === 0) {
      throw new Error(`no new error on ${a.expectOn.join('|')} naming ${mutation.controls.join('|')}; new errors: ${fresh.map((f) => `${f.ruleId}[${f.control}]@${f.resource}`).join(', ') || 'none'}`);
    }
  });
});
