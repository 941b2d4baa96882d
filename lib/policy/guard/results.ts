import { PolicyViolatingResource, PolicyViolation } from 'aws-cdk-lib';

/**
 * Reads the output of `cfn-guard validate --output-format json --structured`
 * into CDK policy violations: one violation per rule and message, listing
 * every resource the failing checks traversed to.
 *
 * cfn-guard's structured output mirrors the rule's syntax tree (`Rule`,
 * `Clause`, `Binary`, `Unary`, `InResolved`, `UnResolved`, ... nested as the
 * rule was written), so no fixed schema is assumed: rules are found by their
 * `Rule` key wherever they sit, and a failing check's resource is the first
 * `/Resources/<logicalId>` path anywhere inside it. The bundled validator's
 * own reader expects a few fixed shapes and throws on others (for example a
 * check on a property that refers to a template parameter), which would lose
 * every Control Tower finding of the run.
 */
export function violationsFromGuardOutput(output: unknown): PolicyViolation[] {
  const results = Array.isArray(output) ? output : [];
  return results.flatMap((result) => {
    if (!isObject(result) || typeof result.name !== 'string') return [];
    const templatePath = result.name;
    return entries(result.not_compliant).flatMap((item) => {
      const rule = isObject(item) && isObject(item.Rule) ? item.Rule : undefined;
      return rule ? ruleViolations(rule, templatePath) : [];
    });
  });
}

function ruleViolations(rule: Record<string, unknown>, templatePath: string): PolicyViolation[] {
  const ruleName = typeof rule.name === 'string' ? rule.name : 'unnamed-guard-rule';
  const leaves: unknown[] = [];
  collectLeafChecks(rule, leaves);
  const resources = new Map<string, string[]>();
  for (const leaf of leaves) {
    const paths: string[] = [];
    collectPaths(leaf, paths);
    const errorMessage = firstMessage(leaf, errorMessageOf);
    if (errorMessage) paths.push(...[...errorMessage.matchAll(/\/Resources\/[^\s[\]]+/g)].map((m) => m[0]));
    const resourcePath = paths.find((p) => logicalIdOf(p) !== undefined);
    const logicalId = resourcePath ? (logicalIdOf(resourcePath) as string) : '';
    const locations = resources.get(logicalId) ?? [];
    if (resourcePath && !locations.includes(resourcePath)) locations.push(resourcePath);
    resources.set(logicalId, locations);
  }
  // A check that names no resource (a missing statement, say) belongs to the
  // resources its sibling checks name; alone, it concerns the whole template.
  if (resources.size > 1) resources.delete('');
  if (resources.size === 0) resources.set('', []);
  const { description, fix } = describe(ruleMessage(rule), firstMessage(rule, errorMessageOf));
  return [
    {
      ruleName,
      description,
      fix,
      violatingResources: [...resources.entries()].map(
        ([resourceLogicalId, locations]): PolicyViolatingResource => ({ resourceLogicalId, templatePath, locations }),
      ),
    },
  ];
}

/**
 * The rule's message: the first custom message written as "[ID]: ..." (the
 * Control Tower rules put "[CT.X.PR.n]: description" and "[FIX]: ..." on an
 * inner rule; helper rules deeper down carry notes such as "Local Stack
 * reference was invalid"), else the first custom message at all.
 */
function ruleMessage(rule: Record<string, unknown>): string | undefined {
  const all: string[] = [];
  collectCustomMessages(rule, all);
  return all.find((m) => /^\s*\[[^\]]+\]:/m.test(m)) ?? all[0];
}

function collectCustomMessages(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collectCustomMessages(n, out));
    return;
  }
  if (!isObject(node)) return;
  const own = customMessageOf(node.messages);
  if (own) out.push(own);
  Object.entries(node).forEach(([k, v]) => k !== 'messages' && collectCustomMessages(v, out));
}

/** The failing checks under a rule: every node that holds no further rule. */
function collectLeafChecks(rule: Record<string, unknown>, out: unknown[]): void {
  const checks = entries(rule.checks);
  if (checks.length === 0) out.push(rule);
  for (const check of checks) visitCheck(check, out);
}

function visitCheck(node: unknown, out: unknown[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => visitCheck(n, out));
  } else if (isObject(node) && isObject(node.Rule)) {
    collectLeafChecks(node.Rule, out);
  } else if (containsRule(node)) {
    // A disjunction or block wrapping rules: descend to them.
    Object.values(node as Record<string, unknown>).forEach((v) => visitCheck(v, out));
  } else if (isObject(node)) {
    out.push(node);
  }
}

function containsRule(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(containsRule);
  if (!isObject(node)) return false;
  return isObject(node.Rule) || Object.values(node).some(containsRule);
}

/** Every `path` string under a check, in document order. */
function collectPaths(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collectPaths(n, out));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'path' && typeof value === 'string') out.push(value);
    else collectPaths(value, out);
  }
}

function firstMessage(node: unknown, pick: (messages: unknown) => string | undefined): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = firstMessage(n, pick);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  const own = pick(node.messages);
  if (own) return own;
  for (const value of Object.values(node)) {
    const found = firstMessage(value, pick);
    if (found) return found;
  }
  return undefined;
}

function customMessageOf(messages: unknown): string | undefined {
  return isObject(messages) && typeof messages.custom_message === 'string' && messages.custom_message.trim() !== '' ? messages.custom_message : undefined;
}

function errorMessageOf(messages: unknown): string | undefined {
  return isObject(messages) && typeof messages.error_message === 'string' && messages.error_message.trim() !== '' ? messages.error_message : undefined;
}

/**
 * Description and fix of a failing rule. A custom message written as
 * "[ID]: description" and "[FIX]: what to do" lines (the Control Tower
 * convention) is split into the two; otherwise it is both, and a check
 * without one is described by cfn-guard's own error message.
 */
function describe(customMessage: string | undefined, errorMessage: string | undefined): { description: string; fix: string } {
  if (!customMessage) {
    return { description: (errorMessage ?? 'cfn-guard check failed').trim(), fix: 'N/A' };
  }
  const lines = customMessage.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const fixLine = lines.find((l) => l.startsWith('[FIX]'));
  const descriptionLines = lines.filter((l) => !l.startsWith('[FIX]'));
  const description = descriptionLines[0] ?? customMessage.trim();
  return { description, fix: fixLine ? fixLine.replace(/^\[FIX\]:\s*/, '') : customMessage.trim() };
}

/** `/Resources/Bucket/Properties/...` → `Bucket`. */
function logicalIdOf(path: string): string | undefined {
  const match = /^\/Resources\/([^/]+)/.exec(path);
  return match ? match[1] : undefined;
}

/** cfn-guard writes an empty list as `{}` in places. */
function entries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return isObject(value) ? Object.values(value) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
