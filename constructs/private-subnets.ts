import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The subnets a workload may use: the selection given, or the private
 * subnets with egress, never a public one (NET-3). Throws naming the
 * construct and the control, whether the selection asks for PUBLIC subnets
 * by type or resolves to public subnets by ID.
 */
export function privateSubnets(
  label: string,
  vpc: ec2.IVpc,
  selection: ec2.SubnetSelection | undefined,
  controls: string,
): ec2.SubnetSelection {
  const vpcSubnets = selection ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (vpcSubnets.subnetType === ec2.SubnetType.PUBLIC) {
    throw new Error(`${label} must be in private subnets; vpcSubnets selects PUBLIC subnets (${controls}), and public subnets face the internet`);
  }
  const selected = vpc.selectSubnets(vpcSubnets);
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const offending = selected.subnets.filter((s) => publicIds.has(s.subnetId));
  if (selected.hasPublic || offending.length > 0) {
    throw new Error(`${label} must be in private subnets; vpcSubnets resolves to public subnets (${controls}): ${offending.map((s) => s.node.path).join(', ')}`);
  }
  return vpcSubnets;
}
