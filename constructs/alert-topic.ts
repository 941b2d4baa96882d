import { Names, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

/** Properties of an {@link AlertTopic}. */
export interface AlertTopicProps {
  /**
   * Topic name.
   * @default a CloudFormation-generated name
   */
  readonly topicName?: string;
  /**
   * Display name (the sender name of e-mail notifications).
   * @default none
   */
  readonly displayName?: string;
  /**
   * Key that encrypts messages at rest. A key defined in this app gets the
   * CloudWatch and EventBridge statements added; a key imported by ARN must
   * already allow them.
   * @default a new {@link CustomerManagedKey}
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Alias of the key created when `encryptionKey` is not given.
   * @default `<unique construct name>-alerts`
   */
  readonly keyAlias?: string;
}

/**
 * The encrypted SNS topic for task success and failure alerts (LOG-3).
 *
 * **Metadata-only contract.** A message on this topic carries what happened,
 * never the data it happened to: the task or DAG id, tenant code, run id,
 * status (success / failure / retry), timestamps, and a link to the sanitized
 * log. It never carries record contents, file contents, student or staff
 * identifiers, query results, exception messages that echo input rows, or
 * secrets. Subscribers (e-mail, chat) sit outside the platform's controls, so
 * anything published here must be safe to read by people with view-only access.
 *
 * Security properties:
 * - encrypted with a customer-managed key whose policy lets only the CloudWatch
 *   and EventBridge services of this account use it (`aws:SourceAccount`);
 * - the topic policy denies `sns:Publish` without TLS and names no public
 *   principal: service principals are scoped by source account and ARN, and
 *   everyone else publishes through `grantPublish`.
 */
export class AlertTopic extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic. */
  public readonly encryptionKey: kms.IKey;
  private cachedAlarmAction?: SnsAction;

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.encryptionKey =
      props.encryptionKey ??
      new CustomerManagedKey(this, 'Key', {
        alias: props.keyAlias ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-alerts`,
        description: `Encrypts the alert topic ${this.node.path}`,
      });

    // CloudWatch alarms and EventBridge rules publish as their service
    // principal, so SNS asks KMS for data keys on their behalf; without these
    // statements the publish fails silently and no alert arrives.
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Resource', {
      topicName: props.topicName,
      displayName: props.displayName,
      masterKey: this.encryptionKey,
      enforceSSL: true,
      // SHA256 signatures on deliveries instead of SHA1.
      signatureVersion: '2',
    });

    // An explicit topic policy replaces the SNS default, so the services that
    // deliver alarms and rule matches need their own scoped Allow.
    this.topic.addToResourcePolicy(
      this.servicePublish('cloudwatch.amazonaws.com', `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`),
    );
    this.topic.addToResourcePolicy(
      this.servicePublish('events.amazonaws.com', `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*`),
    );
  }

  /** A CloudWatch alarm action that notifies this topic (created once). */
  public get alarmAction(): SnsAction {
    this.cachedAlarmAction ??= new SnsAction(this.topic);
    return this.cachedAlarmAction;
  }

  /**
   * Lets a principal publish (with the key permissions SNS needs). Whoever
   * publishes accepts the metadata-only contract in the class comment.
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grantPublish(grantee);
  }

  private servicePublish(service: string, sourceArn: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        ArnLike: { 'aws:SourceArn': sourceArn },
      },
    });
  }
}
