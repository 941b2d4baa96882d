import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'edu-security-baseline';

/**
 * The product's version from its package.json, found by walking up from this
 * file, so it is the same whether the sources run through tsx or compiled
 * from dist/.
 */
export function productVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
  }
  throw new Error(`${PACKAGE_NAME}: package.json not found above ${__dirname}`);
}
