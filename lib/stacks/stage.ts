import { Stage, StageProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { availabilityZonesOf, BaselineConfig, EnvironmentConfig, environmentNames } from '../config';
import { AccessStack } from './access-stack';
import { TAG } from './common';
import { DataStack } from './data-stack';
import { NetworkStack } from './network-stack';
import { ObservabilityStack } from './observability-stack';
import { OrchestrationStack } from './orchestration-stack';
import { SecretsStack } from './secrets-stack';

/** Properties of {@link BaselineStage}. */
export interface BaselineStageProps extends StageProps {
  readonly config: BaselineConfig;
  readonly environment: EnvironmentConfig;
  /** The date allow-list expiry is judged against (YYYY-MM-DD); default today. */
  readonly today?: string;
}

/**
 * One environment of the baseline (ENV-1): its own account and region, its
 * own names, keys and parameter paths; nothing here refers to another stage.
 */
export class BaselineStage extends Stage {
  public readonly network: NetworkStack;
  public readonly data: DataStack;
  public readonly secrets: SecretsStack;
  public readonly observability: ObservabilityStack;
  public readonly access: AccessStack;
  public readonly orchestration: OrchestrationStack;

  constructor(scope: Construct, id: string, props: BaselineStageProps) {
    super(scope, id, { ...props, env: { account: props.environment.account, region: props.environment.region } });
    const { config, environment } = props;
    const names = environmentNames(config, environment);
    // The zones are configuration, not something to look up: answering the VPC's zone lookup
    // from the config keeps synthesis offline, single-pass and free of placeholder zones.
    this.node.setContext(
      `availability-zones:account=${environment.account}:region=${environment.region}`,
      availabilityZonesOf(environment),
    );
    const common = { config, environment, names, terminationProtection: environment.production };
    const stackName = (part: string): string => `${names.prefix}-${part}`;

    this.network = new NetworkStack(this, 'Network', { ...common, stackName: stackName('network'), today: props.today });
    this.data = new DataStack(this, 'Data', {
      ...common,
      stackName: stackName('data'),
      vpc: this.network.vpc,
      orchestrationSecurityGroup: this.network.orchestrationSecurityGroup,
    });
    this.secrets = new SecretsStack(this, 'Secrets', { ...common, stackName: stackName('secrets') });
    this.observability = new ObservabilityStack(this, 'Observability', { ...common, stackName: stackName('observability') });
    this.access = new AccessStack(this, 'Access', {
      ...common,
      stackName: stackName('access'),
      lake: this.data.lake,
      tempFileSystem: this.data.tempFileSystem,
      secrets: this.secrets.secrets,
      taskLogGroups: [this.observability.taskLogs.logGroup, this.observability.schedulerLogs.logGroup],
    });
    this.orchestration = new OrchestrationStack(this, 'Orchestration', {
      ...common,
      stackName: stackName('orchestration'),
      vpc: this.network.vpc,
      securityGroup: this.network.orchestrationSecurityGroup,
      role: this.access.orchestrationRole,
      tempFileSystem: this.data.tempFileSystem,
      alerts: this.observability.alerts,
    });

    Tags.of(this).add(TAG.deployment, config.deployment.name);
    Tags.of(this).add(TAG.environment, environment.name);
    Tags.of(this).add(TAG.production, String(environment.production));
    Tags.of(this).add(TAG.dataClassification, config.deployment.dataClassification);
  }
}
