// Electron main-process smoke test (run by .github/workflows/windows.yml): loads the addon
// in Electron's main thread, which is an STA and whose executable is not node.exe, opens the
// real EAPHost through it and lists its methods. The outcome goes to the file named by
// EAPHOST_SMOKE_RESULT, because a GUI-subsystem Electron has no console to print to.
'use strict';
const { app } = require('electron');
const fs = require('fs');
const path = require('path');

const resultFile = process.env.EAPHOST_SMOKE_RESULT;

async function smoke() {
  const eaphost = require(path.join(__dirname, '..', '..', 'dist', 'lib', 'index.js'));
  const { addonPath } = require(path.join(__dirname, '..', '..', 'dist', 'lib', 'native.js'));
  const host = await eaphost.openEapHost({ backend: 'windows' });
  try {
    const methods = await host.getMethods();
    return { ok: true, electron: process.versions.electron, addonPath, backend: host.backend, methods };
  } finally {
    await host.close();
  }
}

app.whenReady()
  .then(smoke)
  .catch((err) => ({ ok: false, error: String(err && err.stack || err) }))
  .then((outcome) => {
    fs.writeFileSync(resultFile, JSON.stringify(outcome, null, 2));
    app.exit(outcome.ok ? 0 : 1);
  });
