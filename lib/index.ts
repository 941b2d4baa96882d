/**
 * The public API of the edu-security-baseline package (`exports["."]` in
 * package.json): the secure-by-default constructs, the policy pack and gate,
 * the app builder and the config loader. Everything else under lib/ is
 * internal and may change without notice.
 */
export * from '../constructs/alert-topic';
export * from '../constructs/allow-list';
export * from '../constructs/conventions';
export * from '../constructs/customer-managed-key';
export * from '../constructs/data-lake';
export * from '../constructs/private-subnets';
export * from '../constructs/sanitized-log-group';
export * from '../constructs/secret-parameters';
export * from '../constructs/secure-bucket';
export * from '../constructs/ssh-only-instance';
export * from '../constructs/temp-file-system';

export { EduSecurityChecks } from './policy/edu-checks';
export { CONTROL_IDS, EDU_PACK_NAME, EDU_PLUGIN_NAME, RULE_SET_NAMES, isBlocking } from './policy/vocabulary';
export type { ControlId, Finding, Severity } from './policy/vocabulary';
export type { EduSecurityChecksProps } from './policy/edu-checks';
export { attachPolicyGate, gateEnabled, GatedRuleSet, ALL_RULE_SETS, GATE_CONTEXT_KEY, GATE_CACHE_CONTEXT_KEY } from './policy/gate';
export type { PolicyGateOptions, RuleSetName } from './policy/gate';
export { CONTROLS, SOURCES, controlById, citationText } from './policy/controls';
export type { Control, ControlArea, Citation } from './policy/controls';
export { applyExceptions, ExceptionRecordError } from './policy/exceptions';
export type { ExceptionRecord, AppliedException } from './policy/exceptions';
export { baselineExceptions, identityExceptions } from './stacks/exceptions';

export { buildBaselineApp } from './app';
export type { BuildOptions, BaselineApp } from './app';
export { BaselineStage } from './stacks/stage';
export type { BaselineStageProps } from './stacks/stage';

export {
  loadConfig,
  parseConfig,
  validateConfig,
  configSchema,
  ConfigError,
  DEFAULT_CONFIG_PATH,
  MAX_CONFIG_BYTES,
  AWS_REGIONS,
} from './config';
export type { BaselineConfig, EnvironmentConfig, ConfigIssue, ConfigLocation, ValidateOptions } from './config';
export { warehouseConfigIssues } from './warehouse/plan';
