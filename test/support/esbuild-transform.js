// Jest transform: TypeScript to CommonJS with esbuild (type-checking is `npm run typecheck`'s job).
// esbuild is used instead of @swc/jest because the registry this project installs from lacks
// some of @swc/core's platform packages, which breaks `npm ci` on a fresh clone.
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
