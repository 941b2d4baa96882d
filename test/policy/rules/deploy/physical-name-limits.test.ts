import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { physicalNameLimitsRule as rule } from '../../../../lib/policy/rules/deploy/physical-name-limits';
import { templateOf, testStack, violations } from '../../../support/policy';

const LONG_DEPLOYMENT = 'riverside-unified-school-distric';

describe('DEPLOY4-PhysicalNameLimits', () => {
  it('L1/L2: accepts names within the limits; fails a 66-character bucket, a 65-character role and a log group name with a space', () => {
    const stack = testStack();
    new s3.CfnBucket(stack, 'GoodBucket', { bucketName: 'riverside-dev-lake-111111111111' });
    new s3.CfnBucket(stack, 'LongBucket', { bucketName: `${LONG_DEPLOYMENT}-dev-lake-access-logs-111111111111` });
    new iam.CfnRole(stack, 'LongRole', { roleName: 'r'.repeat(65), assumeRolePolicyDocument: {} });
    new logs.LogGroup(stack, 'SpacedGroup', { logGroupName: '/riverside/dev/airflow tasks' });
    new logs.LogGroup(stack, 'GoodGroup', { logGroupName: '/riverside/dev/airflow/tasks' });
    new sns.Topic(stack, 'GoodTopic', { topicName: 'riverside-dev-alerts' });
    new s3.Bucket(stack, 'Unnamed');
    expect(violations(stack, rule)).toEqual([
      'LongBucket: BucketName.length=66>63',
      'LongRole: RoleName.length=65>64',
      expect.stringMatching(/^SpacedGroup[0-9A-F]+: LogGroupName.characters=%20$/),
    ]);
  });

  it('JSON: every named type, with Fn::Sub, Fn::Join, parameter defaults, AWS::AccountId and Fn::If resolved', () => {
    const template = templateOf(
      {
        SubBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${Deployment}-${Env}-lake-access-logs-${AWS::AccountId}' } } },
        JoinBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Join': ['-', [{ Ref: 'Deployment' }, 'trail', { Ref: 'AWS::AccountId' }]] } } },
        DotsBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'district..exports' } },
        IfRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::If': ['Prod', 'short-role', `${'x'.repeat(60)}-prod-role`] } } },
        AwsAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/aws/lake', TargetKeyId: 'k' } },
        PrefixList: { Type: 'AWS::EC2::PrefixList', Properties: { PrefixListName: 'com.amazonaws.district-vpn', AddressFamily: 'IPv4', MaxEntries: 5 } },
        Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { TrailName: 'district-_trail', IsLogging: true, S3BucketName: 'b' } },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/aws/district/key', Type: 'String', Value: 'v' } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts:prod' } },
        Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'd'.repeat(256), DashboardBody: '{}' } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: { 'Fn::Sub': '${Deployment}-${Env}-default-security-group-cleanup' } } },
        Good: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'riverside-${Env}-lake-${AWS::AccountId}' } } },
      },
      { Parameters: { Deployment: { Type: 'String', Default: LONG_DEPLOYMENT }, Env: { Type: 'String', Default: 'dev' } } },
    );
    expect(violations(template, rule)).toEqual([
      'SubBucket: BucketName.length=66>63',
      'DotsBucket: BucketName.format=must_not_contain_two_adjacent_periods',
      'IfRole: RoleName.length=70>64',
      'AwsAlias: AliasName.format=must_not_begin_with_alias/aws/_(reserved_for_AWS_managed_keys)',
      'PrefixList: PrefixListName.format=must_not_start_with_com.amazonaws',
      'Trail: TrailName.format=must_not_have_adjacent_periods,_underscores_or_dashes',
      'Param: Name.format=must_not_begin_with_aws_or_ssm',
      'Topic: TopicName.characters=%3A',
      'Dashboard: DashboardName.length=256>255',
      'Fn: FunctionName.length=67>64',
    ]);
  });

  it('an unknown part: judges the literal parts as a lower bound, skips the characters', () => {
    const template = templateOf({
      Unknown: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': ['${Name}-UPPER', { Name: { 'Fn::ImportValue': 'x' } }] } } },
      TooLongAnyway: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'x' }, '-', 'a'.repeat(63)]] } } },
      RefNoDefault: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Sub': '${Name}-role' } } },
    }, { Parameters: { Name: { Type: 'String' } } });
    expect(violations(template, rule)).toEqual(['TooLongAnyway: BucketName.length=at-least-64>63']);
  });
});
