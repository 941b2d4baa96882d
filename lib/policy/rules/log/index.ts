import { EduRule } from '../../rule';
import { dashboardShowsNoLogLines } from './dashboard-shows-no-log-lines';
import { lambdaManagedLogGroup } from './lambda-managed-log-group';
import { logGroupCmkRetention } from './log-group-cmk-retention';
import { logGroupDataProtection } from './log-group-data-protection';
import { topicEncryptedTlsOnly } from './topic-encrypted-tls-only';
import { vpcFlowLogs } from './vpc-flow-logs';

export const logRules: readonly EduRule[] = [logGroupCmkRetention, lambdaManagedLogGroup, logGroupDataProtection, topicEncryptedTlsOnly, vpcFlowLogs, dashboardShowsNoLogLines];
