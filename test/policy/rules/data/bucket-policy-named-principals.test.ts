import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { bucketPolicyNamedPrincipalsRule as rule } from '../../../../lib/policy/rules/data/bucket-policy-named-principals';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const ownKey = {
  Key: {
    Type: 'AWS::KMS::Key',
    Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] } },
  },
};
const withPolicy = (statement: unknown, extra: Record<string, unknown> = {}): CfnTemplate =>
  templateOf({
    ...extra,
    Lake: { Type: 'AWS::S3::Bucket' },
    Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Lake' }, PolicyDocument: { Statement: statement } } },
  });
const allow = (principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Lake.Arn}/*' }, ...extra,
});

describe('DATA4-BucketPolicyNamedPrincipals', () => {
  const ownStack = testStack('Own');
  new kms.Key(ownStack, 'Key');
  const ownBucket = new s3.Bucket(ownStack, 'Lake');
  ownBucket.grantRead(new iam.AccountRootPrincipal());
  ownBucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')], actions: ['s3:PutObject'], resources: [ownBucket.arnForObjects('*')] }));
  const foreignStack = testStack('Foreign');
  new kms.Key(foreignStack, 'Key');
  new s3.Bucket(foreignStack, 'Lake').grantRead(new iam.AccountPrincipal('999999999999'));

  it('accepts grants to the own account root (literal, told from the key policy) and service principals (L2)', () => {
    expect(violations(ownStack, rule)).toEqual([]);
    expect(unresolvedWarnings(ownStack, rule)).toEqual([]);
  });

  it('fails another account given by ARN, by bare ID, in a list, and through Fn::Join (L2 and JSON)', () => {
    expect(violations(foreignStack, rule)).toEqual([expect.stringMatching(/^Lake[0-9A-F]+: BucketPolicy\[LakePolicy[0-9A-F]+\].Statement\[\d\].Principal.AWS=account-999999999999$/)]);

    const template = withPolicy(
      [
        allow({ AWS: 'arn:aws:iam::999999999999:role/reader' }),
        allow({ AWS: ['arn:aws:iam::123456789012:role/own', '999999999999'] }),
        allow({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:root']] } }),
        allow({ Federated: 'cognito-identity.amazonaws.com' }),
      ],
      ownKey,
    );
    expect(violations(template, rule)).toEqual([
      'Lake: BucketPolicy[Policy].Statement[0].Principal.AWS=account-999999999999',
      'Lake: BucketPolicy[Policy].Statement[1].Principal.AWS=account-999999999999',
      'Lake: BucketPolicy[Policy].Statement[2].Principal.AWS=account-999999999999',
      'Lake: BucketPolicy[Policy].Statement[3].Principal.Federated',
    ]);
  });

  it('fails an Allow to * limited only by network or organisation; accepts one pinned to a principal ARN', () => {
    const template = withPolicy([
      allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
      allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
      allow('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['Role', 'Arn'] } } } }),
    ]);
    expect(violations(template, rule)).toEqual([
      'Lake: BucketPolicy[Policy].Statement[0].Principal=*:not-named',
      'Lake: BucketPolicy[Policy].Statement[1].Principal=*:not-named',
    ]);
  });

  it('uses the engine-provided account when there is one', () => {
    const template = withPolicy(allow({ AWS: 'arn:aws:iam::555555555555:role/x' }));
    const lake = template.Resources?.Lake;
    if (!lake) throw new Error('fixture');
    expect(rule.check(lake, { logicalId: 'Lake', template, account: '555555555555' } as Parameters<typeof rule.check>[1])).toEqual({ violations: [], unresolved: [] });
    expect(rule.check(lake, { logicalId: 'Lake', template, account: '123456789012' } as Parameters<typeof rule.check>[1]).violations).toEqual([
      'BucketPolicy[Policy].Statement[0].Principal.AWS=account-555555555555',
    ]);
  });

  it('warns when the deployment account cannot be told or the principal is an import', () => {
    const template = withPolicy([allow({ AWS: 'arn:aws:iam::555555555555:role/x' }), allow({ AWS: { 'Fn::ImportValue': 'reader-arn' } })]);
    expect(violations(template, rule)).toEqual([]);
    expect(unresolvedWarnings(template, rule)).toEqual([
      'Lake: BucketPolicy[Policy].Statement[0].Principal.AWS=arn:aws:iam:555555555555:role/x',
      'Lake: BucketPolicy[Policy].Statement[1].Principal.AWS=${Fn:ImportValue}',
    ]);
  });

  it('checks a policy on a bucket outside the template on the policy', () => {
    const template = templateOf({
      ...ownKey,
      Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'existing', PolicyDocument: { Statement: allow({ AWS: '999999999999' }) } } },
    });
    expect(violations(template, rule)).toEqual(['Policy: Statement[0].Principal.AWS=account-999999999999']);
  });
});
