// ESLint for the TypeScript (lib/, test/, bench/, action/) and the repository's own scripts
// (npm run lint; the linux lane runs it). typescript-eslint's recommended rules without type
// information (tsc -p tsconfig.json is the type check), tuned to the house style below.
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const node = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly',
  process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
  setImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', TextDecoder: 'readonly',
  TextEncoder: 'readonly', structuredClone: 'readonly', AbortController: 'readonly', queueMicrotask: 'readonly' };

module.exports = tseslint.config(
  { ignores: ['dist/**', 'build/**', 'build-*/**', 'node_modules/**', 'prebuilds/**', '**/generated/**', 'lib/core/method-table.ts'] },
  // Directives written for typescript-eslint's older rule names stay harmless.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // An unused name is an error; a leading underscore, or a rest sibling, says "unused on purpose".
      '@typescript-eslint/no-unused-vars': ['error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // The addon, the checked-in scripts and JSON tables are loaded with require() on purpose.
      '@typescript-eslint/no-require-imports': 'off',
      // `any` stays where a JS value is not typed yet (the addon's raw returns, gyp's output).
      '@typescript-eslint/no-explicit-any': 'off',
      // Control characters are matched on purpose (XML's forbidden characters, terminal text).
      'no-control-regex': 'off',
      // Two spaces in a pattern are the indentation it matches (help text, YAML), written as they look.
      'no-regex-spaces': 'off',
      // A let a callback reads before its one assignment (a frame sink set up before the port).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // `shell:` beside an argument array joins the arguments unquoted in cmd.exe (a password with
  // spaces becomes four arguments): a .cmd shim is started with cross-spawn, which escapes for
  // cmd.exe, or its JS entry is run by node. The options' object literal is what is judged.
  {
    files: ['scripts/**', 'lib/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[arguments.length>=3] > ObjectExpression > Property[key.name='shell']:not([value.value=false])",
        message: 'no `shell:` with an argument array: start a .cmd shim with cross-spawn, or run its JS entry with node',
      }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: node } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: node } },
);
