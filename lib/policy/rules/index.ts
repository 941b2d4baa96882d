import { EduRule } from '../rule';
import { auditRules } from './audit';
import { dataRules } from './data';
import { deployRules } from './deploy';
import { ec2Rules } from './ec2';
import { envRules } from './env';
import { iamRules } from './iam';
import { keepRules } from './keep';
import { kmsRules } from './kms';
import { logRules } from './log';
import { netRules } from './net';
import { secretRules } from './secret';
import { tempRules } from './temp';
import { tenantRules } from './tenant';

/** Every rule of the EduSecurityChecks pack, grouped by area. */
export const ALL_RULES: readonly EduRule[] = [
  ...dataRules,
  ...tempRules,
  ...secretRules,
  ...logRules,
  ...iamRules,
  ...netRules,
  ...ec2Rules,
  ...auditRules,
  ...kmsRules,
  ...keepRules,
  ...envRules,
  ...tenantRules,
  ...deployRules,
];
