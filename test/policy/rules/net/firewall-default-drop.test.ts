import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import { firewallDefaultDropRule as rule } from '../../../../lib/policy/rules/net/firewall-default-drop';
import { TemplateResource } from '../../../../lib/policy/rule';
import { vpcWithFirewall } from '../../../support/egress-firewall';
import { templateOf, testStack, unresolvedWarnings, violations } from '../../../support/policy';

const policy = (FirewallPolicy: unknown): TemplateResource => ({ Type: 'AWS::NetworkFirewall::FirewallPolicy', Properties: { FirewallPolicyName: 'p', FirewallPolicy } });
const strict = { RuleOrder: 'STRICT_ORDER' };

describe('NET4-FirewallDefaultDrop', () => {
  it('L2: the EgressFirewall construct passes; an L1 policy in the default action order fails', () => {
    const stack = testStack();
    vpcWithFirewall(stack, true, 1);
    new networkfirewall.CfnFirewallPolicy(stack, 'Loose', {
      firewallPolicyName: 'loose',
      firewallPolicy: { statelessDefaultActions: ['aws:forward_to_sfe'], statelessFragmentDefaultActions: ['aws:forward_to_sfe'] },
    });
    expect(violations(stack, rule)).toEqual([expect.stringMatching(/^Loose: StatefulEngineOptions\.RuleOrder=DEFAULT_ACTION_ORDER\(unmatched-flows-pass\)$/)]);
  });

  it('fails stateless pass, absent stateless actions, strict order without a drop default, and a Fn::If branch that passes', () => {
    const template = templateOf({
      Pass: policy({ StatelessDefaultActions: ['aws:pass'], StatelessFragmentDefaultActions: ['aws:forward_to_sfe'], StatefulEngineOptions: strict, StatefulDefaultActions: ['aws:drop_established'] }),
      NoFragments: policy({ StatelessDefaultActions: ['aws:forward_to_sfe'], StatefulEngineOptions: strict, StatefulDefaultActions: ['aws:drop_strict'] }),
      AlertOnly: policy({ StatelessDefaultActions: ['aws:forward_to_sfe'], StatelessFragmentDefaultActions: ['aws:drop'], StatefulEngineOptions: strict, StatefulDefaultActions: ['aws:alert_established'] }),
      NoStatefulDefault: policy({ StatelessDefaultActions: ['aws:forward_to_sfe'], StatelessFragmentDefaultActions: ['aws:drop'], StatefulEngineOptions: strict }),
      IfPass: policy({
        StatelessDefaultActions: { 'Fn::If': ['Prod', ['aws:forward_to_sfe'], ['aws:pass']] },
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        StatefulEngineOptions: strict,
        StatefulDefaultActions: ['aws:drop_established'],
      }),
      Good: policy({ StatelessDefaultActions: ['aws:forward_to_sfe'], StatelessFragmentDefaultActions: ['aws:forward_to_sfe'], StatefulEngineOptions: strict, StatefulDefaultActions: ['aws:drop_established', 'aws:alert_established'] }),
    });
    expect(violations(template, rule)).toEqual([
      'Pass: StatelessDefaultActions=aws:pass',
      'NoFragments: StatelessFragmentDefaultActions=absent',
      'AlertOnly: StatefulDefaultActions=aws:alert_established',
      'NoStatefulDefault: StatefulDefaultActions=absent',
      'IfPass: StatelessDefaultActions=aws:pass',
    ]);
  });

  it('a parameter in the rule order is reported unresolved, not passed', () => {
    const template = templateOf(
      { P: policy({ StatelessDefaultActions: ['aws:forward_to_sfe'], StatelessFragmentDefaultActions: ['aws:forward_to_sfe'], StatefulEngineOptions: { RuleOrder: { Ref: 'Order' } } }) },
      { Parameters: { Order: { Type: 'String' } } },
    );
    expect(unresolvedWarnings(template, rule)).toEqual(['P: StatefulEngineOptions.RuleOrder=unresolved']);
  });
});
