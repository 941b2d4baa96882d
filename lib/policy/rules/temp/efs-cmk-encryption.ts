import { readBoolean } from '../../../cfn/booleans';
import { requireCustomerManagedKey } from '../../../cfn/kms-keys';
import { EduRule } from '../../rule';

/**
 * TEMP-1 on the file system: `Encrypted` true and `KmsKeyId` a
 * customer-managed key (absent means the AWS-managed
 * aws/elasticfilesystem key; `alias/aws/elasticfilesystem` is the same).
 */
export const efsCmkEncryptionRule: EduRule = {
  id: 'TEMP1-EfsCmkEncryption',
  control: 'TEMP-1',
  severity: 'error',
  resourceTypes: ['AWS::EFS::FileSystem'],
  info:
    'The file system is not encrypted with a customer-managed KMS key. Set encrypted: true and kmsKey: <your CustomerManagedKey> on efs.FileSystem ' +
    '(L1: Encrypted: true, KmsKeyId: <key ARN>); the default and alias/aws/elasticfilesystem are AWS-managed keys.',
  explanation:
    'Airflow stages student records on EFS while it works on them (edu Security Overview: "EFS drives are encrypted"). With a customer-managed key the ' +
    'district controls and audits who can decrypt those files, and can make leftover files unreadable by disabling the key.',
  check(resource, { template }) {
    const props = resource.Properties ?? {};
    const violations: string[] = [];
    const unresolved: string[] = [];
    const encrypted = readBoolean(props.Encrypted, template);
    if (encrypted === 'unresolved') unresolved.push('Encrypted=unresolved');
    else if (encrypted !== true) violations.push(`Encrypted=${encrypted === undefined ? 'absent' : 'false'}`);
    requireCustomerManagedKey('KmsKeyId', props.KmsKeyId, template, { violations, unresolved });
    return { violations, unresolved };
  },
};
