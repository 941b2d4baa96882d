/**
 * AWS's length and character limits on the physical names the baseline sets
 * (DEPLOY-4). One table serves the config validator (names derived from the
 * config, checked before any template is written) and the DEPLOY-4 names rule
 * (literal names in any template). A name outside these limits fails at
 * deploy time, after earlier stacks have already been created.
 */

/** The kinds of physical name the baseline and the rule check. */
export type NameKind =
  | 's3-bucket'
  | 'log-group'
  | 'iam-role'
  | 'iam-policy'
  | 'iam-instance-profile'
  | 'stack'
  | 'ssm-parameter'
  | 'kms-alias'
  | 'sns-topic'
  | 'prefix-list'
  | 'cloudtrail-trail'
  | 'alarm'
  | 'dashboard'
  | 'lambda-function';

/** What AWS allows for one kind of name. */
export interface NameLimit {
  /** Noun for messages, e.g. `S3 bucket name`. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Where AWS states the limit (document title and URL). */
  readonly source: string;
  /** One character AWS accepts in the name, and the same in words. */
  readonly characters?: { readonly pattern: RegExp; readonly allowed: string };
  /** Problems of form other than length and characters, each a short phrase. */
  formatProblems(name: string): string[];
}

const NONE = (): string[] => [];

const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export const NAME_LIMITS: Readonly<Record<NameKind, NameLimit>> = {
  's3-bucket': {
    label: 'S3 bucket name',
    min: 3,
    max: 63,
    source: 'Amazon S3 User Guide, "General purpose bucket naming rules" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)',
    characters: { pattern: /[a-z0-9.-]/, allowed: 'lowercase letters, digits, . and -' },
    formatProblems: (name) => {
      const out: string[] = [];
      if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) out.push('must begin and end with a lowercase letter or digit');
      if (name.includes('..')) out.push('must not contain two adjacent periods');
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) out.push('must not be formatted as an IP address');
      for (const p of S3_RESERVED_PREFIXES) if (name.startsWith(p)) out.push(`must not start with the reserved prefix ${p}`);
      for (const s of S3_RESERVED_SUFFIXES) if (name.endsWith(s)) out.push(`must not end with the reserved suffix ${s}`);
      return out;
    },
  },
  'log-group': {
    label: 'log group name',
    min: 1,
    max: 512,
    source: 'CloudWatch Logs API Reference, CreateLogGroup: logGroupName (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)',
    characters: { pattern: /[A-Za-z0-9_\-/.#]/, allowed: 'letters, digits, _ - / . #' },
    formatProblems: NONE,
  },
  'iam-role': {
    label: 'IAM role name',
    min: 1,
    max: 64,
    source: 'IAM API Reference, CreateRole: RoleName (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)',
    characters: { pattern: /[\w+=,.@-]/, allowed: 'letters, digits and _+=,.@-' },
    formatProblems: NONE,
  },
  'iam-policy': {
    label: 'IAM managed policy name',
    min: 1,
    max: 128,
    source: 'IAM API Reference, CreatePolicy: PolicyName (docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html)',
    characters: { pattern: /[\w+=,.@-]/, allowed: 'letters, digits and _+=,.@-' },
    formatProblems: NONE,
  },
  'iam-instance-profile': {
    label: 'IAM instance profile name',
    min: 1,
    max: 128,
    source: 'IAM API Reference, CreateInstanceProfile: InstanceProfileName (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html)',
    characters: { pattern: /[\w+=,.@-]/, allowed: 'letters, digits and _+=,.@-' },
    formatProblems: NONE,
  },
  stack: {
    label: 'CloudFormation stack name',
    min: 1,
    max: 128,
    source: 'CloudFormation API Reference, CreateStack: StackName (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html)',
    characters: { pattern: /[A-Za-z0-9-]/, allowed: 'letters, digits and -' },
    formatProblems: (name) => (/^[A-Za-z]/.test(name) ? [] : ['must start with a letter']),
  },
  'ssm-parameter': {
    label: 'SSM parameter name',
    min: 1,
    max: 1011,
    source: 'Systems Manager API Reference, PutParameter: Name, and "Creating Parameter Store parameters" (docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html)',
    characters: { pattern: /[A-Za-z0-9_.\-/]/, allowed: 'letters, digits, _ . - and / between levels' },
    formatProblems: (name) => {
      const out: string[] = [];
      const segments = name.replace(/^\//, '').split('/');
      // "Parameter hierarchies are limited to a maximum depth of fifteen levels."
      if (segments.length > 15) out.push(`has ${segments.length} levels; Parameter Store allows 15`);
      // "A parameter name can't be prefixed with aws or ssm (case-insensitive)."
      if (/^(aws|ssm)/i.test(segments[0] ?? '')) out.push('must not begin with aws or ssm');
      return out;
    },
  },
  'kms-alias': {
    label: 'KMS alias name',
    min: 7,
    max: 256,
    source: 'KMS API Reference, CreateAlias: AliasName (docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)',
    characters: { pattern: /[A-Za-z0-9:/_-]/, allowed: 'letters, digits and :/_-' },
    formatProblems: (name) => {
      if (!name.startsWith('alias/')) return ['must begin with alias/'];
      return name.startsWith('alias/aws/') ? ['must not begin with alias/aws/ (reserved for AWS managed keys)'] : [];
    },
  },
  'sns-topic': {
    label: 'SNS topic name',
    min: 1,
    max: 256,
    source: 'SNS API Reference, CreateTopic: Name (docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)',
    // A FIFO topic's name ends in .fifo; the dot is allowed only there.
    characters: { pattern: /[A-Za-z0-9_-]/, allowed: 'letters, digits, _ and - (and a .fifo suffix)' },
    formatProblems: NONE,
  },
  'prefix-list': {
    label: 'prefix list name',
    min: 1,
    max: 255,
    source: 'CloudFormation, AWS::EC2::PrefixList: PrefixListName (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-prefixlist.html)',
    formatProblems: (name) => (name.startsWith('com.amazonaws') ? ['must not start with com.amazonaws'] : []),
  },
  'cloudtrail-trail': {
    label: 'CloudTrail trail name',
    min: 3,
    max: 128,
    source: 'CloudTrail API Reference, CreateTrail: Name (docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html)',
    characters: { pattern: /[A-Za-z0-9._-]/, allowed: 'letters, digits, . _ and -' },
    formatProblems: (name) => {
      const out: string[] = [];
      if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) out.push('must start and end with a letter or digit');
      if (/[._-]{2}/.test(name)) out.push('must not have adjacent periods, underscores or dashes');
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) out.push('must not be formatted as an IP address');
      return out;
    },
  },
  alarm: {
    label: 'CloudWatch alarm name',
    min: 1,
    max: 255,
    source: 'CloudWatch API Reference, PutMetricAlarm: AlarmName (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)',
    formatProblems: (name) => ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ? ['must not contain control characters'] : []),
  },
  dashboard: {
    label: 'CloudWatch dashboard name',
    min: 1,
    max: 255,
    source: 'CloudWatch API Reference, PutDashboard: DashboardName (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)',
    characters: { pattern: /[A-Za-z0-9_-]/, allowed: 'letters, digits, _ and -' },
    formatProblems: NONE,
  },
  'lambda-function': {
    label: 'Lambda function name',
    min: 1,
    max: 64,
    source: 'Lambda API Reference, CreateFunction: FunctionName (docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html)',
    characters: { pattern: /[A-Za-z0-9_-]/, allowed: 'letters, digits, _ and -' },
    formatProblems: NONE,
  },
};

