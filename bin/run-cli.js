#!/usr/bin/env node
// The `edu-baseline` command. In the repository (bin/cli.ts beside this file)
// tsx compiles the TypeScript sources on load, so `npm ci` is the only install
// step and no build output can go stale. The published package ships no
// sources, only dist/ compiled by `npm pack` (prepack), and runs that.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

if (existsSync(join(__dirname, 'cli.ts'))) {
  require('tsx/cjs');
  require('./cli.ts');
} else {
  require('../dist/bin/cli.js');
}
