import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SecretParameters } from '../../constructs/secret-parameters';
import { declaredSecrets, parameterRoot } from '../config';
import { BaselineStackProps } from './common';

/**
 * The SecureString contract (SECRET-1, SECRET-3): the key that encrypts
 * every secret of the environment and the names the operator CLI writes.
 * CloudFormation cannot create SecureString values, so no value is here.
 */
export class SecretsStack extends Stack {
  public readonly secrets: SecretParameters;

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    const { config, environment, names } = props;
    this.secrets = new SecretParameters(this, 'Secrets', {
      keyAlias: names.secretsKeyAlias.replace(/^alias\//, ''),
      parameterRoot: parameterRoot(config, environment),
      parameters: declaredSecrets(config, environment),
    });
  }
}
