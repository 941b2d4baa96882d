import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AlertTopic, AlertTopicProps } from '../../constructs/alert-topic';

type Json = Record<string, unknown>;
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-topic-test-'));
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function newStack(): Stack {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  return new Stack(app, 'Alerts', { env: { account: '111122223333', region: 'us-east-1' } });
}

function build(props: AlertTopicProps = {}): { stack: Stack; alerts: AlertTopic } {
  const stack = newStack();
  return { stack, alerts: new AlertTopic(stack, 'Alerts', { topicName: 'riverside-prod-alerts', ...props }) };
}

function only(template: Template, type: string): { id: string; resource: Json; props: Json } {
  const entries = Object.entries(template.findResources(type) as Record<string, Json>);
  expect(entries).toHaveLength(1);
  return { id: entries[0][0], resource: entries[0][1], props: (entries[0][1].Properties ?? {}) as Json };
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Json)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(render).join(join[0]);
  const ref = (value as Json).Ref;
  if (typeof ref === 'string') return `{${ref}}`;
  return JSON.stringify(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

describe('AlertTopic (LOG-3)', () => {
  const { stack } = build();
  const template = Template.fromStack(stack);
  const topic = only(template, 'AWS::SNS::Topic');
  const key = only(template, 'AWS::KMS::Key');
  const topicStatements = ((only(template, 'AWS::SNS::TopicPolicy').props.PolicyDocument as Json).Statement as Json[]);
  const keyStatements = ((key.props.KeyPolicy as Json).Statement as Json[]);

  test('is encrypted with the construct CMK (rotating, retained)', () => {
    expect(topic.props.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    expect(key.props.EnableKeyRotation).toBe(true);
    expect(key.resource.DeletionPolicy).toBe('Retain');
    expect(key.resource.UpdateReplacePolicy).toBe('Retain');
  });

  test('the topic policy denies publish without TLS', () => {
    expect(topicStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Resource: { Ref: topic.id },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    );
  });

  test('the topic policy allows no public principal', () => {
    for (const s of topicStatements.filter((st) => st.Effect === 'Allow')) {
      expect(s.Principal).not.toBe('*');
      expect(JSON.stringify(s.Principal)).not.toContain('"AWS":"*"');
      expect((s.Principal as Json).Service).toBeDefined();
      // Each service Allow is scoped to this account and its own source ARNs.
      expect((s.Condition as Json).StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    }
  });

  test('CloudWatch alarms of this account may publish; EventBridge is not admitted', () => {
    const allows = topicStatements.filter((s) => s.Effect === 'Allow');
    const byService = Object.fromEntries(
      allows.map((s) => [(s.Principal as Json).Service as string, render(((s.Condition as Json).ArnLike as Json)['aws:SourceArn'])]),
    );
    expect(byService).toEqual({
      'cloudwatch.amazonaws.com': 'arn:{AWS::Partition}:cloudwatch:us-east-1:111122223333:alarm:*',
    });
  });

  test('the key lets only CloudWatch alarms of this account generate data keys and decrypt (aws:SourceArn, IAM-3)', () => {
    const service = keyStatements.filter((s) => (s.Principal as Json).Service !== undefined);
    expect(service).toHaveLength(1);
    expect(asList((service[0].Principal as Json).Service)).toEqual(['cloudwatch.amazonaws.com']);
    expect(asList(service[0].Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const condition = service[0].Condition as Json;
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    expect(render((condition.ArnLike as Json)['aws:SourceArn'])).toBe('arn:{AWS::Partition}:cloudwatch:us-east-1:111122223333:alarm:*');
    for (const s of keyStatements) expect(JSON.stringify(s.Principal)).not.toMatch(/"AWS":"\*"|^"\*"$/);
  });

  test('grantPublish grants publish on the topic and the key actions SNS needs', () => {
    const { stack: s, alerts } = build();
    const role = new iam.Role(s, 'Publisher', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    alerts.grantPublish(role);
    const t = Template.fromStack(s);
    const statements = (only(t, 'AWS::IAM::Policy').props.PolicyDocument as Json).Statement as Json[];
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: only(t, 'AWS::SNS::Topic').id } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: { 'Fn::GetAtt': [only(t, 'AWS::KMS::Key').id, 'Arn'] } },
    ]);
  });

  test('alarmAction notifies the topic and is reused', () => {
    const { stack: s, alerts } = build();
    expect(alerts.alarmAction).toBe(alerts.alarmAction);
    const alarm = new cloudwatch.Alarm(s, 'TaskFailed', {
      metric: new cloudwatch.Metric({ namespace: 'Edu', metricName: 'TaskFailures', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    alarm.addAlarmAction(alerts.alarmAction);
    const t = Template.fromStack(s);
    expect(only(t, 'AWS::CloudWatch::Alarm').props.AlarmActions).toEqual([{ Ref: only(t, 'AWS::SNS::Topic').id }]);
  });

  test('an existing key is used and receives the service statement', () => {
    const s = newStack();
    const shared = new kms.Key(s, 'Shared');
    const alerts = new AlertTopic(s, 'Alerts', { encryptionKey: shared });
    const t = Template.fromStack(s);
    expect(alerts.encryptionKey).toBe(shared);
    const k = only(t, 'AWS::KMS::Key');
    expect(only(t, 'AWS::SNS::Topic').props.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [k.id, 'Arn'] });
    expect(JSON.stringify(k.props.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
  });
});
