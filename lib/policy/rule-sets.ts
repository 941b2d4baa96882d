/**
 * The gate's rule sets by plugin name, and how each one's rule IDs begin: the
 * grammar of an exception's `rule` (`<RuleSet>::<RuleId>[<finding>]`, as the
 * gate prints it after ERROR). A leaf module, so the config validator can
 * check an exception's rule without loading cdk-nag or the rules.
 */
export const RULE_SET_RULE_PREFIXES = {
  EduSecurityChecks: 'EduSecurity-',
  AwsSolutions: 'AwsSolutions-',
  'NIST.800.53.R5': 'NIST.800.53.R5-',
  ControlTower: 'CT.',
} as const;

/** The four rule sets of the gate, by the plugin name that namespaces their acknowledgments. */
export type RuleSetName = keyof typeof RULE_SET_RULE_PREFIXES;

export const ALL_RULE_SETS = Object.keys(RULE_SET_RULE_PREFIXES) as readonly RuleSetName[];

/**
 * Plugins outside the gate whose findings the gate still reports, and the
 * shape of their rule IDs: aws-cdk-lib's built-in CloudFormation validation
 * (cfn-lint-style IDs such as W9010; with `@aws-cdk/core:validateAgainstDefaultRules`
 * its errors fail the synth). An exception record may accept one of their
 * findings like a gate rule's, under the same `<Plugin>::<RuleId>` name.
 */
export const OTHER_ACKNOWLEDGEABLE_PLUGINS: Readonly<Record<string, RegExp>> = {
  // Plugin "CloudFormation Validate"; aws-cdk-lib writes its acknowledgment namespace with a hyphen.
  'CloudFormation-Validate': /^[EWIF]\d{4}$/,
};

/**
 * Why `rule` is not an ID the gate can print, or undefined when it is one:
 * a known rule set (or a plugin of OTHER_ACKNOWLEDGEABLE_PLUGINS), `::`, a
 * rule ID of that set, and an optional `[finding]`.
 */
export function ruleIdProblem(rule: string): string | undefined {
  const sep = rule.indexOf('::');
  const example = 'e.g. AwsSolutions::AwsSolutions-S1 or EduSecurityChecks::EduSecurity-DATA1-BucketKmsEncryption[SSEAlgorithm=AES256]';
  if (sep <= 0) return `must be the ID the gate prints after ERROR, '<RuleSet>::<RuleId>' with a rule set of ${ALL_RULE_SETS.join(', ')} (${example})`;
  const namespace = rule.slice(0, sep);
  const other = OTHER_ACKNOWLEDGEABLE_PLUGINS[namespace];
  if (other) return other.test(rule.slice(sep + 2)) ? undefined : `'${rule.slice(sep + 2)}' is not a rule ID of ${namespace} (e.g. ${namespace}::W9010)`;
  if (!(namespace in RULE_SET_RULE_PREFIXES)) return `names the unknown rule set '${namespace}'; use one of ${[...ALL_RULE_SETS, ...Object.keys(OTHER_ACKNOWLEDGEABLE_PLUGINS)].join(', ')} (${example})`;
  const id = rule.slice(sep + 2);
  const prefix = RULE_SET_RULE_PREFIXES[namespace as RuleSetName];
  if (!/^[A-Za-z][\w.-]*(\[.+\])?$/s.test(id) || !id.startsWith(prefix)) {
    return `'${id}' is not a rule ID of ${namespace}: its IDs start with '${prefix}', optionally followed by the finding in brackets (${example})`;
  }
  return undefined;
}
