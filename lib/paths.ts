import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

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

/**
 * A path as evidence records it, never an absolute path of the machine that
 * wrote it: relative and `/`-separated when it lies below `cwd`, otherwise its
 * base name (an auditor's copy of the evidence must not disclose, or depend
 * on, where the author's checkout was).
 */
export function portablePath(path: string, cwd = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? basename(absolute) : rel.split(sep).join('/');
}
