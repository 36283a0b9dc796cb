// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Zone rules (ARCHITECTURE.md "Zones and who may import whom"). A wrong-way import is a lint
// error, so `npm test` fails on it even before type-checking.
const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net'];
const zone = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const ban = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', '.tsbuild/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-out/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: 'No focused tests.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  zone(['shared/**/*.ts'], [
    ban(['electron', 'electron/*'], 'shared/ is pure: no electron.'),
    ban(NODE_BUILTINS, 'shared/ is pure: no Node built-ins.'),
    ban(['react', 'react-dom', 'react/*', 'zustand', '**/electron/**', '**/renderer/**'], 'shared/ imports only shared/ and pure libraries.'),
  ]),
  zone(['electron/core/**/*.ts'], [
    ban(['electron', 'electron/*'], 'electron/core runs in plain Node (CLI, tests): no electron import.'),
    ban(['pkcs11js', 'graphene-pk11'], 'Only electron/token-host may load PKCS#11.'),
    ban(['**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**', '**/token-host/**'], 'electron/core may import only shared/ and npm libraries.'),
  ]),
  zone(['electron/token-host/**/*.ts'], [
    ban(['electron', 'electron/*'], 'The token host is a plain process.'),
    ban(['**/core/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'], 'The token host imports only shared/ and pkcs11js.'),
  ]),
  zone(['electron/main/**/*.ts'], [
    ban(['**/renderer/**', '**/cli/**', '**/token-host/**'], 'Main may import electron, electron/core and shared/.'),
    ban(['pkcs11js', 'graphene-pk11'], 'Only electron/token-host may load PKCS#11.'),
  ]),
  zone(['electron/preload/**/*.ts'], [
    ban(['**/core/**', '**/main/**', '**/renderer/**', '**/cli/**', '**/token-host/**', '**/shared/tuf/**', '**/shared/inspection/**'], 'The preload may import electron and shared/ipc only.'),
    ban(NODE_BUILTINS, 'The preload is sandboxed: no Node built-ins.'),
  ]),
  zone(['electron/cli/**/*.ts'], [
    ban(['electron', 'electron/*'], 'The CLI runs in plain Node.'),
    ban(['**/main/**', '**/renderer/**', '**/preload/**', '**/token-host/**'], 'The CLI imports electron/core and shared/.'),
  ]),
  zone(['renderer/**/*.ts', 'renderer/**/*.tsx'], [
    ban(['electron', 'electron/*'], 'The renderer is sandboxed: no electron.'),
    ban(NODE_BUILTINS, 'The renderer is sandboxed: no Node built-ins.'),
    ban(['**/electron/**'], 'The renderer may import shared/ only.'),
  ]),
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
