/**
 * scripts/ci/why-failed.js, the failed lane's account test-all.sh prints last, where a CI log's
 * tail shows it. Fed a lane log shaped as the Wine lane writes one (a failure early, then hundreds
 * of passing lines from later runs), it must carry the failing test's error and title, the
 * script's own reason, and the log's last lines, in at most 110 lines: the account it replaced
 * printed 150 lines from the first "failing" on, which a tail cut before the error.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const script = path.join(root, 'scripts', 'ci', 'why-failed.js');

function whyFailed(log: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-why-failed-'));
  try {
    const file = path.join(dir, 'lane.log');
    fs.writeFileSync(file, log);
    const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const passing = (suite: string, n: number): string[] =>
  ['', `  ${suite}`, ...Array.from({ length: n }, (_, i) => `    ✔ case ${i} of ${suite}`), '', `  ${n} passing (2s)`, ''];

describe('the failed lane account (scripts/ci/why-failed.js)', () => {
  it('keeps an early failure\'s error and title, the reason a script gave, and the last lines', () => {
    const stack = Array.from({ length: 30 }, (_, i) => `      at frame${i} (dist/test/x.test.js:${i}:1)`);
    const log = [
      '== mocha under Wine',
      ...passing('the public surface', 40),
      '[failed now] serve answers over RadSec the peer accepts',
      'AssertionError [ERR_ASSERTION]: expected Access-Accept, got Access-Reject',
      ...stack,
      '',
      '  39 passing (1m)',
      '  1 failing',
      '',
      '  1) serve',
      '       answers over RadSec the peer accepts:',
      '     AssertionError [ERR_ASSERTION]: expected Access-Accept, got Access-Reject',
      ...stack,
      '   mocha under Wine: 300.1 s',
      '== scripts/wine/node.sh (its own prefix, kept between runs)',
      '  ✔ node.sh --version through a pipe: the package\'s version on stdout, nothing on stderr, exit 0',
      '  ✘ node.sh methods: EAP-MSCHAPv2 (26) registered under author 32473 through the stand-in EAPHost',
      '      exit status 125; stdout:',
      '      | ',
      '      stderr:',
      '      | wineserver: mkdir gone/wine-6Ur05V: No such file or directory',
      '  ✔ node.sh auth with the wrong password: EAP-Failure, exit 1',
      '',
      '  7 passing',
      '  1 failing',
      'x86: could not create the Wine prefix (wineboot exited 53 after 0.1 s)',
      ...passing('the x86 core', 300),
      'win32: 379 passed, 1 failed',
    ].join('\n');
    const out = whyFailed(log);
    const lines = out.trimEnd().split('\n');
    assert.ok(lines.length <= 110, `${lines.length} lines`);
    assert.match(out, /^\[failed now\] serve answers over RadSec the peer accepts\nAssertionError \[ERR_ASSERTION\]: expected Access-Accept, got Access-Reject\n/);
    assert.match(out, /\(16 more lines\)/);
    assert.match(out, /^1 failing\n {2}1\) serve\n {7}answers over RadSec the peer accepts:\n {5}AssertionError \[ERR_ASSERTION\]: expected Access-Accept, got Access-Reject\n(?! {6}at )/m);
    assert.match(out, /^ {2}✘ node\.sh methods: .*\n {6}exit status 125; stdout:\n {6}\| \n {6}stderr:\n {6}\| wineserver: mkdir gone\/wine-6Ur05V: No such file or directory\n/m);
    assert.doesNotMatch(out, /EAP-Failure, exit 1/);
    assert.match(out, /^x86: could not create the Wine prefix \(wineboot exited 53 after 0\.1 s\)$/m);
    assert.equal(lines[lines.length - 1], 'win32: 379 passed, 1 failed');
    assert.doesNotMatch(out, /case 17 of the x86 core/);
  });

  it('shows a failed hook\'s error, which no "[failed now]" reports', () => {
    const log = [...passing('the core', 20), '  20 passing (1s)', '  1 failing', '',
      '  1) the RADIUS engine',
      '       "before all" hook for "answers":',
      '',
      '     Error: listen EADDRINUSE: address already in use 127.0.0.1:1812',
      '      at Server.setupListenHandle [as _listen2] (node:net:1908:16)',
      '      at listenInCluster (node:net:1965:12)',
      '', ...passing('the rest', 40)].join('\n');
    const out = whyFailed(log);
    assert.match(out, /^1 failing\n {2}1\) the RADIUS engine\n {7}"before all" hook for "answers":\n {5}Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:1812$/m);
    assert.doesNotMatch(out, /setupListenHandle/);
  });

  it('says so when the log names no failure, and still shows the last lines', () => {
    const out = whyFailed([...passing('the core', 50), 'Segmentation fault (core dumped)'].join('\n'));
    assert.match(out, /^\(no failing test and no line saying why/);
    assert.match(out, /Segmentation fault \(core dumped\)\n$/);
    assert.ok(out.split('\n').length <= 16);
  });

  it('cuts a log of many failures to 110 lines, saying what it left out', () => {
    const log = Array.from({ length: 40 }, (_, i) => [`[failed now] case ${i}`, 'Error: no', ...Array.from({ length: 5 }, () => '    at x'), ''].join('\n')).join('\n');
    const out = whyFailed(log);
    assert.ok(out.trimEnd().split('\n').length <= 110);
    assert.match(out, /^\(\d+ more of the lane's failure lines left out/m);
    assert.match(out, /^\[failed now\] case 0$/m);
  });
});
