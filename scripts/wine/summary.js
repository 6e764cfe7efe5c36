#!/usr/bin/env node
// Reads mocha's spec-reporter output and prints the lane's one summary line,
//   win32: N passed, N failed
// exiting non-zero when anything failed, when mocha itself failed, or when no summary was
// printed at all (a crash before the run ended counts as a failure, never as zero tests).
'use strict';
const fs = require('fs');

const [logPath, statusText] = process.argv.slice(2);
const status = Number(statusText);
const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
// Summed over every mocha run in the log (the suite, then its core on other node versions).
const count = (word) => {
  const matches = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
  return matches.length > 0 ? matches.reduce((sum, m) => sum + Number(m[1]), 0) : null;
};
const passed = count('passing');
let failed = count('failing') ?? 0;
const pending = count('pending') ?? 0;

if (passed === null) {
  console.error('wine lane: mocha printed no summary (it crashed or never ran)');
  failed = Math.max(failed, 1);
} else if (status !== 0 && failed === 0) {
  console.error(`wine lane: mocha exited with ${status} although no test failed`);
  failed = 1;
}
if (pending > 0) console.log(`wine lane: ${pending} pending`);
console.log(`win32: ${passed ?? 0} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === null || passed === 0 ? 1 : 0;
