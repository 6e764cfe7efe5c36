#!/usr/bin/env node
// The addon in Electron's main process (scripts/dev/electron-smoke-main.js): its executable is
// not node.exe, so the addon loads only through the delay-load hook, and Electron's memory cage
// refuses external buffers. Installs Electron (no-save), runs it, prints its report and fails
// unless it says ok. Usage:
//   node scripts/ci/windows/electron-smoke.js [--addon-under DIR] [--expect-method TYPE:AUTHOR]
// --addon-under: the addon it loaded must be under DIR; --expect-method: getMethods() in
// Electron must list that registered method.
'use strict';
const runMain = require('../run-main');
const { npmCli } = require('../npm-cli');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ELECTRON = 'electron@33';

function main(argv) {
  let addonUnder;
  let method;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--addon-under' && i + 1 < argv.length) addonUnder = path.resolve(argv[++i]);
    else if (argv[i] === '--expect-method' && i + 1 < argv.length) method = argv[++i].split(':').map(Number);
    else throw new RangeError(`electron-smoke: unknown argument ${argv[i]}`);
  }
  // npm's own entry in this node (scripts/ci/npm-cli.js): no .cmd shim, no cmd.exe.
  const install = spawnSync(process.execPath, [npmCli(), 'install', '--no-save', ELECTRON], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error(`npm install ${ELECTRON} failed`);
  const electron = require(path.resolve('node_modules', 'electron'));
  const result = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `electron-smoke-${process.pid}.json`);
  const env = { ...process.env, EAPHOST_SMOKE_RESULT: result };
  delete env.ELECTRON_RUN_AS_NODE;
  const run = spawnSync(electron, [path.join('scripts', 'dev', 'electron-smoke-main.js')], { stdio: 'inherit', env });
  const text = fs.existsSync(result) ? fs.readFileSync(result, 'utf8') : '';
  process.stdout.write(`${text}\n`);
  const outcome = text ? JSON.parse(text) : {};
  if (run.status !== 0 || !outcome.ok) throw new Error(`Electron smoke test failed (exit ${run.status})`);
  if (addonUnder && !path.resolve(outcome.addonPath || '').toLowerCase().startsWith(addonUnder.toLowerCase())) {
    throw new Error(`Electron loaded ${outcome.addonPath}, not the addon under ${addonUnder}`);
  }
  if (method && !(outcome.methods || []).some((m) => m.type === method[0] && m.authorId === method[1])) {
    throw new Error(`the registered method ${method.join(':')} is missing from getMethods() in Electron`);
  }
  return 0;
}

if (require.main === module) {
  runMain(main);
}
