import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EgressFirewall } from '../../constructs/egress-firewall';

/** A two-zone VPC with NAT, workload and firewall subnet groups, and (optionally) the EgressFirewall on it. */
export function vpcWithFirewall(stack: Stack, firewall: boolean, natGateways = 2): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways,
    subnetConfiguration: [
      { name: 'nat', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'firewall', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
    ],
  });
  if (firewall) new EgressFirewall(stack, 'Egress', { vpc, allowedDomains: ['.example.org'], alertLogGroup: new logs.LogGroup(stack, 'Alerts') });
  return vpc;
}
