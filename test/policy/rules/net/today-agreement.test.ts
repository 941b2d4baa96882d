import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { entryDescription, TODAY_CONTEXT_KEY } from '../../../../constructs/conventions';
import { parseConfig } from '../../../../lib/config';
import { attachPolicyGate } from '../../../../lib/policy/gate';
import { allowListEntriesRule } from '../../../../lib/policy/rules/net/allow-list-entries';
import { findingsOfAssembly } from '../../../support/findings';
import { testApp } from '../../../support/policy';

/**
 * A synth "as of" a date (`-c today=YYYY-MM-DD`) is judged as of that date by
 * the config check and by NET2-AllowListEntries alike: the example's
 * contractor entry expires 2027-06-30, so both accept it on that day and both
 * refuse it the day after, whatever the wall clock says.
 */
const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'config', 'example.yaml');
const EXPIRES = '2027-06-30';

function configAccepts(today: string): boolean {
  try {
    parseConfig(readFileSync(EXAMPLE, 'utf8'), EXAMPLE, { today });
    return true;
  } catch (err) {
    expect((err as Error).message).toMatch(/NET-2/);
    return false;
  }
}

function ruleAccepts(today: string): boolean {
  const outdir = testApp().outdir;
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { [TODAY_CONTEXT_KEY]: today } });
  const stack = new Stack(app, 'Network', { env: { account: '123456789012', region: 'us-east-1' } });
  new ec2.CfnPrefixList(stack, 'Contractor', {
    prefixListName: 'riverside-dev-contractor-ipv4',
    addressFamily: 'IPv4',
    maxEntries: 20,
    entries: [{ cidr: '203.0.113.200/30', description: entryDescription({ owner: 'Data migration contractor', purpose: 'Ed-Fi data migration', expires: EXPIRES }) }],
  });
  attachPolicyGate(app, { ruleSets: ['EduSecurityChecks'], eduRules: [allowListEntriesRule] });
  try {
    app.synth();
  } catch {
    // The gate fails synthesis on an error finding; the findings are in the report either way.
  }
  return findingsOfAssembly(outdir).every((f) => f.severity !== 'error');
}

describe.each([
  { today: EXPIRES, accepted: true },
  { today: '2027-07-01', accepted: false },
])('as of $today', ({ today, accepted }) => {
  test('the config check and the NET-2 rule agree', () => {
    expect(configAccepts(today)).toBe(accepted);
    expect(ruleAccepts(today)).toBe(accepted);
  });
});
