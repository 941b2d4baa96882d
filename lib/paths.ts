import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A path as a person in `cwd` types it, and as reports show it: relative and
 * `/`-separated when it lies below `cwd`, otherwise absolute.
 */
export function displayPath(path: string, cwd = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
  return shown.split(sep).join('/');
}
