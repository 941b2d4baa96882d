import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { physicalNames } from '../../lib/config';
import { NAME_PROPERTIES, nameProblems } from '../../lib/config/name-limits';
import { buildStages, exampleConfig } from '../support/example-app';

/**
 * DEPLOY-4: validateConfig checks the names physicalNames derives; this test
 * keeps that list honest by comparing it with the names the stacks actually
 * set in the example's templates (a name set elsewhere would escape the check).
 */
describe('the derived names are the names the stacks set', () => {
  const config = exampleConfig();
  const stages = buildStages(config);

  test.each(config.environments.map((e) => e.name))('environment %s', (envName) => {
    const env = config.environments.find((e) => e.name === envName)!;
    const derived = new Set(physicalNames(config, env).map((p) => `${p.kind} ${p.name}`));
    const stacks = stages[envName].node.children.filter((c): c is Stack => c instanceof Stack);
    const seen: string[] = [];
    for (const stack of stacks) {
      expect(derived).toContain(`stack ${stack.stackName}`);
      const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
      for (const resource of Object.values(template.Resources)) {
        const spec = NAME_PROPERTIES[resource.Type];
        const value = spec ? resource.Properties?.[spec.property] : undefined;
        if (typeof value !== 'string') continue;
        // Prefix lists have a fixed capacity and are never split, so their names are as physicalNames lists them.
        const name = value;
        seen.push(name);
        expect(derived).toContain(`${spec.kind} ${name}`);
        expect(nameProblems(spec.kind, value)).toEqual([]);
      }
    }
    expect(seen.length).toBeGreaterThan(15);
  });
});
