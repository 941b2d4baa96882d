import { EduRule } from '../../rule';
import { noSecretValuesRule } from './no-secret-values';
import { scopedParameterReadRule } from './scoped-parameter-read';
import { secretsAreSecureStringRule } from './secrets-are-secure-string';

export const secretRules: readonly EduRule[] = [secretsAreSecureStringRule, noSecretValuesRule, scopedParameterReadRule];
