import * as sns from 'aws-cdk-lib/aws-sns';
import { stackResourceLimitRule as rule } from '../../../../lib/policy/rules/deploy/stack-resource-limit';
import { CfnTemplate } from '../../../../lib/policy/rule';
import { findings, templateOf, testStack, violations } from '../../../support/policy';

function many(count: number): CfnTemplate {
  return templateOf(Object.fromEntries(Array.from({ length: count }, (_, i) => [`Topic${i}`, { Type: 'AWS::SNS::Topic', Properties: {} }])));
}

describe('DEPLOY4-StackResourceLimit', () => {
  test('500 resources pass; 501 fail once, on the first resource, whatever the types', () => {
    expect(violations(many(500), rule)).toEqual([]);
    expect(violations(many(501), rule)).toEqual(['Topic0: template-declares-501-resources-over-500']);
    const mixed = many(501) as { Resources: Record<string, unknown> };
    mixed.Resources.Topic0 = { Type: 'Custom::Anything', Properties: {} };
    expect(findings(mixed as CfnTemplate, rule)).toHaveLength(1);
  });

  test('a CDK stack whose synth-time limit check is switched off fails; a small one passes', () => {
    const big = testStack();
    // CDK refuses over 500 at synth unless this context turns its check off; the rule does not depend on it.
    big.node.setContext('@aws-cdk/core:stackResourceLimit', 0);
    for (let i = 0; i < 501; i++) new sns.CfnTopic(big, `T${i}`);
    expect(violations(big, rule)).toHaveLength(1);
    const small = testStack('Small');
    new sns.Topic(small, 'One');
    expect(violations(small, rule)).toEqual([]);
  });
});
