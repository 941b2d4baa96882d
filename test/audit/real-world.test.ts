import { join, relative } from 'node:path';
import { auditPaths, AuditResult, NOT_EVALUATED_RULE_SET } from '../../lib/audit/audit';
import { runAuditCommand } from '../../lib/audit/command';
import { FIXTURES } from './support';

/**
 * Real-world templates: transforms, Rules sections, parameters. Each is
 * audited (expanded where the semantics are known, otherwise a named "not
 * evaluated" warning), never silently 0 findings and never refused whole.
 */
const DIR = join(FIXTURES, 'real-world');
const file = (name: string): string => relative(process.cwd(), join(DIR, name));
const NAMES = ['for-each.yaml', 'for-each-unknown.yaml', 'sam.yaml', 'rules-section.yaml', 'port-parameter.yaml', 'ssh-port-parameter.yaml', 'tls-deny-sub.yaml', 'parameter-secret.yaml'];
let result: AuditResult;
beforeAll(() => {
  result = auditPaths(NAMES.map(file));
});
const findingsOf = (name: string) => {
  const t = result.templates.find((x) => x.path.endsWith(name));
  if (!t) throw new Error(`${name} was not audited`);
  return t.findings;
};
const ids = (name: string, resource: string) => findingsOf(name).filter((f) => f.resource === resource).map((f) => f.ruleId);

test('Fn::ForEach (AWS::LanguageExtensions) is expanded: each generated bucket is judged', () => {
  for (const bucket of ['rawBucket', 'curatedBucket']) expect(ids('for-each.yaml', bucket)).toContain('EduSecurity-DATA1-BucketKmsEncryption[BucketEncryption=absent]');
  expect(findingsOf('for-each.yaml').filter((f) => f.ruleSet === NOT_EVALUATED_RULE_SET)).toEqual([]);
});

test('a loop over values unknown before deployment is a named "not evaluated" warning; the rest is audited', () => {
  const notes = findingsOf('for-each-unknown.yaml').filter((f) => f.ruleSet === NOT_EVALUATED_RULE_SET);
  expect(notes).toEqual([expect.objectContaining({ severity: 'warning', resource: 'Fn::ForEach::Topics', ruleId: 'NotEvaluated[ForEach]' })]);
  expect(ids('for-each-unknown.yaml', 'Queue').length).toBeGreaterThan(0);
});

test('SAM resources are named as not evaluated, and the template\'s CloudFormation resources are audited', () => {
  expect(findingsOf('sam.yaml').filter((f) => f.ruleSet === NOT_EVALUATED_RULE_SET).map((f) => `${f.resource} ${f.message}`)).toEqual([
    expect.stringMatching(/^Fn AWS::Serverless::Function is not evaluated/),
  ]);
  expect(ids('sam.yaml', 'Topic')).toContain('EduSecurity-LOG3-TopicEncryptedTlsOnly[KmsMasterKeyId=absent]');
});

test('a Rules section with Fn::EachMemberIn does not stop the audit', () => {
  expect(ids('rules-section.yaml', 'Topic')).toContain('EduSecurity-LOG3-TopicEncryptedTlsOnly[TopicPolicy=absent]');
});

test('a port from a Number parameter is judged by its default: 8443 is not SSH, 22 is', () => {
  const ssh = (name: string) => ids(name, 'Sg').filter((id) => /EC21-SshFromAllowList|EC2RestrictedSSH|CT\.EC2\.PR\.(3|4)/.test(id));
  expect(ssh('port-parameter.yaml')).toEqual([]);
  expect(ssh('ssh-port-parameter.yaml')).toEqual(expect.arrayContaining([expect.stringMatching(/^EduSecurity-EC21-SshFromAllowList/), 'NIST.800.53.R5-EC2RestrictedSSH']));
});

test('a TLS-deny bucket policy naming its bucket with Fn::Sub is not reported as missing', () => {
  // (The separate Logs bucket has no policy at all and is reported; the lake bucket and its policy are not.)
  const all = findingsOf('tls-deny-sub.yaml').filter((f) => f.resource === 'Bucket' || f.resource === 'BucketPolicy').map((f) => f.ruleId);
  expect(all.filter((id) => /DATA2|S3BucketSSLRequestsOnly|AwsSolutions-S10|CT\.S3\.PR\.8/.test(id))).toEqual([]);
});

test('a secret in a parameter default is reported on the parameter, at its line', () => {
  const finding = findingsOf('parameter-secret.yaml').find((f) => f.control === 'SECRET-2');
  expect(finding?.resource).toBe('DbPassword');
  expect(result.templates.find((t) => t.path.endsWith('parameter-secret.yaml'))?.resourceLines.get('DbPassword')).toBe(3);
});

test('one unreadable file among many: exit 2 naming it, the others audited and reported, no file content echoed', () => {
  const out: string[] = [];
  const err: string[] = [];
  const run = runAuditCommand([file('broken.json'), file('sam.yaml')], { format: 'text' }, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  expect(run.exitCode).toBe(2);
  expect(err.join('')).toMatch(/broken\.json: not valid JSON/);
  expect(err.join('')).not.toContain('AKIA');
  expect(out.join('')).toMatch(/sam\.yaml: \d+ error\(s\)/);
});
