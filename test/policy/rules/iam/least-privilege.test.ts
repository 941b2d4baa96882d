import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { leastPrivilegeRule as rule } from '../../../../lib/policy/rules/iam/least-privilege';
import { resourcelessWildcardRule } from '../../../../lib/policy/rules/iam/resourceless-wildcard';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';
import { TemplateResource } from '../../../../lib/policy/rule';

const lid = (stack: Stack, c: IConstruct): string => stack.getLogicalId((c.node.defaultChild ?? c) as CfnElement);
const policy = (type: string, document: unknown, extra: Record<string, unknown> = {}): TemplateResource => ({
  Type: type,
  Properties: { PolicyName: 'p', PolicyDocument: document, ...extra },
});
const doc = (statement: unknown): Record<string, unknown> => ({ Version: '2012-10-17', Statement: statement });

describe('IAM1-LeastPrivilege', () => {
  describe('L2 and L1 constructs', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const good = new iam.Role(stack, 'Good', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    bucket.grantRead(good);
    good.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeInstances', 'cloudwatch:PutMetricData'], resources: ['*'] }));
    const target = new iam.Role(stack, 'Target', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const admin = new iam.Policy(stack, 'AdminPolicy', {
      roles: [target],
      statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
    });
    const managed = new iam.ManagedPolicy(stack, 'Managed', {
      statements: [
        new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn] }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }),
      ],
    });
    const notAction = new iam.Policy(stack, 'NotActionPolicy', {
      users: [iam.User.fromUserName(stack, 'Someone', 'someone')],
      statements: [new iam.PolicyStatement({ notActions: ['iam:*'], resources: [bucket.bucketArn] })],
    });
    const notResource = new iam.Policy(stack, 'NotResourcePolicy', {
      groups: [new iam.Group(stack, 'Group')],
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], notResources: [bucket.bucketArn] })],
    });
    new iam.CfnRole(stack, 'L1Role', {
      assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      policies: [{ policyName: 'inline', policyDocument: doc([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]) }],
    });
    new iam.CfnUser(stack, 'L1User', {
      policies: [{ policyName: 'inline', policyDocument: doc({ Effect: 'Allow', Action: ['secretsmanager:*'], Resource: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:x'] }) }],
    });
    const found = violations(stack, rule);
    const goodPolicy = lid(stack, good.node.findChild('DefaultPolicy'));

    it('accepts CDK grants and resource-less actions on * (left to the warning rule)', () => {
      expect(found.filter((f) => f.startsWith(goodPolicy) || f.startsWith('Good'))).toEqual([]);
      expect(violations(stack, resourcelessWildcardRule)).toEqual([`${goodPolicy}: PolicyDocument.Statement[1].Resource=*`]);
    });
    it('fails Action *, data-service wildcards, PassRole on *, NotAction and NotResource in every policy form', () => {
      expect(found.sort()).toEqual(
        [
          `${lid(stack, admin)}: PolicyDocument.Statement[0].Action=*`,
          `${lid(stack, admin)}: PolicyDocument.Statement[0].Resource=*`,
          `${lid(stack, admin)}: PolicyDocument.Statement[0].iam:PassRole-on-Resource=*`,
          `${lid(stack, managed)}: PolicyDocument.Statement[0].Action=s3:*`,
          `${lid(stack, managed)}: PolicyDocument.Statement[1].Resource=*`,
          `${lid(stack, managed)}: PolicyDocument.Statement[1].iam:PassRole-on-Resource=*`,
          `${lid(stack, notAction)}: PolicyDocument.Statement[0].NotAction`,
          `${lid(stack, notResource)}: PolicyDocument.Statement[0].NotResource`,
          'L1Role: Policies[0].PolicyDocument.Statement[0].Action=kms:*',
          'L1Role: Policies[0].PolicyDocument.Statement[0].Resource=*',
          'L1User: Policies[0].PolicyDocument.Statement[0].Action=secretsmanager:*',
        ].sort(),
      );
    });
  });

  describe('hand-written templates', () => {
    it('reads Statement as object or list, Action/Resource as string or list, in every policy resource type', () => {
      const template = templateOf({
        RolePolicy: policy('AWS::IAM::RolePolicy', doc({ Effect: 'Allow', Action: '*:*', Resource: 'arn:aws:s3:::b' }), { RoleName: 'r' }),
        GroupPolicy: policy('AWS::IAM::GroupPolicy', doc([{ Effect: 'Allow', Action: ['logs:*'], Resource: ['arn:aws:logs:*:*:*'] }]), { GroupName: 'g' }),
        UserPolicy: policy('AWS::IAM::UserPolicy', doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: ['arn:aws:dynamodb:*:*:table/t', '*'] })),
        Group: { Type: 'AWS::IAM::Group', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'rds:*', Resource: 'arn:aws:rds:*:*:db:x' }) }] } },
        EcTwo: policy('AWS::IAM::Policy', doc({ Effect: 'Allow', Action: 'ec2:*', Resource: 'arn:aws:ec2:*:*:instance/i-1' })),
        Deny: policy('AWS::IAM::Policy', doc({ Effect: 'Deny', Action: '*', NotResource: '*' })),
      });
      expect(violations(template, rule).sort()).toEqual(
        [
          'Group: Policies[0].PolicyDocument.Statement[0].Action=rds:*',
          'GroupPolicy: PolicyDocument.Statement[0].Action=logs:*',
          'RolePolicy: PolicyDocument.Statement[0].Action=*:*',
          'UserPolicy: PolicyDocument.Statement[0].Resource=*',
        ].sort(),
      );
    });

    it('reads SSO permission-set inline policies written as an object or a JSON string', () => {
      const template = templateOf({
        PsObject: { Type: 'AWS::SSO::PermissionSet', Properties: { Name: 'dev', InstanceArn: 'arn:aws:sso:::instance/x', InlinePolicy: doc({ Effect: 'Allow', Action: 'sts:*', Resource: '*' }) } },
        PsString: {
          Type: 'AWS::SSO::PermissionSet',
          Properties: { Name: 'dev2', InstanceArn: 'arn:aws:sso:::instance/x', InlinePolicy: JSON.stringify(doc([{ Effect: 'Allow', NotAction: 's3:*', Resource: 'arn:aws:s3:::b' }])) },
        },
      });
      expect(violations(template, rule).sort()).toEqual(
        ['PsObject: InlinePolicy.Statement[0].Action=sts:*', 'PsObject: InlinePolicy.Statement[0].Resource=*', 'PsString: InlinePolicy.Statement[0].NotAction'].sort(),
      );
    });

    it('judges both branches of Fn::If around a statement and inside Action', () => {
      const template = templateOf({
        P: policy(
          'AWS::IAM::Policy',
          doc([
            { 'Fn::If': ['IsProd', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }] },
            { Effect: 'Allow', Action: [{ 'Fn::If': ['IsProd', 'kms:Decrypt', 'kms:*'] }], Resource: 'arn:aws:kms:us-east-1:123456789012:key/k' },
          ]),
        ),
      });
      expect(violations(template, rule).sort()).toEqual(['P: PolicyDocument.Statement[0].Action=s3:*', 'P: PolicyDocument.Statement[1].Action=kms:*']);
    });

    it('resolves a Ref to a parameter default and warns on an action it cannot read', () => {
      const template = templateOf(
        {
          P: policy('AWS::IAM::Policy', doc({ Effect: 'Allow', Action: [{ Ref: 'Act' }, { Ref: 'Open' }], Resource: { Ref: 'Res' } })),
        },
        { Parameters: { Act: { Type: 'String' }, Open: { Type: 'String', Default: 'ssm:*' }, Res: { Type: 'String', Default: 'arn:aws:ssm:us-east-1:123456789012:parameter/edu/dev/x' } } },
      );
      expect(violations(template, rule)).toEqual(['P: PolicyDocument.Statement[0].Action=ssm:*']);
      expect(unresolvedWarnings(template, rule)).toEqual(['P: PolicyDocument.Statement[0].Action=${Act}']);
    });

    it('keeps a resource-less action mixed with a resource-scoped one on * an error', () => {
      const template = templateOf({
        P: policy('AWS::IAM::Policy', doc({ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:TerminateInstances'], Resource: '*' })),
        Q: policy('AWS::IAM::Policy', doc({ Effect: 'Allow', Action: ['xray:Put*'], Resource: '*' })),
      });
      expect(violations(template, rule).sort()).toEqual(['P: PolicyDocument.Statement[0].Resource=*', 'Q: PolicyDocument.Statement[0].Resource=*']);
      expect(violations(template, resourcelessWildcardRule)).toEqual([]);
    });
  });
});

