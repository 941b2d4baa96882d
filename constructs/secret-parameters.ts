import * as fs from 'node:fs';
import * as path from 'node:path';
import { Arn, ArnFormat, attachCustomSynthesis, CfnOutput, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

/** A SecureString parameter the stacks expect and the operator CLI writes. */
export interface SecretParameterDeclaration {
  /** Full Parameter Store name, below the parameter root, e.g. `/edu/prod/riverside_isd/key`. */
  readonly name: string;
  /** What the secret is for; shown by `edu-baseline secrets check`. */
  readonly purpose: string;
  /** Days after which the value is overdue for rotation (SECRET-4). */
  readonly maxAgeDays: number;
  /**
   * The tenant the secret belongs to; its name must then lie below `<root>/<tenantCode>/` (TENANT-1).
   * @default - shared by the environment
   */
  readonly tenantCode?: string;
}

/** Properties of {@link SecretParameters}. */
export interface SecretParametersProps {
  /** The environment's parameter root, e.g. `/edu/prod` (ENV-1). */
  readonly parameterRoot: string;
  /** The parameters the environment declares. */
  readonly parameters: readonly SecretParameterDeclaration[];
  /** Alias of the dedicated key, with or without `alias/`, e.g. `riverside-prod-secrets`. */
  readonly keyAlias: string;
  /**
   * Where the contract file is written, relative to the cloud assembly directory.
   * @default `<stackName>.secrets-contract.json`
   */
  readonly contractFileName?: string;
}

/** The contract as code sees it: names, key and root; never values. */
export interface SecretsContract {
  readonly parameterRoot: string;
  /** ARN of the key (a token until deployment). */
  readonly keyArn: string;
  /** `alias/<name>`: what `ssm:PutParameter --key-id` accepts. */
  readonly keyAlias: string;
  readonly parameters: readonly SecretParameterDeclaration[];
}

/**
 * The contract as written into the template's Metadata and the cloud assembly.
 * The key ARN is not known before deployment, so tools get the alias, the
 * key's logical ID and the output that carries the ARN instead of a token.
 */
export interface SecretsContractDocument {
  readonly schemaVersion: 1;
  readonly stackName: string;
  readonly parameterRoot: string;
  readonly keyAlias: string;
  readonly keyLogicalId: string;
  /** Output key (logical ID) whose value is the key ARN after deployment. */
  readonly keyArnOutput: string;
  /** Output key whose value is the parameter root. */
  readonly parameterRootOutput: string;
  readonly parameters: readonly SecretParameterDeclaration[];
}

/** Template Metadata key holding the {@link SecretsContractDocument}. */
export const SECRETS_CONTRACT_METADATA_KEY = 'EduBaseline::SecretsContract';

/** Cloud-assembly file name of a stack's contract. */
export function secretsContractFileName(stackName: string): string {
  return `${stackName}.secrets-contract.json`;
}

const PATH_SEGMENT = /^[A-Za-z0-9_.-]+$/;
// Parameter Store allows up to 15 levels; deeper names cannot be written.
const MAX_PATH_DEPTH = 15;

function segmentsOf(pathText: string): string[] {
  return pathText.split('/').filter((s) => s !== '');
}

function isSafeSegment(segment: string): boolean {
  return PATH_SEGMENT.test(segment) && segment !== '.' && segment !== '..';
}

/**
 * The SecureString contract of one environment (SECRET-1, SECRET-3, ENV-1).
 *
 * CloudFormation cannot create SecureString values and a String parameter
 * would put the value in the template, so this construct creates no
 * parameter at all. It creates the dedicated key, records which parameters
 * must exist below the root, and hands out path-scoped read grants. The
 * operator CLI writes the values with the key.
 *
 * The contract is recorded three ways, for three readers:
 * - two stack outputs (key ARN, root), for the deployed stack;
 * - the template `Metadata` section under `EduBaseline::SecretsContract`
 *   (public `Stack.addMetadata`), which travels with the template, so
 *   `edu-baseline audit` and anyone holding only the template see it;
 * - `<stackName>.secrets-contract.json` in the cloud assembly, for the
 *   evidence report reading `cdk.out` (lib/report/evidence/secrets.ts). CDK offers no public hook for extra
 *   assembly files; `attachCustomSynthesis` is exported by aws-cdk-lib for
 *   exactly this (its doc reserves it for AWS libraries and it is outside
 *   jsii), so if it ever changes, the Metadata copy remains the reference.
 * None of them holds a value: only names, purposes, ages and tenants.
 */
export class SecretParameters extends Construct {
  /** The key that encrypts every SecureString below the root. */
  public readonly key: kms.IKey;
  /** `alias/<name>` of the key. */
  public readonly keyAlias: string;
  /** The parameter root, without a trailing slash, e.g. `/edu/prod`. */
  public readonly parameterRoot: string;
  /** The declared parameters. */
  public readonly parameters: readonly SecretParameterDeclaration[];

  private readonly keyArnOutput: CfnOutput;
  private readonly rootOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: SecretParametersProps) {
    super(scope, id);
    this.parameterRoot = this.validateRoot(props.parameterRoot);
    this.parameters = this.validateParameters(props.parameters);

    const aliasName = props.keyAlias.replace(/^alias\//, '');
    if (!/^[A-Za-z0-9/_-]{1,250}$/.test(aliasName) || aliasName.startsWith('aws/')) {
      throw new Error(`SecretParameters ${this.node.path}: keyAlias "${props.keyAlias}" must be letters, digits, / _ - and not start with aws/`);
    }
    this.keyAlias = `alias/${aliasName}`;
    const key = new CustomerManagedKey(this, 'Key', {
      alias: aliasName,
      description: `Encrypts the SecureString parameters below ${this.parameterRoot} (SECRET-1)`,
    });
    this.key = key;

    this.keyArnOutput = new CfnOutput(this, 'KeyArnOutput', {
      value: key.keyArn,
      description: `ARN of the key that encrypts SecureString parameters below ${this.parameterRoot}`,
    });
    this.rootOutput = new CfnOutput(this, 'ParameterRootOutput', {
      value: this.parameterRoot,
      description: 'Parameter Store path below which every secret of this environment lives',
    });

    const stack = Stack.of(this);
    if (stack.templateOptions.metadata?.[SECRETS_CONTRACT_METADATA_KEY] !== undefined) {
      throw new Error(`SecretParameters ${this.node.path}: stack ${stack.stackName} already has a SecretParameters; declare every parameter of the environment in one`);
    }
    stack.addMetadata(SECRETS_CONTRACT_METADATA_KEY, Lazy.any({ produce: () => this.contractDocument() }));

    const fileName = props.contractFileName ?? secretsContractFileName(stack.stackName);
    if (path.isAbsolute(fileName) || fileName.split(/[\\/]/).includes('..')) {
      throw new Error(`SecretParameters ${this.node.path}: contractFileName must stay inside the cloud assembly`);
    }
    attachCustomSynthesis(this, {
      onSynthesize: (session) => {
        const document = stack.resolve(this.contractDocument()) as SecretsContractDocument;
        fs.writeFileSync(path.join(session.outdir, fileName), `${JSON.stringify(document, undefined, 2)}\n`);
      },
    });
  }

  /** The contract: root, key and declared parameters. JSON-serializable; `keyArn` is a token before synthesis. */
  public contract(): SecretsContract {
    return {
      parameterRoot: this.parameterRoot,
      keyArn: this.key.keyArn,
      keyAlias: this.keyAlias,
      parameters: this.parameters.map((p) => ({ ...p })),
    };
  }

  /**
   * Lets a principal read the parameters below `<root>/<pathPrefix>` (SECRET-3):
   * `ssm:GetParameter(s)` and `ssm:GetParametersByPath` on that path only, and
   * `kms:Decrypt` on this key only when Parameter Store is the caller.
   *
   * @param pathPrefix relative to the root (`riverside_isd`) or absolute below it
   *   (`/edu/prod/riverside_isd`); omitted means the whole root.
   */
  public grantRead(grantee: iam.IGrantable, pathPrefix?: string): iam.Grant {
    const scoped = this.scopedPath(pathPrefix);
    const read = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
      resourceArns: [this.parameterArn(`${scoped}/*`)],
    });
    // GetParametersByPath authorises against the path itself, not its children.
    const byPath = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParametersByPath'],
      resourceArns: [this.parameterArn(scoped)],
    });
    const decrypt = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': this.ssmEndpoint() } },
    });
    return read.combine(byPath).combine(decrypt);
  }

  /**
   * Lets the operator write values below the root (the `secrets put` and
   * `secrets check` commands): `ssm:PutParameter` on the root's parameters,
   * `kms:Encrypt`/`kms:GenerateDataKey` on this key via Parameter Store, and
   * `ssm:DescribeParameters`, which AWS authorises only on `*` (it has no
   * resource type; see the Service Authorization Reference), so that
   * statement is a documented IAM-1 exception.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    const put = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:PutParameter', 'ssm:AddTagsToResource', 'ssm:ListTagsForResource'],
      resourceArns: [this.parameterArn(`${this.parameterRoot}/*`)],
    });
    const describe = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:DescribeParameters'],
      resourceArns: ['*'],
    });
    const encrypt = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': this.ssmEndpoint() } },
    });
    return put.combine(describe).combine(encrypt);
  }

  /**
   * The Parameter Store endpoint as KMS reports it in `kms:ViaService`. Written
   * with the literal `amazonaws.com` so the condition reads plainly in the
   * template; in a partition with another suffix the grant fails closed.
   */
  private ssmEndpoint(): string {
    return `ssm.${Stack.of(this).region}.amazonaws.com`;
  }

  /** ARN of a parameter path (`/edu/prod/x`); Parameter Store ARNs drop the path's leading slash. */
  private parameterArn(parameterPath: string): string {
    return Arn.format(
      { service: 'ssm', resource: 'parameter', resourceName: parameterPath.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
      Stack.of(this),
    );
  }

  private scopedPath(pathPrefix: string | undefined): string {
    if (pathPrefix === undefined || pathPrefix === '' || pathPrefix === '/') return this.parameterRoot;
    const relative = pathPrefix.startsWith('/')
      ? pathPrefix === this.parameterRoot || pathPrefix.startsWith(`${this.parameterRoot}/`)
        ? pathPrefix.slice(this.parameterRoot.length)
        : undefined
      : pathPrefix;
    const segments = relative === undefined ? [] : segmentsOf(relative);
    if (relative === undefined || !segments.every(isSafeSegment)) {
      throw new Error(
        `SecretParameters ${this.node.path}: grantRead path "${pathPrefix}" is outside ${this.parameterRoot} (SECRET-3, ENV-1); ` +
          `give a path below the root such as "riverside_isd" or "${this.parameterRoot}/riverside_isd", without wildcards or ..`,
      );
    }
    return segments.length === 0 ? this.parameterRoot : `${this.parameterRoot}/${segments.join('/')}`;
  }

  private validateRoot(root: string): string {
    const trimmed = root.replace(/\/+$/, '');
    const segments = segmentsOf(trimmed);
    if (!trimmed.startsWith('/') || segments.length === 0 || !segments.every(isSafeSegment) || `/${segments.join('/')}` !== trimmed) {
      throw new Error(`SecretParameters ${this.node.path}: parameterRoot "${root}" must be an absolute path such as /edu/prod`);
    }
    if (segments[0].toLowerCase().startsWith('aws') || segments[0].toLowerCase().startsWith('ssm')) {
      throw new Error(`SecretParameters ${this.node.path}: parameterRoot "${root}" may not start with aws or ssm (reserved by Parameter Store)`);
    }
    return trimmed;
  }

  private validateParameters(parameters: readonly SecretParameterDeclaration[]): SecretParameterDeclaration[] {
    const root = this.parameterRoot;
    const tenantCodes = new Set(parameters.flatMap((p) => (p.tenantCode ? [p.tenantCode] : [])));
    const seen = new Set<string>();
    return parameters.map((p, index) => {
      const where = `SecretParameters ${this.node.path}: parameter ${index} (${p.name})`;
      const relative = p.name.startsWith(`${root}/`) ? p.name.slice(root.length + 1) : undefined;
      const segments = relative === undefined ? [] : relative.split('/');
      if (relative === undefined || segments.length === 0 || !segments.every(isSafeSegment)) {
        throw new Error(`${where} is not below the parameter root ${root} (ENV-1); name it ${root}/<name>, e.g. ${root}/warehouse/password`);
      }
      if (segmentsOf(root).length + segments.length > MAX_PATH_DEPTH) {
        throw new Error(`${where} is deeper than the ${MAX_PATH_DEPTH} levels Parameter Store allows; shorten the path`);
      }
      if (seen.has(p.name)) {
        throw new Error(`${where} is declared twice; declare each parameter once`);
      }
      seen.add(p.name);
      if (!p.purpose.trim()) {
        throw new Error(`${where} has no purpose; say what the secret is for`);
      }
      if (!Number.isInteger(p.maxAgeDays) || p.maxAgeDays < 1) {
        throw new Error(`${where} has maxAgeDays ${p.maxAgeDays}; give a whole number of days of at least 1 (SECRET-4)`);
      }
      // A tenant's reader is granted <root>/<tenant>/*: anything else placed
      // there would leak to it, and a tenant secret elsewhere would escape it.
      if (p.tenantCode !== undefined && segments[0] !== p.tenantCode) {
        throw new Error(`${where} belongs to tenant ${p.tenantCode} but is not below ${root}/${p.tenantCode}/ (TENANT-1); move it there`);
      }
      if (p.tenantCode === undefined && tenantCodes.has(segments[0])) {
        throw new Error(`${where} lies below tenant ${segments[0]}'s path but has no tenantCode (TENANT-1); set tenantCode or move it out of ${root}/${segments[0]}/`);
      }
      return p.tenantCode === undefined
        ? { name: p.name, purpose: p.purpose, maxAgeDays: p.maxAgeDays }
        : { name: p.name, purpose: p.purpose, maxAgeDays: p.maxAgeDays, tenantCode: p.tenantCode };
    });
  }

  private contractDocument(): SecretsContractDocument {
    const stack = Stack.of(this);
    return {
      schemaVersion: 1,
      stackName: stack.stackName,
      parameterRoot: this.parameterRoot,
      keyAlias: this.keyAlias,
      // Tokens here resolve to the final logical IDs, overrides included.
      keyLogicalId: (this.key.node.defaultChild as kms.CfnKey).logicalId,
      keyArnOutput: this.keyArnOutput.logicalId,
      parameterRootOutput: this.rootOutput.logicalId,
      parameters: this.parameters,
    };
  }
}
