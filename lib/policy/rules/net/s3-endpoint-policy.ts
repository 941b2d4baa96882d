import { statementsOf, stringBranches } from '../../../cfn/branches';
import { findingPart } from '../../vocabulary';
import { flattenString } from '../../../cfn/values';
import { EduRule, RuleOutcome } from '../../rule';

const S3_ARN = /^arn:[^:]*:s3:::([^/]*)/;

/**
 * NET-4, the S3 endpoint: an AWS::EC2::VPCEndpoint for S3 (gateway, the
 * default type, or interface) carries a PolicyDocument whose every Allow
 * statement names specific buckets. Without a policy the endpoint "allows
 * access by any user or service within the VPC, using credentials from any
 * AWS account, to any Amazon S3 resource" (Amazon VPC User Guide, "Endpoints
 * for Amazon S3"): a host can copy student data to any bucket in the region.
 * Fails: no PolicyDocument; an Allow with Resource `*`, a non-S3 ARN, or a
 * bucket name with a wildcard (`arn:aws:s3:::*`, `arn:aws:s3:::al2023-*`:
 * bucket names are global, so a pattern admits buckets anyone can create);
 * an Allow with NotResource. A bucket name from a parameter without default
 * is unresolved; a Ref / Fn::GetAtt Arn of a template bucket names one bucket.
 */
export const s3EndpointPolicyRule: EduRule = {
  id: 'NET4-S3EndpointPolicy',
  control: 'NET-4',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPCEndpoint'],
  info:
    'The S3 VPC endpoint has no policy, or its policy allows buckets by wildcard. Add an endpoint policy that allows only the ' +
    'deployment\'s buckets (lake, access logs, trail) and the OS package repository: ' +
    'endpoint.addToPolicy(new PolicyStatement({ principals: [new AnyPrincipal()], actions: [...], resources: ["arn:aws:s3:::<bucket>", "arn:aws:s3:::<bucket>/*"] })).',
  explanation:
    'An open S3 endpoint lets anything in the VPC copy student data (FERPA) to a bucket of any account without crossing the internet ' +
    'boundary where egress controls would see it.',
  check(resource, context): RuleOutcome {
    const props = resource.Properties ?? {};
    const service = flattenString(props.ServiceName, context.template).text;
    if (service.split('.').pop()?.toLowerCase() !== 's3') return { violations: [], unresolved: [] };
    if (props.PolicyDocument === undefined) return { violations: ['PolicyDocument-missing-allows-every-bucket'], unresolved: [] };
    const violations: string[] = [];
    const unresolved: string[] = [];
    for (const statement of statementsOf(props.PolicyDocument)) {
      if (statement.effect !== 'Allow') continue;
      const at = `Statement[${statement.index}]`;
      if (statement.notResources.length > 0) violations.push(`${at}.NotResource`);
      for (const { text } of stringBranches(statement.resources, context.template)) {
        // Fn::GetAtt <bucket>.Arn of a template bucket names that one bucket.
        const attArn = /^\$\{([^}.]+)\.Arn\}(\/.*)?$/.exec(text);
        if (attArn && context.template.Resources?.[attArn[1]]?.Type === 'AWS::S3::Bucket') continue;
        const match = S3_ARN.exec(text.replace(/\$\{AWS::Partition\}/g, 'aws'));
        if (!match) {
          violations.push(`${at}.Resource=${findingPart(text)}`);
          continue;
        }
        const bucket = match[1];
        if (/[*?]/.test(bucket)) violations.push(`${at}.Resource=${findingPart(text)}-bucket-wildcard`);
        else if ([...bucket.matchAll(/\$\{([^}.]+)\}/g)].some((m) => context.template.Parameters?.[m[1]] !== undefined)) {
          unresolved.push(`${at}.Resource=${findingPart(text)}`);
        }
      }
    }
    return { violations, unresolved };
  },
};
