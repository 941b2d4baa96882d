/**
 * The sshd hardening that EC2-1 requires, as data and as the user-data script
 * that applies it, for the instance construct and its tests. The policy rule
 * (EC21-SshdHardening, lib/cfn/sshd-user-data.ts) does not read these
 * constants: it judges whatever user data a template holds, so the tests
 * (test/policy/rules/ec2/ssh-only-instance-baseline.test.ts) hold the rule
 * and what the construct writes to each other.
 */

/** One sshd_config directive: keyword as written in the file, and its value. */
export interface SshdDirective {
  /** Keyword as written in sshd_config, e.g. `PasswordAuthentication`. */
  readonly keyword: string;
  /** Required value, e.g. `no`. */
  readonly value: string;
}

/**
 * Directives every SSH-reachable host carries (EC2-1): keys only, no passwords,
 * no keyboard-interactive prompts, no root.
 */
export const SSHD_REQUIRED_DIRECTIVES: readonly SshdDirective[] = [
  { keyword: 'PasswordAuthentication', value: 'no' },
  { keyword: 'KbdInteractiveAuthentication', value: 'no' },
  // Deprecated alias of KbdInteractiveAuthentication since OpenSSH 8.7; kept
  // so that an older sshd (or an auditor grepping for it) sees it too.
  { keyword: 'ChallengeResponseAuthentication', value: 'no' },
  { keyword: 'PermitRootLogin', value: 'no' },
  { keyword: 'PermitEmptyPasswords', value: 'no' },
  { keyword: 'AuthenticationMethods', value: 'publickey' },
];

/** The directives as the lines written to the drop-in file. */
export const SSHD_REQUIRED_DIRECTIVE_LINES: readonly string[] = SSHD_REQUIRED_DIRECTIVES.map((d) => `${d.keyword} ${d.value}`);

/**
 * Drop-in file the script writes. sshd keeps the FIRST value it reads for a
 * keyword, and Amazon Linux 2023's sshd_config includes sshd_config.d/*.conf
 * in lexical order before its own settings, so `00-` wins over the distro's
 * `50-redhat.conf` and cloud-init's `50-cloud-init.conf` (which may turn
 * password authentication back on).
 */
export const SSHD_DROP_IN_PATH = '/etc/ssh/sshd_config.d/00-edu-baseline.conf';

/**
 * Lines of `sshd -T` (effective configuration, keywords lowercased) the script
 * insists on after writing the drop-in. This catches a later include or Match
 * block that overrides the drop-in, which `sshd -t` alone would not.
 */
export const SSHD_EFFECTIVE_CHECKS: readonly string[] = [
  'passwordauthentication no',
  'kbdinteractiveauthentication no',
  'permitrootlogin no',
  'permitemptypasswords no',
  'authenticationmethods publickey',
];

/** Exit code of the script when the hardening cannot be applied; cloud-init reports the failure. */
export const SSHD_HARDENING_FAILURE_EXIT_CODE = 1;

/**
 * Bash commands (for `UserData.addCommands`, which supplies the `#!/bin/bash`
 * line) that write the drop-in, validate it, verify the effective config and
 * restart sshd. Any failure exits non-zero before sshd is restarted, so a bad
 * config never replaces a running good one and cloud-init marks the boot failed.
 */
export function sshdHardeningCommands(): string[] {
  const fail = SSHD_HARDENING_FAILURE_EXIT_CODE;
  return [
    'set -euo pipefail',
    '# EC2-1: SSH with keys only; no passwords, keyboard-interactive prompts or root login.',
    'install -d -m 0755 /etc/ssh/sshd_config.d',
    `cat > ${SSHD_DROP_IN_PATH} <<'EDU_BASELINE_SSHD'`,
    '# Managed by edu-security-baseline (EC2-1). Do not edit: changes are replaced on rebuild.',
    ...SSHD_REQUIRED_DIRECTIVE_LINES,
    'EDU_BASELINE_SSHD',
    `chmod 0600 ${SSHD_DROP_IN_PATH}`,
    `if ! /usr/sbin/sshd -t; then echo "edu-baseline: sshd -t rejected the configuration" >&2; exit ${fail}; fi`,
    `edu_sshd_effective="$(/usr/sbin/sshd -T)" || { echo "edu-baseline: sshd -T failed" >&2; exit ${fail}; }`,
    ...SSHD_EFFECTIVE_CHECKS.map(
      (line) =>
        `if ! grep -qx '${line}' <<<"$edu_sshd_effective"; then echo "edu-baseline: effective sshd config lacks '${line}'" >&2; exit ${fail}; fi`,
    ),
    'systemctl restart sshd',
  ];
}

/**
 * The required directives missing from a user-data text (already decoded and
 * joined), for rules that check instances and launch templates. A directive
 * counts only on its own uncommented line; keywords match case-insensitively,
 * as sshd reads them.
 */
export function missingSshdDirectives(userData: string): SshdDirective[] {
  const lines = userData.split(/\r?\n/).map((l) => l.trim().toLowerCase());
  return SSHD_REQUIRED_DIRECTIVES.filter((d) => {
    const wanted = `${d.keyword.toLowerCase()} ${d.value.toLowerCase()}`;
    return !lines.some((l) => !l.startsWith('#') && l.replace(/\s+/g, ' ') === wanted);
  });
}
