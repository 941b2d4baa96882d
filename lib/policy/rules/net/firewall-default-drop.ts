import { asArray, isRecord, knownString } from '../../cfn/values';
import { branchesOf } from '../../cfn/branches';
import { CfnTemplate } from '../../rule';
import { EduRule, RuleOutcome } from '../../rule';

/** Stateless default actions that keep a packet from leaving unfiltered. */
const STATELESS_SAFE = new Set(['aws:forward_to_sfe', 'aws:drop']);
/** Stateful default actions that drop what no rule passed ("Stateful default actions", AWS Network Firewall Developer Guide). */
const STATEFUL_DROP = new Set(['aws:drop_strict', 'aws:drop_established']);

/**
 * Each list an action property can take (Fn::If around the list is expanded
 * into its branches), as strings, or undefined for a list the rule cannot read.
 */
function actionLists(value: unknown, template: CfnTemplate): Array<string[] | undefined> {
  if (value === undefined) return [[]];
  return branchesOf(value).map((list) => {
    const actions = asArray(list).flatMap(branchesOf).map((a) => knownString(a, template));
    return actions.every((a): a is string => a !== undefined) ? actions : undefined;
  });
}

/**
 * NET-4 on an egress firewall: a Network Firewall policy that passes what no
 * rule matched is an allow-list in name only.
 * - Stateless default actions (full packets and fragments) must forward to
 *   the stateful engine or drop; `aws:pass` (or an absent list) lets packets
 *   leave without the domain rules seeing them.
 * - The stateful engine must run in STRICT_ORDER with `aws:drop_established`
 *   or `aws:drop_strict` among its default actions. In the default action
 *   order there are no stateful default actions, and a flow no rule matches
 *   (TLS without SNI, another protocol on port 443) passes.
 * Values the rule cannot read (a parameter, an unresolved intrinsic) are
 * reported as unresolved.
 */
export const firewallDefaultDropRule: EduRule = {
  id: 'NET4-FirewallDefaultDrop',
  control: 'NET-4',
  severity: 'error',
  resourceTypes: ['AWS::NetworkFirewall::FirewallPolicy'],
  info:
    'The Network Firewall policy passes traffic that no rule matched. Set StatelessDefaultActions and StatelessFragmentDefaultActions to ' +
    '["aws:forward_to_sfe"], StatefulEngineOptions.RuleOrder to STRICT_ORDER and StatefulDefaultActions to ["aws:drop_established", ' +
    '"aws:alert_established"] (the EgressFirewall construct does).',
  explanation:
    'An egress firewall exists to stop a compromised host from sending student records to an address nobody approved; a policy whose ' +
    'default is "pass" lets exactly that traffic through while the template looks filtered.',
  check(resource, { template }): RuleOutcome {
    const violations: string[] = [];
    const unresolved: string[] = [];
    const policy = resource.Properties?.FirewallPolicy;
    if (!isRecord(policy)) return { violations: [], unresolved: ['FirewallPolicy=unreadable'] };
    // Every branch must be safe: the condition that picks a passing branch is the deploy that leaks.
    const judge = (key: string, safe: ReadonlySet<string>): void => {
      for (const actions of actionLists(policy[key], template)) {
        if (actions === undefined) unresolved.push(`${key}=unresolved`);
        else if (!actions.some((a) => safe.has(a))) violations.push(`${key}=${actions.length === 0 ? 'absent' : actions.join('+')}`);
      }
    };
    judge('StatelessDefaultActions', STATELESS_SAFE);
    judge('StatelessFragmentDefaultActions', STATELESS_SAFE);
    const engine = isRecord(policy.StatefulEngineOptions) ? policy.StatefulEngineOptions : {};
    const order = engine.RuleOrder === undefined ? 'DEFAULT_ACTION_ORDER' : knownString(engine.RuleOrder, template);
    if (order === undefined) unresolved.push('StatefulEngineOptions.RuleOrder=unresolved');
    else if (order !== 'STRICT_ORDER') violations.push(`StatefulEngineOptions.RuleOrder=${order}(unmatched-flows-pass)`);
    else judge('StatefulDefaultActions', STATEFUL_DROP);
    return { violations: [...new Set(violations)], unresolved: [...new Set(unresolved)] };
  },
};
