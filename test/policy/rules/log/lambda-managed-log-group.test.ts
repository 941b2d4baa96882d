import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { lambdaManagedLogGroupRule as rule } from '../../../../lib/policy/rules/log/lambda-managed-log-group';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const code = lambda.Code.fromInline('exports.handler = async () => undefined;');
const codeDirs: string[] = [];
afterAll(() => codeDirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const idOf = (stack: Stack, c: CfnResource): string => stack.resolve(c.logicalId) as string;

describe('LOG1-LambdaManagedLogGroup', () => {
  test('L2: a function with its own log group passes; one without fails', () => {
    const stack = testStack();
    new lambda.Function(stack, 'Good', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, logGroup: new logs.LogGroup(stack, 'GoodLogs') });
    const bad = new lambda.Function(stack, 'Bad', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    expect(violations(stack, rule)).toEqual([`${idOf(stack, bad.node.defaultChild as CfnResource)}: no-managed-log-group:/aws/lambda/<generated name>`]);
  });

  test('a CDK custom-resource provider handler fails until it is pointed at a managed group', () => {
    const build = (managed: boolean): { stack: Stack; handler: CfnResource } => {
      const stack = testStack();
      const codeDirectory = mkdtempSync(join(tmpdir(), 'provider-'));
      codeDirs.push(codeDirectory);
      writeFileSync(join(codeDirectory, 'index.js'), 'exports.handler = async () => undefined;');
      const serviceToken = CustomResourceProvider.getOrCreate(stack, 'Custom::Thing', { codeDirectory, runtime: CustomResourceProviderRuntime.NODEJS_22_X });
      new CustomResource(stack, 'Thing', { serviceToken, resourceType: 'Custom::Thing' });
      const handler = stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function')!;
      if (managed) handler.addPropertyOverride('LoggingConfig.LogGroup', new logs.LogGroup(stack, 'ProviderLogs', { logGroupName: '/edu/provider' }).logGroupName);
      return { stack, handler };
    };
    const unmanaged = build(false);
    expect(violations(unmanaged.stack, rule)).toEqual([`${idOf(unmanaged.stack, unmanaged.handler)}: no-managed-log-group:/aws/lambda/<generated name>`]);
    expect(violations(build(true).stack, rule)).toEqual([]);
  });

  test('hand-written: literal names, Fn::Join and Fn::Sub with a Ref of the function; a group elsewhere is unresolved', () => {
    const fn = (props: Record<string, unknown> = {}): { Type: string; Properties: Record<string, unknown> } => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'python3.12', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' }, ...props },
    });
    const group = (name: unknown): { Type: string; Properties: Record<string, unknown> } => ({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: name } });
    const template = templateOf({
      Named: fn({ FunctionName: 'loader' }),
      NamedLogs: group('/aws/lambda/loader'),
      Joined: fn(),
      JoinedLogs: group({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Joined' }]] }),
      Subbed: fn(),
      SubbedLogs: group({ 'Fn::Sub': '/aws/lambda/${Subbed}' }),
      Configured: fn({ LoggingConfig: { LogGroup: '/edu/shared' } }),
      SharedLogs: group('/edu/shared'),
      ByRef: fn({ LoggingConfig: { LogGroup: { Ref: 'SharedLogs' } } }),
      Orphan: fn({ FunctionName: 'orphan' }),
      WrongName: fn({ FunctionName: 'other' }),
      Elsewhere: fn({ LoggingConfig: { LogGroup: '/edu/other-stack' } }),
    });
    expect(violations(template, rule).sort()).toEqual(['Orphan: no-managed-log-group:/aws/lambda/orphan', 'WrongName: no-managed-log-group:/aws/lambda/other']);
    expect(unresolvedWarnings(template, rule)).toEqual(['Elsewhere: LoggingConfig.LogGroup=/edu/other-stack-not-in-template']);
  });
});
