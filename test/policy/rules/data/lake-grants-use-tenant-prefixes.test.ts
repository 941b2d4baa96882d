import * as iam from 'aws-cdk-lib/aws-iam';
import { DataLake } from '../../../../constructs/data-lake';
import { lakeGrantsUseTenantPrefixesRule as rule } from '../../../../lib/policy/rules/data/lake-grants-use-tenant-prefixes';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { templateOf, testStack, violations } from '../../../support/policy';

const tenantGrant = {
  Tenant: {
    Type: 'AWS::IAM::Policy',
    Properties: { PolicyName: 't', Roles: [{ Ref: 'R' }], PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lake', 'Arn'] }, '/tenant_code=north/*']] } } } },
  },
};
const template = (extra: CfnTemplate['Resources']): CfnTemplate =>
  templateOf({ Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake' } }, ...tenantGrant, ...extra });

describe('DATA4-LakeGrantsUseTenantPrefixes (warning)', () => {
  it('is a warning rule', () => expect(rule.severity).toBe('warning'));

  const good = testStack('Good');
  new DataLake(good, 'Lake', { tenantCodes: ['north', 'south'], objectAccessPrincipalArns: ['arn:aws:iam::111122223333:role/orchestration'] }).grantReadWrite(new iam.Role(good, 'Orchestration', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
  const wide = testStack('Wide');
  const lake = new DataLake(wide, 'Lake', { tenantCodes: ['north', 'south'], objectAccessPrincipalArns: ['arn:aws:iam::111122223333:role/orchestration'] });
  lake.grantReadWrite(new iam.Role(wide, 'Orchestration', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
  lake.bucket.grantRead(new iam.Role(wide, 'Wide', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));

  it('accepts DataLake tenant grants and flags bucket.grantRead on the same lake (L2)', () => {
    expect(violations(good, rule)).toEqual([]);
    expect(violations(wide, rule)).toEqual([expect.stringMatching(/^WideDefaultPolicy[0-9A-F]+: PolicyDocument.Statement\[0\].Resource=\$\{Lake.*.Arn\}\/\*$/)]);
  });

  it('flags bucket-wide object grants in inline, managed and SSO policies, by Ref, literal name, * and arn:aws:s3:::*', () => {
    const found = violations(
      template({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Lake}/*' } }] } }] },
        },
        Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::lake/*' } } } },
        Everything: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:Get*', Resource: '*' } } } },
        AllBuckets: { Type: 'AWS::SSO::PermissionSet', Properties: { InlinePolicy: { Statement: { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*' } } } },
        ListOnly: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::lake' } } } },
        OtherBucket: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' } } } },
      }),
      rule,
    );
    expect(found).toEqual([
      'Role: Policies[0].PolicyDocument.Statement[0].Resource=arn:${AWS:Partition}:s3:${Lake}/*',
      'Managed: PolicyDocument.Statement[0].Resource=arn:aws:s3:lake/*',
      'Everything: PolicyDocument.Statement[0].Resource=*',
      'AllBuckets: InlinePolicy.Statement[0].Resource=arn:aws:s3:*',
    ]);
  });

  it('says nothing when no template policy uses tenant prefixes', () => {
    const t = templateOf({ Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::lake/*' } } } } });
    expect(violations(t, rule)).toEqual([]);
  });
});
