import { Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataLake } from '../../../../constructs/data-lake';
import { tenantScopingRule as rule } from '../../../../lib/policy/rules/tenant/tenant-scoping';
import { CfnTemplate, TemplateResource } from '../../../../lib/policy/rule';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const LAKE = { Lake: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake' } } };
const obj = (key: string): unknown => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lake', 'Arn'] }, `/${key}`]] });
const role = (tenant: string | undefined, resources: unknown, action: unknown = ['s3:GetObject', 's3:PutObject']): TemplateResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    ...(tenant === undefined ? {} : { Tags: [{ Key: 'tenant_code', Value: tenant }] }),
    Policies: [{ PolicyName: 'lake', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: action, Resource: resources }] } }],
  },
});
const t = (resources: CfnTemplate['Resources']): CfnTemplate => templateOf({ ...LAKE, ...resources });

describe('TENANT1-TenantScoping', () => {
  describe('L2 constructs', () => {
    const stack = testStack();
    const lake = new DataLake(stack, 'Lake', { tenantCodes: ['north', 'south'], objectAccessPrincipalArns: ['arn:aws:iam::111122223333:role/orchestration'] });
    const north = new iam.Role(stack, 'North', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    Tags.of(north).add('tenant_code', 'north');
    lake.grantTenantReadWrite(north, 'north');
    const leaky = new iam.Role(stack, 'Leaky', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    Tags.of(leaky).add('tenant_code', 'north');
    lake.grantTenantRead(leaky, 'south');
    const badTag = new iam.Role(stack, 'BadTag', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    Tags.of(badTag).add('tenant_code', 'North/*');
    lake.grantReadWrite(new iam.Role(stack, 'Orchestration', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));

    it('accepts tenant grants to the tagged tenant and the untagged orchestration role; fails another tenant and a malformed tag', () => {
      expect(violations(stack, rule)).toEqual([
        expect.stringMatching(/^LeakyDefaultPolicy[0-9A-F]+: PolicyDocument.Statement\[0\].Resource=tenant_code=south:not-Leaky[0-9A-F]+-tenant-north$/),
        expect.stringMatching(/^BadTag[0-9A-F]+: Tags.tenant_code=North\/\*$/),
      ]);
    });
  });

  describe('hand-written templates', () => {
    it('accepts a tenant role confined to its prefix (Ref, literal name), with bucket-level ARNs and non-S3 resources', () => {
      const template = t({
        North: role('north', [obj('tenant_code=north/*'), 'arn:aws:s3:::lake/tenant_code=north/raw/*', 'arn:aws:s3:::lake', 'arn:aws:kms:us-east-1:111122223333:key/k']),
      });
      expect(violations(template, rule)).toEqual([]);
    });

    it('fails a tenant prefix together with bucket/* in one statement, and wildcard tenant prefixes', () => {
      const template = t({
        Mixed: role(undefined, [obj('tenant_code=north/*'), obj('*')]),
        Star: role(undefined, [obj('tenant_code=*/*')]),
        Prefix: role(undefined, 'arn:aws:s3:::lake/tenant_code=a*'),
      });
      expect(violations(template, rule)).toEqual([
        'Mixed: Policies[0].PolicyDocument.Statement[0].Resource=${Lake.Arn}/*:bucket-wide',
        'Star: Policies[0].PolicyDocument.Statement[0].Resource=${Lake.Arn}/tenant_code=*/*:tenant-wildcard',
        'Prefix: Policies[0].PolicyDocument.Statement[0].Resource=arn:aws:s3:lake/tenant_code=a*:tenant-wildcard',
      ]);
    });

    it('fails a tagged role reaching another tenant, the whole bucket or * (inline, AWS::IAM::Policy and attached ManagedPolicy)', () => {
      const template = t({
        North: role('north', [obj('tenant_code=south/*')]),
        Wide: role('north', 'arn:aws:s3:::lake/*', 's3:GetObject'),
        Star: role('north', '*', 's3:*'),
        NorthRole: { Type: 'AWS::IAM::Role', Properties: { Tags: [{ Key: 'tenant_code', Value: 'north' }], ManagedPolicyArns: [{ Ref: 'Managed' }] } },
        Attached: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: [{ Ref: 'NorthRole' }], PolicyDocument: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/tenant_code=south/*' } } } },
        Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: [obj('tenant_code=south/*')] }] } } },
        ListOnly: role('north', 'arn:aws:s3:::lake/*', 's3:ListBucket'),
      });
      expect(violations(template, rule)).toEqual([
        'North: Policies[0].PolicyDocument.Statement[0].Resource=tenant_code=south:not-North-tenant-north',
        'Wide: Policies[0].PolicyDocument.Statement[0].Resource=arn:aws:s3:lake/*:outside-Wide-tenant-north',
        'Star: Policies[0].PolicyDocument.Statement[0].Resource=*:outside-Star-tenant-north',
        'Attached: PolicyDocument.Statement[0].Resource=tenant_code=south:not-NorthRole-tenant-north',
        'Managed: PolicyDocument.Statement[0].Resource=tenant_code=south:not-NorthRole-tenant-north',
      ]);
    });

    it('checks tenant_code tags on any tenant-scoped type, list or map form, and warns on computed values', () => {
      const template = templateOf(
        {
          Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x', Tags: { tenant_code: 'Bad Code' } } },
          Fs: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: [{ Key: 'tenant_code', Value: 'ok_1' }] } },
          Long: { Type: 'AWS::Logs::LogGroup', Properties: { Tags: [{ Key: 'tenant_code', Value: 'a'.repeat(33) }] } },
          Computed: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'tenant_code', Value: { Ref: 'Tenant' } }] } },
        },
        { Parameters: { Tenant: { Type: 'String' } } },
      );
      expect(violations(template, rule)).toEqual(['Param: Tags.tenant_code=Bad_Code', `Long: Tags.tenant_code=${'a'.repeat(33)}`]);
      expect(unresolvedWarnings(template, rule)).toEqual(['Computed: Tags.tenant_code=unresolved']);
    });
  });
});
