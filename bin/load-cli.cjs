'use strict';
// Loads the CLI bundle, through V8's code cache when the build left one beside it
// (`<bundle>.v8cache`, made by scripts/code-cache.mjs after a few real inspections). The cache
// spares parsing and compiling 2.5 MB on every command (~0.1 s). V8 refuses a cache made for other
// source bytes, another V8 version or other flags, and then simply compiles. The cache is only read
// from the build output, never written at run time: KEYRITE_WRITE_CODE_CACHE is how the build asks
// for one (the path to write at exit).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

exports.loadCli = function loadCli(bundle) {
  const writeTo = process.env.KEYRITE_WRITE_CODE_CACHE;
  delete process.env.KEYRITE_WRITE_CODE_CACHE;
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${bundle}.v8cache`);
  } catch {
    cachedData = undefined;
  }
  if (cachedData === undefined && !writeTo) {
    require(bundle);
    return;
  }
  // What Node's CommonJS loader does for a file, with cachedData added.
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  require.cache[bundle] = mod;
  if (writeTo) process.once('exit', () => fs.writeFileSync(writeTo, script.createCachedData()));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  mod.loaded = true;
};
