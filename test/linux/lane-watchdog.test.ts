/**
 * scripts/ci/lane-watchdog.sh, which stops a hung lane and never a slow one: each case runs the
 * watchdog over a small command with a short idle time and checks its verdict, its log and that
 * what it stopped is gone (the kernel's process table, not the watchdog's word).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const watchdog = path.join(root, 'scripts', 'ci', 'lane-watchdog.sh');

interface Verdict { status: number | null; log: string; seconds: number }

describe('the lane watchdog (scripts/ci/lane-watchdog.sh)', function () {
  this.timeout(60000);
  let dir: string;
  let runs = 0;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-lane-watchdog-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `bash -c SCRIPT` under the watchdog, its output in a log of its own, as test-all.sh does. */
  function watch(script: string, options: { idle: number; ceiling?: number }): Promise<Verdict> {
    runs += 1;
    const log = path.join(dir, `lane-${runs}.log`);
    const progress = path.join(dir, `lane-${runs}.progress`);
    fs.writeFileSync(progress, '');
    const out = fs.openSync(log, 'w');
    const started = Date.now();
    const child = spawn('bash', [watchdog, '--log', log, '--progress', progress, '--idle', String(options.idle),
      '--ceiling', String(options.ceiling ?? 600), '--', 'bash', '-c', script], {
      stdio: ['ignore', out, out],
      env: { ...process.env, EAPHOST_WATCHDOG_POLL: '0.5', EAPHOST_LANE_PROGRESS: progress, PIDFILE: path.join(dir, `lane-${runs}.pid`) },
    });
    fs.closeSync(out);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (status) => resolve({ status, log: fs.readFileSync(log, 'utf8'), seconds: (Date.now() - started) / 1000 }));
    });
  }

  /** Whether PID still runs: a zombie (state Z, waiting for whoever reaps orphans) runs nothing. */
  function alive(pid: number): boolean {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }

  it('stops a lane that waits in silence, lists what ran, and leaves none of it running', async () => {
    const pidFile = path.join(dir, `lane-${runs + 1}.pid`);
    const verdict = await watch('sleep 300 & echo $! >"$PIDFILE"; wait', { idle: 3 });
    assert.equal(verdict.status, 124, verdict.log);
    assert.match(verdict.log, /no progress for 3 s .*a hang, stopped\n$/);
    assert.match(verdict.log, /sleep 300/, 'what was still running is listed');
    const sleeper = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(sleeper > 0);
    assert.equal(alive(sleeper), false, 'the silent child is gone');
  });

  it('lets a lane run past its idle time while it prints, or while its tests finish', async () => {
    const [printing, finishing] = await Promise.all([
      watch('for i in $(seq 1 16); do echo "line $i"; sleep 0.5; done; exit 7', { idle: 3 }),
      watch('for i in $(seq 1 16); do printf . >>"$EAPHOST_LANE_PROGRESS"; sleep 0.5; done', { idle: 3 }),
    ]);
    assert.equal(printing.status, 7, `the lane's own status is its verdict:\n${printing.log}`);
    assert.ok(printing.seconds >= 8, `it ran ${printing.seconds} s, past its idle time`);
    assert.equal(finishing.status, 0, finishing.log);
    assert.ok(finishing.seconds >= 8);
  });

  it('lets a silent lane run while it computes (a compile prints nothing until it ends)', async () => {
    // Eight seconds of one busy process against an idle time of eight: even on a machine loaded to
    // a third of a core, that is over a processor second in every idle window.
    const verdict = await watch(`${JSON.stringify(process.execPath)} -e "const end = Date.now() + 12000; while (Date.now() < end);"`,
      { idle: 8 });
    assert.equal(verdict.status, 0, verdict.log);
    assert.ok(verdict.seconds >= 12);
  });

  it('stops a lane at its ceiling even while it keeps printing', async () => {
    const verdict = await watch('while true; do echo busy; sleep 0.2; done', { idle: 60, ceiling: 3 });
    assert.equal(verdict.status, 124, verdict.log);
    assert.match(verdict.log, /stopped after 3 s, the ceiling for any lane/);
  });

  it('refuses arguments it cannot use', async () => {
    const verdict = await watch('true', { idle: 0 });
    assert.equal(verdict.status, 2);
    assert.match(verdict.log, /--idle and --ceiling take whole seconds above 0/);
  });
});
