/**
 * The stand-in EAPHost (the portable EAPHost; eappprxy.dll under Wine) is as strict as Windows
 * is documented to be (docs/WINDOWS-CONTRACT.md): each scenario breaks one rule on purpose, in
 * a child process, through the test-only probe export, and the stand-in must stop the process
 * with a line naming that rule. The control scenario keeps every rule and must exit cleanly,
 * so a stand-in that reported everything (or nothing) fails here.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const distLib = path.join(__dirname, '..', 'lib');

interface ProbeRun { status: number | null; signal: NodeJS.Signals | null; stderr: string; error?: string; ms: number }

function runProbe(scenario: string): ProbeRun {
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    const { portableEapHostPath } = require(${JSON.stringify(path.join(distLib, 'session', 'builtin.js'))});
    (async () => {
      // The stand-in by path on every platform: on Windows the 'system' backend is Windows' own
      // eappprxy.dll, whose heap these deliberate double and wrong frees would corrupt.
      const host = await binding.eapHostOpen({ backend: 'portable', libraryPath: portableEapHostPath });
      await binding.eapHostContractProbe({ host, scenario: ${JSON.stringify(scenario)} });
      process.stderr.write('probe returned\\n');
    })().catch((e) => { process.stderr.write('probe failed: ' + e.message + '\\n'); process.exitCode = 2; });`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, EAPHOST_CONTRACT_PROBE: '1', EAPHOST_STANDIN_STRICT: '' },
    encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: child.status, signal: child.signal, stderr: child.stderr ?? '', error: child.error?.message, ms: Date.now() - started };
}

/** How a probe ended, for a failure's message. */
const ended = (run: ProbeRun): string =>
  `status ${run.status} signal ${run.signal}${run.error ? ` error ${run.error}` : ''} after ${run.ms} ms: ${run.stderr}`;

// abort(): SIGABRT on POSIX; exit code 3 from the C runtime on Windows.
function aborted(run: ProbeRun): boolean {
  return run.signal === 'SIGABRT' || (process.platform === 'win32' && run.status === 3);
}

describe('the stand-in EAPHost enforces the Windows contract', function () {
  this.timeout(60000);

  it('a caller that keeps every rule runs to the end with nothing reported', () => {
    const run = runProbe('correct');
    assert.equal(run.status, 0, ended(run));
    assert.match(run.stderr, /probe returned/);
    assert.doesNotMatch(run.stderr, /contract violated/);
  });

  // One library serves both APIs here (the stand-in opened by path), so its one ledger names the
  // right function for a pointer freed with the wrong one.
  const WRONG_FUNCTION = (called: string, right: string) =>
    new RegExp(`${called}\\(.*\\): freed with the wrong function; it must be freed with ${right}`);
  const violations: Array<[string, string, RegExp]> = [
    ['double-free', 'an EAP_ERROR freed twice', /EapHostPeerFreeEapError\(.*\): not a pointer EAPHost returned, or one already freed \(a double free\)/],
    ['wrong-error-free', 'a runtime EAP_ERROR freed with EapHostPeerFreeErrorMemory', WRONG_FUNCTION('EapHostPeerFreeErrorMemory', 'EapHostPeerFreeEapError')],
    ['wrong-buffer-free', 'configuration memory freed with EapHostPeerFreeRuntimeMemory', WRONG_FUNCTION('EapHostPeerFreeRuntimeMemory', 'EapHostPeerFreeMemory')],
    ['inner-pointers-first', "GetMethods' array freed before its strings", /EapHostPeerFreeMemory\(.*\): \d+ inner pointer\(s\) not freed yet/],
    ['free-session-buffer', "GetSendPacket's buffer freed by the caller", /EapHostPeerFreeRuntimeMemory\(.*\): EAPHost owns this buffer until EapHostPeerEndSession/],
    ['error-outstanding-at-end', 'an EAP_ERROR still outstanding at EndSession', /1 EAP_ERROR\(s\) returned by calls on session \d+ were never freed with EapHostPeerFreeEapError before the session ended/],
    ['result-error-outstanding', "GetResult's pEapError never freed", /1 EAP_ERROR\(s\) returned by calls on session \d+ were never freed with EapHostPeerFreeEapError before the session ended \(from EapHostPeerGetResult\)/],
    ['never-cleared', 'a registered connection never cleared', /connection\(s\) registered through EapHostPeerBeginSession were never cleared with EapHostPeerClearConnection/],
    ['sink-freed-at-end', "a callback's context freed at EndSession while still registered", /a NotificationHandler callback reached a freed sink/],
    ['wrong-version', 'dwVersion 0 for QueryInteractiveUIInputFields', /EapHostPeerQueryInteractiveUIInputFields: dwVersion is 0; its page says 1/],
  ];
  for (const [scenario, what, rule] of violations) {
    it(`catches ${what}, loudly`, () => {
      const run = runProbe(scenario);
      assert.ok(aborted(run), `expected an abort, got ${ended(run)}`);
      assert.match(run.stderr, rule);
      assert.doesNotMatch(run.stderr, /probe returned/);
    });
  }
});
