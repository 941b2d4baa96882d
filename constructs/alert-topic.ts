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
 * - encrypted with a customer-managed key whose policy lets only CloudWatch
 *   alarms of this account and region use it (`aws:SourceAccount` and
 *   `aws:SourceArn`, IAM-3);
 * - the topic policy denies `sns:Publish` without TLS and names no public
 *   principal: CloudWatch alarms are scoped by source account and ARN, and
 *   everyone else publishes through `grantPublish`.
 *
 * EventBridge is deliberately not admitted: its requests to KMS on behalf of
 * a rule target carry no `aws:SourceArn` to bind it to (AWS's Modern Data
 * Architecture Accelerator notes that "aws:SourceAccount / aws:SourceArn /
 * aws:SourceOrgID are not supported in a KMS policy for EventBridge delivery"),
 * so a statement for it would admit every rule of every account. A deployment
 * that routes EventBridge rules here adds that statement itself and records it
 * as an exception to IAM-3.
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

    // CloudWatch alarms publish as their service principal, so SNS asks KMS
    // for data keys on their behalf; without this statement the publish fails
    // silently and no alert arrives ("Enable compatibility between event
    // sources from AWS services and encrypted topics", Amazon SNS Developer
    // Guide). Bound to this account's alarms by aws:SourceArn (IAM-3).
    const alarms = `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`;
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': alarms } },
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

    // An explicit topic policy replaces the SNS default, so CloudWatch needs
    // its own scoped Allow to deliver alarms.
    this.topic.addToResourcePolicy(this.servicePublish('cloudwatch.amazonaws.com', alarms));
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
