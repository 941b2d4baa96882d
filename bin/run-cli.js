#!/usr/bin/env node
// The `edu-baseline` command. tsx compiles the TypeScript sources on load,
// so `npm ci` is the only install step and there is no stale build output.
require('tsx/cjs');
require('./cli.ts');
