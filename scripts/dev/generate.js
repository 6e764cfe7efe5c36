#!/usr/bin/env node
// npm run generate: every generator of the repository, in the order their inputs need, each
// writing its checked-in (or build-time) output; the tests that compare an output with its
// generator (test/seam.test.ts, test/cli-reference.test.ts, test/api-surface.test.ts,
// test/build-sources.test.ts) name the one to run when it is stale.
//   1. seam/generate.js: the addon's seam from seam/seam.js (native/addon/generated/, lib/native/generated/),
//      and the connection data's format from seam/connection_data.js (lib/core/generated/,
//      native/methods/support/generated/)
//   2. scripts/shipped-methods.js: lib/core/method-table.ts and schema/cli-output.schema.json from
//      native/methods/methods.json
//   3. the TypeScript build (dist/), which the next two read
//   4. scripts/dev/cli-reference.js: docs/cli.md from the CLI's command files
//   5. scripts/dev/api-report.js --write: api/eaphost.api.md from the shipped declarations
'use strict';
const path = require('path');
// npm.cmd is a .cmd shim on Windows: cross-spawn starts it through cmd.exe with cmd's escaping.
const crossSpawn = require('cross-spawn');

const root = path.resolve(__dirname, '..', '..');
const steps = [
  ['seam', process.execPath, ['seam/generate.js']],
  ['method table', process.execPath, ['scripts/shipped-methods.js', 'ts', 'lib/core/method-table.ts']],
  ['output schema', process.execPath, ['scripts/shipped-methods.js', 'schema', 'schema/cli-output.schema.json']],
  ['TypeScript build', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:ts']],
  ['CLI reference', process.execPath, ['scripts/dev/cli-reference.js']],
  ['API report', process.execPath, ['scripts/dev/api-report.js', '--write']],
];
for (const [name, command, args] of steps) {
  const run = crossSpawn.sync(command, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`generate: ${name} (${[path.basename(command), ...args].join(' ')}) failed`);
    process.exit(1);
  }
  console.log(`generate: ${name} done`);
}
