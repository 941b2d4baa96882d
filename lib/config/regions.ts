/**
 * The AWS Regions a config may name, by partition. Vendored list, checked on
 * 2026-11-29 against AWS's "AWS Region billing codes" page
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html)
 * and the GovCloud (US) and China (Beijing/Ningxia) documentation. A region
 * AWS opens later is refused until it is added here: a typo such as
 * `us-east-3` would otherwise synthesize templates for a region that does not
 * exist.
 */
export const AWS_REGIONS = {
  aws: [
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
    'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
    'af-south-1',
    'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
    'il-central-1', 'me-central-1', 'me-south-1',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
} as const;

export type AwsPartition = keyof typeof AWS_REGIONS;

/** The date the list above was last checked (docs/config.md prints it). */
export const AWS_REGIONS_CHECKED = '2026-11-29';

/** The partition of a listed region, or undefined for a region not in the list. */
export function partitionOf(region: string): AwsPartition | undefined {
  return (Object.keys(AWS_REGIONS) as AwsPartition[]).find((p) => (AWS_REGIONS[p] as readonly string[]).includes(region));
}

/** The partition of an ARN (`arn:<partition>:...`), or undefined when it is not an ARN. */
export function arnPartition(arn: string): string | undefined {
  return /^arn:([a-z-]+):/.exec(arn)?.[1];
}
