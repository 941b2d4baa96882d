import { StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BaselineConfig, EnvironmentConfig, EnvironmentNames } from '../config';

/** What every baseline stack knows: the validated config and which environment it builds. */
export interface BaselineStackProps extends StackProps {
  readonly config: BaselineConfig;
  readonly environment: EnvironmentConfig;
  readonly names: EnvironmentNames;
}

/** Tag keys the baseline writes (the constructs' conventions; TENANT-1, NET-2 and the evidence report read them). */
export { TAG } from '../../constructs/conventions';

/** Converts a validated retention in days to the CloudWatch enum value. */
export function retentionFor(days: number): RetentionDays {
  const match = Object.values(RetentionDays).find((value) => value === days);
  if (match === undefined) throw new Error(`${days} days is not a CloudWatch Logs retention period`);
  return match as RetentionDays;
}
