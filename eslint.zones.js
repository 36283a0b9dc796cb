// @ts-check
// Zone rules (ARCHITECTURE.md "Zones and who may import whom"). A wrong-way import is a lint
// error, so `npm test` fails on it even before type-checking.
const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net'];
export const zone = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
export const ban = (group, message) =>
  // Built-in names are matched exactly: a gitignore-style `crypto` would also ban `./crypto`.
  group === NODE_BUILTINS
    ? { regex: `^(node:.*|${NODE_BUILTINS.filter((n) => n !== 'node:*').join('|')})(/.*)?$`, message }
    : { group, message };
// Folder bans match any relative path through that zone folder (`../../electron/core/x`).
export const banDirs = (dirs, message) => ({ regex: `^\\.{1,2}/(.*/)?(${dirs.join('|')})(/|$)`, message });

/** Per-zone import bans, shared by eslint.config.js and the zone test. */
export const zoneRules = [
  zone(['shared/**/*.ts'], [
    ban(['electron', 'electron/*'], 'shared/ is pure: no electron.'),
    ban(NODE_BUILTINS, 'shared/ is pure: no Node built-ins.'),
    ban(['react', 'react-dom', 'react/*', 'zustand'], 'shared/ imports only shared/ and pure libraries.'),
    banDirs(['electron', 'renderer'], 'shared/ imports only shared/ and pure libraries.'),
  ]),
  zone(['electron/core/**/*.ts'], [
    ban(['electron', 'electron/*'], 'electron/core runs in plain Node (CLI, tests): no electron import.'),
    ban(['pkcs11js', 'graphene-pk11'], 'Only electron/token-host may load PKCS#11.'),
    banDirs(['renderer', 'main', 'preload', 'cli', 'token-host'], 'electron/core may import only shared/ and npm libraries.'),
  ]),
  zone(['electron/token-host/**/*.ts'], [
    ban(['electron', 'electron/*'], 'The token host is a plain process.'),
    banDirs(['core', 'main', 'renderer', 'preload', 'cli'], 'The token host imports only shared/ and pkcs11js.'),
  ]),
  zone(['electron/main/**/*.ts'], [
    banDirs(['renderer', 'cli', 'token-host'], 'Main may import electron, electron/core and shared/.'),
    ban(['pkcs11js', 'graphene-pk11'], 'Only electron/token-host may load PKCS#11.'),
  ]),
  zone(['electron/preload/**/*.ts'], [
    banDirs(['core', 'main', 'renderer', 'cli', 'token-host', 'shared/tuf', 'shared/inspection'], 'The preload may import electron and shared/ipc only.'),
    ban(NODE_BUILTINS, 'The preload is sandboxed: no Node built-ins.'),
  ]),
  zone(['electron/cli/**/*.ts'], [
    ban(['electron', 'electron/*'], 'The CLI runs in plain Node.'),
    banDirs(['main', 'renderer', 'preload', 'token-host'], 'The CLI imports electron/core and shared/.'),
  ]),
  zone(['renderer/**/*.ts', 'renderer/**/*.tsx'], [
    ban(['electron', 'electron/*'], 'The renderer is sandboxed: no electron.'),
    ban(NODE_BUILTINS, 'The renderer is sandboxed: no Node built-ins.'),
    banDirs(['electron'], 'The renderer may import shared/ only.'),
  ]),
];
