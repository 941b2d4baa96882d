import { EduRule } from '../../rule';
import { bucketKmsEncryption } from './bucket-kms-encryption';
import { bucketNoPublicAccess } from './bucket-no-public-access';
import { bucketPolicyNamedPrincipals } from './bucket-policy-named-principals';
import { bucketRetainsData } from './bucket-retains-data';
import { bucketTlsOnly } from './bucket-tls-only';
import { lakeGrantsUseTenantPrefixes } from './lake-grants-use-tenant-prefixes';
import { lakeNamedPrincipals } from './lake-named-principals';

export const dataRules: readonly EduRule[] = [
  bucketKmsEncryption,
  bucketTlsOnly,
  bucketNoPublicAccess,
  bucketPolicyNamedPrincipals,
  lakeGrantsUseTenantPrefixes,
  lakeNamedPrincipals,
  bucketRetainsData,
];
