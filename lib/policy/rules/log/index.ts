import { EduRule } from '../../rule';
import { dashboardShowsNoLogLinesRule } from './dashboard-shows-no-log-lines';
import { lambdaManagedLogGroupRule } from './lambda-managed-log-group';
import { logGroupCmkRetentionRule } from './log-group-cmk-retention';
import { logGroupDataProtectionRule } from './log-group-data-protection';
import { topicEncryptedTlsOnlyRule } from './topic-encrypted-tls-only';
import { vpcFlowLogsRule } from './vpc-flow-logs';

export const logRules: readonly EduRule[] = [logGroupCmkRetentionRule, lambdaManagedLogGroupRule, logGroupDataProtectionRule, topicEncryptedTlsOnlyRule, vpcFlowLogsRule, dashboardShowsNoLogLinesRule];