describe('IAM1-LeastPrivilege: ARNs that name every resource of a data service (red team)', () => {
  const role = (statement: Record<string, unknown>): TemplateResource => ({
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', ...statement }] } }],
    },
  });

  it.each([
    ['every S3 object', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*/*' }, 'arn:${AWS:Partition}:s3:*/*(every-s3-resource)'],
    ['every bucket', 'arn:aws:s3:::*', 'arn:aws:s3:*(every-s3-resource)'],
    ['every key', 'arn:aws:kms:*:*:key/*', 'arn:aws:kms:*:*:key/*(every-kms-resource)'],
    ['every secret of the account', { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' }, 'arn:${AWS:Partition}:secretsmanager:${AWS:Region}:${AWS:AccountId}:secret:*(every-secretsmanager-resource)'],
  ])('fails %s', (_name, resource, finding) => {
    expect(violations(templateOf({ Role: role({ Action: ['s3:GetObject', 'kms:Decrypt', 'secretsmanager:GetSecretValue'], Resource: resource }) }), rule)).toEqual([
      `Role: Policies[0].PolicyDocument.Statement[0].Resource=${finding}`,
    ]);
  });

  it('fails iam:PassRole on every role and accepts it on one', () => {
    expect(violations(templateOf({ Role: role({ Action: 'iam:PassRole', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' } }) }), rule)).toEqual([
      'Role: Policies[0].PolicyDocument.Statement[0].iam:PassRole-on-Resource=arn:${AWS:Partition}:iam:${AWS:AccountId}:role/*',
    ]);
    expect(violations(templateOf({ Role: role({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/etl-task' }) }), rule)).toEqual([]);
  });

  it('accepts one bucket and its objects, a named key and log groups (logs is not a data-resource service here)', () => {
    const template = templateOf({
      Role: role({
        Action: ['s3:GetObject', 'kms:Decrypt', 'logs:PutLogEvents'],
        Resource: [
          'arn:aws:s3:::district-bi-reports/*',
          'arn:aws:s3:::district-bi-reports',
          'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*' },
        ],
      }),
    });
    expect(violations(template, rule)).toEqual([]);
  });
});
