#!/usr/bin/env node
// Runs mocha once per spec file, each in a process of its own, and fails naming every failing
// file: on Windows a file that opens the portable backend loads the stand-in eappprxy.dll, and a
// process that has it loaded must not also be the one that proves System32's. Usage:
//   node scripts/ci/windows/mocha-files.js [--min-files N] [--min-tests N] [--timeout MS] <pattern>...
// A pattern is a directory and a file name with * (dist/test/windows/*.test.js), not recursive.
// --min-files fails a run that found fewer files (a renamed folder must not pass by running
// nothing); --min-tests makes every file run at least that many tests (test/support/lane-minimum).
'use strict';
const runMain = require('../run-main');
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function expand(pattern) {
  const dir = path.dirname(pattern);
  const name = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => name.test(f)).sort().map((f) => path.join(dir, f));
}

function parseArgs(argv) {
  const options = { minFiles: 1, minTests: 0, timeout: 30000, patterns: [] };
  for (let i = 0; i < argv.length; i++) {
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new RangeError(`mocha-files: ${argv[i - 1]} wants a whole number`);
      return value;
    };
    if (argv[i] === '--min-files') options.minFiles = number();
    else if (argv[i] === '--min-tests') options.minTests = number();
    else if (argv[i] === '--timeout') options.timeout = number();
    else if (argv[i].startsWith('--')) throw new RangeError(`mocha-files: unknown option ${argv[i]}`);
    else options.patterns.push(argv[i]);
  }
  if (options.patterns.length === 0) throw new RangeError('mocha-files: no spec pattern');
  return options;
}

function main(argv) {
  const options = parseArgs(argv);
  const files = [...new Set(options.patterns.flatMap(expand))];
  if (files.length < options.minFiles) {
    process.stderr.write(`mocha-files: ${files.length} file(s) for ${options.patterns.join(' ')}, expected at least ${options.minFiles}\n`);
    return 1;
  }
  const mocha = path.join('node_modules', 'mocha', 'bin', 'mocha.js');
  const failed = [];
  for (const file of files) {
    const args = [mocha, '--no-config', '--no-color', '--forbid-only', '--forbid-pending', '--timeout', String(options.timeout)];
    if (options.minTests > 0) args.push('--require', path.join('dist', 'test', 'support', 'lane-minimum.js'));
    args.push(file);
    const env = options.minTests > 0 ? { ...process.env, EAPHOST_LANE_MIN_TESTS: String(options.minTests) } : process.env;
    const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });
    if (run.status !== 0) failed.push(path.basename(file));
  }
  process.stdout.write(`mocha-files: ${files.length - failed.length} of ${files.length} file(s) passed\n`);
  if (failed.length > 0) {
    process.stderr.write(`mocha-files: failing spec files: ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

module.exports = { expand, parseArgs };
if (require.main === module) {
  runMain(main, 2);
}
