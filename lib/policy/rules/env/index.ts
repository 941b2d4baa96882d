import { EduRule } from '../../rule';
import { foreignAccountReferenceDefaultRule } from './foreign-account-reference';

export const envRules: readonly EduRule[] = [foreignAccountReferenceDefaultRule];
