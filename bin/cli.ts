import { Command } from 'commander';
import { registerAuditCommand } from '../lib/audit/command';
import { registerInitCommand, registerValidateCommand } from '../lib/config/validate-command';
import { registerReportCommand } from '../lib/report/command';
import { registerSecretsCommand } from '../lib/secrets/command';
import { registerWarehouseCommand } from '../lib/warehouse/command';
import { productVersion } from '../lib/version';

/**
 * `edu-baseline`: the operator and CI command. Each subcommand registers
 * itself from lib/<area>/command.ts so this file stays a table of contents.
 */
const program = new Command();
program
  .name('edu-baseline')
  .description('Secure AWS baseline for student data: start and check a config, audit templates, report evidence, manage secrets.')
  .version(productVersion(), '-V, --version', 'print the version of edu-security-baseline')
  .showHelpAfterError();

registerInitCommand(program);
registerValidateCommand(program);
registerAuditCommand(program);
registerReportCommand(program);
registerSecretsCommand(program);
registerWarehouseCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`edu-baseline: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
