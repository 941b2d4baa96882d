import { isTrue } from '../../../cfn/booleans';
import { EduRule, RuleOutcome } from '../../rule';
import { branchesOf, listBranches } from '../../../cfn/branches';
import { isRecord } from '../../../cfn/values';

function maybeTrue(value: unknown): boolean {
  return branchesOf(value).some((v) => isTrue(v));
}

function publicInterfaces(interfaces: unknown, prefix: string): string[] {
  return listBranches(interfaces).flatMap((ni, index) =>
    isRecord(ni) && maybeTrue(ni.AssociatePublicIpAddress) ? [`${prefix}NetworkInterfaces[${index}].AssociatePublicIpAddress=true`] : [],
  );
}

/**
 * NET-3: private by default. Subnets do not map public IPs on launch;
 * instances, launch templates and launch configurations do not associate a
 * public IP; no Elastic IP is bound to an instance or a network interface
 * (an EIP for a NAT gateway, bound through the gateway's AllocationId,
 * passes). Fn::If counts if either branch is public.
 */
export const noPublicIpRule: EduRule = {
  id: 'NET3-NoPublicIp',
  control: 'NET-3',
  severity: 'error',
  resourceTypes: [
    'AWS::EC2::Subnet',
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::AutoScaling::LaunchConfiguration',
    'AWS::EC2::EIP',
    'AWS::EC2::EIPAssociation',
  ],
  info:
    'A workload gets a public IP: a subnet with MapPublicIpOnLaunch, an instance/launch template with ' +
    'AssociatePublicIpAddress, or an Elastic IP on an instance. Put workloads in private subnets ' +
    '(vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS } or PRIVATE_ISOLATED), set mapPublicIpOnLaunch: false on ' +
    'public subnets that only hold NAT gateways, and reach AWS APIs through VPC endpoints.',
  explanation:
    'A public IP exposes a host holding or processing student records (FERPA) to the internet; the platform is private ' +
    'by default and reached only through allow-listed paths.',
  check(resource): RuleOutcome {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    switch (resource.Type) {
      case 'AWS::EC2::Subnet':
        if (maybeTrue(props.MapPublicIpOnLaunch)) violations.push('MapPublicIpOnLaunch=true');
        break;
      case 'AWS::EC2::Instance':
        violations.push(...publicInterfaces(props.NetworkInterfaces, ''));
        break;
      case 'AWS::EC2::LaunchTemplate':
        if (isRecord(props.LaunchTemplateData)) {
          violations.push(...publicInterfaces(props.LaunchTemplateData.NetworkInterfaces, 'LaunchTemplateData.'));
        }
        break;
      case 'AWS::AutoScaling::LaunchConfiguration':
        if (maybeTrue(props.AssociatePublicIpAddress)) violations.push('AssociatePublicIpAddress=true');
        break;
      default:
        if (props.InstanceId !== undefined) violations.push('InstanceId');
        if (props.NetworkInterfaceId !== undefined) violations.push('NetworkInterfaceId');
    }
    return { violations, unresolved: [] };
  },
};
