#!/usr/bin/env node
// The packed tarball as a consumer gets it: an empty project in a temp folder, `npm install
// <tarball>` (its install script runs, picking the prebuild), then the CLI from there. Usage:
//   node scripts/ci/install-consumer.js <tarball, or a folder holding one> [--register] -- <eaphost arguments...>
// --register (Windows): `eaphost register --shipped --restart-service --start-service` first, and
// `eaphost unregister --shipped --restart-service` after, whatever the outcome.
// The CLI runs in the folder this script was started from, so a relative path among the eaphost
// arguments (--users examples/users.json) means what it means to the workflow step that wrote it.
// npm runs as its own JavaScript entry in this node (scripts/ci/npm-cli.js), never through a .cmd
// shim and cmd.exe: each argument reaches it whole, and this script needs no package from npm (the
// consumer-windows job installs nothing before it).
'use strict';
const runMain = require('./run-main');
const { npmCli } = require('./npm-cli');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function run(command, args, cwd) {
  process.stdout.write(`> ${command} ${args.map((a) => JSON.stringify(a)).join(' ')}\n`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.error) throw new Error(`${command} did not run: ${result.error.message}`);
  return result.status;
}

function main(argv) {
  const split = argv.indexOf('--');
  const own = split >= 0 ? argv.slice(0, split) : argv;
  const cli = split >= 0 ? argv.slice(split + 1) : [];
  const register = own.includes('--register');
  const tarball = own.filter((a) => a !== '--register');
  if (tarball.length !== 1 || cli.length === 0) throw new RangeError('usage: install-consumer.js <tarball> [--register] -- <eaphost arguments...>');
  // A directory (a downloaded artifact) holds exactly one tarball.
  let packed = path.resolve(tarball[0]);
  if (fs.existsSync(packed) && fs.statSync(packed).isDirectory()) {
    const found = fs.readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    if (found.length !== 1) throw new Error(`${packed} holds ${found.length} .tgz files, not one`);
    packed = path.join(packed, found[0]);
  }
  if (!fs.existsSync(packed)) throw new Error(`no tarball at ${packed}`);
  const project = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'eaphost-consumer-'));
  // EAPHOST_CONSUMER_NPM: another npm entry, run the same way (test/windows/install-consumer.test.ts gives a stand-in).
  const npm = (args) => run(process.execPath, [process.env.EAPHOST_CONSUMER_NPM || npmCli(), ...args], project);
  if (npm(['init', '-y']) !== 0) throw new Error('npm init failed');
  if (npm(['install', '--foreground-scripts', packed]) !== 0) throw new Error('npm install <tarball> failed');
  const eaphost = [path.join(project, 'node_modules', 'eaphost', 'dist', 'lib', 'cli', 'main.js')];
  const node = (args) => run(process.execPath, [...eaphost, ...args], process.cwd());
  // --start-service: a runner's EapHost is on Manual, and --restart-service leaves a stopped one stopped.
  if (register && node(['register', '--shipped', '--restart-service', '--start-service']) !== 0) throw new Error('eaphost register failed');
  let status;
  try {
    status = node(cli);
  } finally {
    if (register && node(['unregister', '--shipped', '--restart-service']) !== 0) status = 1;
  }
  return status === 0 ? 0 : 1;
}

if (require.main === module) {
  runMain(main);
}
