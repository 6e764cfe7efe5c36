// The action's entry (action.yml: runs.main). The logic is lib/action/run.ts, compiled with the
// package into dist/; the native addon and method modules load as the package's always do
// (build/Release, then prebuilds/<platform>-<arch>, found without node_modules). A release
// tag carries dist/ and prebuilds/ (README "GitHub Action"); a checkout of a branch carries neither until it is built.
'use strict';
const fs = require('fs');
const path = require('path');

const run = path.join(__dirname, '..', 'dist', 'lib', 'action', 'run.js');
if (!fs.existsSync(run)) {
  process.stdout.write('::error title=eaphost::this ref of eaphost carries no built package (dist/): ' +
    'use a release tag (eaphost@v1), or build it first (npm ci && npm run build:ts)\n');
  process.exitCode = 1;
} else {
  require(run).runAction().then((code) => { process.exitCode = code; }, (error) => {
    process.stdout.write(`::error title=eaphost::${String(error && error.stack || error).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    process.exitCode = 1;
  });
}
