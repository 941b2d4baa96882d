import { Match } from 'aws-cdk-lib/assertions';
import { buildStages, templateOf } from '../support/example-app';

const stages = buildStages();
const secrets = templateOf(stages.prod.secrets);
const observability = templateOf(stages.prod.observability);
const orchestration = templateOf(stages.prod.orchestration);
const devOrchestration = templateOf(stages.dev.orchestration);

describe('secrets stack (SECRET-1)', () => {
  test('snapshot is stable', () => {
    expect(secrets.toJSON()).toMatchSnapshot();
  });

  test('declares a dedicated rotating key and no parameter values', () => {
    secrets.resourceCountIs('AWS::SSM::Parameter', 0);
    secrets.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    secrets.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/riverside-prod-secrets' });
  });

  test('the contract lists every declared parameter, including each tenant\'s Ed-Fi credentials', () => {
    const text = JSON.stringify(secrets.toJSON());
    for (const name of ['/edu/prod/snowflake/loader-private-key', '/edu/prod/riverside_isd/key', '/edu/prod/lakeside_charter/secret', '/edu/prod/lakeside_charter/url']) {
      expect(text).toContain(name);
    }
  });
});

describe('observability stack (LOG-1..3, LOG-5)', () => {
  test('snapshot is stable', () => {
    expect(observability.toJSON()).toMatchSnapshot();
  });

  test('LOG-1, LOG-2 Airflow log groups are encrypted, kept two years and masked', () => {
    for (const name of ['/riverside/prod/airflow/tasks', '/riverside/prod/airflow/scheduler']) {
      observability.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: name, RetentionInDays: 731, KmsKeyId: Match.anyValue(), DataProtectionPolicy: Match.anyValue() },
        DeletionPolicy: 'RetainExceptOnCreate',
      });
    }
  });

  test('LOG-3 the alert topic is encrypted and TLS-only; alarms publish to it', () => {
    observability.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'riverside-prod-alerts', KmsMasterKeyId: Match.anyValue() });
    observability.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    observability.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'riverside-prod-airflow-task-failures', AlarmActions: [Match.anyValue()] });
  });

  test('LOG-5 a dashboard of counts and alarm states', () => {
    observability.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'riverside-prod-platform' });
  });
});

describe('orchestration stack (EC2-1, EC2-2, TEMP-2/3, DEPLOY-5)', () => {
  test('snapshot is stable', () => {
    expect(orchestration.toJSON()).toMatchSnapshot();
  });

  const userData = (t: typeof orchestration): string => JSON.stringify(Object.values(t.findResources('AWS::EC2::Instance'))[0].Properties.UserData);

  test('EC2-1 key pair and hardened sshd verified at boot', () => {
    orchestration.hasResourceProperties('AWS::EC2::Instance', { KeyName: 'airflow-prod' });
    const text = userData(orchestration);
    for (const directive of ['PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin no', 'sshd -t']) {
      expect(text).toContain(directive);
    }
  });

  test('EC2-2 IMDSv2, CMK-encrypted EBS, termination protection in production only', () => {
    orchestration.hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: Match.objectLike({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true, KmsKeyId: Match.anyValue() }) })],
      DisableApiTermination: true,
      Monitoring: true,
    });
    devOrchestration.hasResourceProperties('AWS::EC2::Instance', { DisableApiTermination: false });
  });

  test('NET-3 no public address', () => {
    const instance = Object.values(orchestration.findResources('AWS::EC2::Instance'))[0];
    expect(JSON.stringify(instance.Properties)).not.toMatch(/"AssociatePublicIpAddress":true/);
  });

  test('TEMP-2/3 mounts the file system through its access point over TLS, proves the Airflow user writes, clears files left behind', () => {
    const text = userData(orchestration);
    expect(text).toMatch(/efs _netdev,tls,iam,accesspoint=",\{"Fn::ImportValue":"riverside-prod-data:ExportsOutputRefTempFileSystemAccessPoint/);
    expect(text).toContain('useradd --uid 50000 --gid 50000');
    expect(text).toContain('runuser -u airflow -- touch /mnt/edu-tmp/');
    expect(text).toContain('/etc/tmpfiles.d/edu-baseline-temp.conf');
  });

  test('DEPLOY-5 pinned image from the config, CreationPolicy and a boot signal of the whole script', () => {
    const [instance] = Object.entries(orchestration.findResources('AWS::EC2::Instance'));
    const [logicalId, resource] = instance;
    expect(resource.Properties.ImageId).toBe('ami-0a1b2c3d4e5f60718');
    expect(resource.CreationPolicy).toEqual({ ResourceSignal: { Timeout: 'PT15M' } });
    expect(Object.keys(orchestration.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual([]);
    const text = userData(orchestration);
    expect(text).toContain(`/opt/aws/bin/cfn-signal --stack riverside-prod-orchestration --resource ${logicalId} --region us-east-1 -e $exitCode`);
    expect(text.indexOf('trap exitTrap EXIT')).toBeLessThan(text.indexOf('set -euo pipefail'));
    expect(text.indexOf('dnf install -y aws-cfn-bootstrap')).toBeLessThan(text.indexOf('sshd -t'));
  });
});
