#!/usr/bin/env node
'use strict';
// The CLI is bundled by scripts/build.mjs (npm run build) from electron/cli/index.ts; load-cli.cjs
// loads it through the V8 code cache the build writes beside it.
const path = require('node:path');

require('./load-cli.cjs').loadCli(path.join(__dirname, '..', 'dist', 'cli', 'index.cjs'));
