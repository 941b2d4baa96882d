import { Template } from 'aws-cdk-lib/assertions';
import { flattenString } from '../../lib/cfn/values';
import { locationToObjectArn, storageAllowedLocations, warehouseRoleArn } from '../../lib/warehouse/plan';
import { buildStages, exampleConfig } from '../support/example-app';

/**
 * The Snowflake storage integration and the IAM role it assumes are written
 * from the same config by two different programs; this pins them together on
 * the synthesized template, not on a re-derivation.
 */
describe('warehouse script agrees with the synthesized warehouse integration role', () => {
  const config = exampleConfig();
  const stages = buildStages(config);

  test.each(config.environments.map((e) => [e.name, e] as const))('%s', (name, environment) => {
    const template = Template.fromStack(stages[name].access).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [roleId, role] = Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === warehouseRoleArn(config, environment).split('/').pop(),
    ) ?? ['', undefined];
    expect(role).toBeDefined();

    const objectArns = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
      .filter((s) => [s.Action].flat().includes('s3:GetObject'))
      .flatMap((s) => [s.Resource].flat())
      .map((resource) => flattenString(resource).text.replace('${AWS::Partition}', 'aws'))
      .sort();

    expect(objectArns).toEqual(storageAllowedLocations(config, environment).map((l) => locationToObjectArn(l)).sort());
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(environment.warehouse.externalId);
  });
});
