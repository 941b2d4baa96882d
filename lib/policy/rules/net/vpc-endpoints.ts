import { EduRule, RuleOutcome } from '../../rule';
import { flattenString, referencedLogicalId } from '../../../cfn/values';

/** Services whose endpoints keep the platform's AWS traffic inside the VPC. */
const REQUIRED_ENDPOINTS = ['s3', 'ssm'];

/**
 * NET-3, the endpoint part, as a warning: a VPC defined in this template
 * should have an S3 endpoint (lake traffic) and an SSM endpoint (secrets,
 * Session Manager) whose VpcId refers to it. Only endpoints in the same
 * template are seen, so a VPC whose endpoints live in another stack is
 * reported and acknowledged with that reason.
 */
export const vpcEndpointsRule: EduRule = {
  id: 'NET3-VpcEndpoints',
  control: 'NET-3',
  severity: 'warning',
  resourceTypes: ['AWS::EC2::VPC'],
  info:
    'The VPC has no S3 or SSM VPC endpoint in this template, so AWS API traffic leaves through a NAT gateway. Add ' +
    'vpc.addGatewayEndpoint("S3", { service: GatewayVpcEndpointAwsService.S3 }) and ' +
    'vpc.addInterfaceEndpoint("Ssm", { service: InterfaceVpcEndpointAwsService.SSM }).',
  explanation:
    'Reading the lake and the secrets through endpoints keeps student-data traffic (FERPA) off the internet path and ' +
    'lets endpoint policies limit it to the platform\'s own buckets and parameters.',
  check(_resource, context): RuleOutcome {
    const present = new Set<string>();
    for (const r of Object.values(context.template.Resources ?? {})) {
      if (r.Type !== 'AWS::EC2::VPCEndpoint' || referencedLogicalId(r.Properties?.VpcId) !== context.logicalId) continue;
      const service = flattenString(r.Properties?.ServiceName).text.split('.').pop() ?? '';
      present.add(service.toLowerCase());
    }
    return { violations: REQUIRED_ENDPOINTS.filter((s) => !present.has(s)).map((s) => `missing-endpoint:${s}`), unresolved: [] };
  },
};
