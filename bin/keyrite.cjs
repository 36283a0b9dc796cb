#!/usr/bin/env node
'use strict';
// The CLI is bundled by scripts/build.mjs (npm run build) from electron/cli/index.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin shim loads the bundle
require('../dist/cli/index.cjs');
