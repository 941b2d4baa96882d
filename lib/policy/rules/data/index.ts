import { EduRule } from '../../rule';
import { bucketKmsEncryptionRule } from './bucket-kms-encryption';
import { bucketNoPublicAccessRule } from './bucket-no-public-access';
import { bucketPolicyNamedPrincipalsRule } from './bucket-policy-named-principals';
import { bucketRetainsDataRule } from './bucket-retains-data';
import { bucketTlsOnlyRule } from './bucket-tls-only';
import { lakeGrantsUseTenantPrefixesRule } from './lake-grants-use-tenant-prefixes';
import { lakeNamedPrincipalsRule } from './lake-named-principals';

export const dataRules: readonly EduRule[] = [
  bucketKmsEncryptionRule,
  bucketTlsOnlyRule,
  bucketNoPublicAccessRule,
  bucketPolicyNamedPrincipalsRule,
  lakeGrantsUseTenantPrefixesRule,
  lakeNamedPrincipalsRule,
  bucketRetainsDataRule,
];
