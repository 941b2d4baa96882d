import type { NewPlugin } from 'pretty-format';

/**
 * Snapshots must not change between machines or runs: asset hashes (64 hex
 * characters, in S3 keys and asset parameters) and absolute checkout paths are
 * replaced with placeholders.
 */
const ASSET_HASH = /[0-9a-f]{64}/g;
const HAS_ASSET_HASH = /[0-9a-f]{64}/;
const CWD = process.cwd();

function stabilize(value: string): string {
  return value.replace(ASSET_HASH, '<asset-hash>').split(CWD).join('<cwd>');
}

const serializer: NewPlugin = {
  test: (val: unknown) => typeof val === 'string' && (HAS_ASSET_HASH.test(val) || val.includes(CWD)),
  serialize: (val: string, config, indentation, depth, refs, printer) => {
    return printer(stabilize(val), config, indentation, depth, refs);
  },
};

export = serializer;
