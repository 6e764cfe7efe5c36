// The action's post step (action.yml: runs.post), run when the job ends whatever the main step
// did: it takes out what the main step put on the runner (lib/action/run.ts runPost: the shipped
// module's registration and its protected copy, `eaphost unregister --shipped`).
'use strict';
const fs = require('fs');
const path = require('path');

const run = path.join(__dirname, '..', 'dist', 'lib', 'action', 'run.js');
// Without dist/ the main step failed before it registered anything: nothing to take out.
if (fs.existsSync(run)) {
  require(run).runPost().then((code) => { process.exitCode = code; }, (error) => {
    process.stdout.write(`::error title=eaphost::${String(error && error.stack || error).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    process.exitCode = 1;
  });
}