/** One problem with a name: its length, its characters or its form. */
export interface NameProblem {
  readonly kind: 'length' | 'characters' | 'format';
  readonly message: string;
  /** The characters AWS does not accept, for `characters` problems. */
  readonly characters?: readonly string[];
}

/** Every problem with `name` as a `kind` name; empty when AWS accepts it. */
export function nameProblems(kind: NameKind, name: string): NameProblem[] {
  const limit = NAME_LIMITS[kind];
  const out: NameProblem[] = [];
  if (name.length > limit.max) out.push({ kind: 'length', message: `is ${name.length} characters long; AWS allows ${limit.max}` });
  if (name.length < limit.min) out.push({ kind: 'length', message: `is ${name.length} characters long; AWS requires at least ${limit.min}` });
  if (limit.characters) {
    const body = kind === 'sns-topic' ? name.replace(/\.fifo$/, '') : name;
    const bad = [...new Set([...body].filter((c) => !limit.characters?.pattern.test(c)))];
    if (bad.length > 0) {
      out.push({ kind: 'characters', message: `contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; allowed: ${limit.characters.allowed}`, characters: bad });
    }
  }
  for (const message of limit.formatProblems(name)) out.push({ kind: 'format', message });
  return out;
}

/**
 * The CloudFormation properties that set a physical name, by resource type.
 * The DEPLOY-4 names rule checks each against {@link NAME_LIMITS}.
 */
export const NAME_PROPERTIES: Readonly<Record<string, { readonly property: string; readonly kind: NameKind }>> = {
  'AWS::S3::Bucket': { property: 'BucketName', kind: 's3-bucket' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', kind: 'log-group' },
  'AWS::IAM::Role': { property: 'RoleName', kind: 'iam-role' },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', kind: 'iam-policy' },
  'AWS::IAM::InstanceProfile': { property: 'InstanceProfileName', kind: 'iam-instance-profile' },
  'AWS::SSM::Parameter': { property: 'Name', kind: 'ssm-parameter' },
  'AWS::KMS::Alias': { property: 'AliasName', kind: 'kms-alias' },
  'AWS::SNS::Topic': { property: 'TopicName', kind: 'sns-topic' },
  'AWS::EC2::PrefixList': { property: 'PrefixListName', kind: 'prefix-list' },
  'AWS::CloudTrail::Trail': { property: 'TrailName', kind: 'cloudtrail-trail' },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', kind: 'alarm' },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', kind: 'dashboard' },
  'AWS::Lambda::Function': { property: 'FunctionName', kind: 'lambda-function' },
};
