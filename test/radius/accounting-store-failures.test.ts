import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../../lib/accounting';
import { AccountingServer, startAccountingServer } from '../support/accounting-server';
import { accountingPacket, integer, nasSocket, responseAuthentic, sqliteRows, text } from '../support/accounting-oracle';
import { PostgresInstance, psqlExec, psqlRows, startPostgres } from '../support/postgres';
import { ServeProcess, startEaphostServe, startEaphostServeWrapped } from '../support/eaphost-serve';
import { findProgram, outputUntil, runProgram } from '../support/programs';
import { uninstrumentedEnv } from '../support/child-env';

const SECRET = 'acct-full-secret';

/** Starts from a NAS: Acct-Session-Id `prefix`-N, each its own request. */
function starts(prefix: string, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => accountingPacket(i, [[40, integer(1)], [44, text(`${prefix}-${i}`)], [1, text('frank')]], SECRET));
}

/**
 * Sends each request (unanswered within `quietMs`, as it must be while the store fails), then
 * checks that serve said so at most once a second over that time.
 */
async function unansweredAndSaid(nas: Awaited<ReturnType<typeof nasSocket>>, requests: Buffer[], quietMs: number, output: () => string,
  reason: RegExp): Promise<void> {
  const saidBefore = output().match(/accounting store failing/g)?.length ?? 0;
  const began = Date.now();
  for (const request of requests) assert.equal(await nas.send(request, quietMs), undefined, `nothing acknowledged meanwhile\n${output()}`);
  await outputUntil('serve', output, new RegExp(`accounting store failing, not acknowledging \\(\\d+ unanswered so far\\): .*${reason.source}`),
    { count: saidBefore + 1 });
  const elapsed = Date.now() - began;
  const said = (output().match(/accounting store failing/g)?.length ?? 0) - saidBefore;
  assert.ok(said <= Math.floor(elapsed / 1000) + 1, `said ${said} times in ${elapsed} ms:\n${output()}`);
}

/** Each request sent again (the NAS's retry) and answered, signed. */
async function answeredOnRetry(nas: Awaited<ReturnType<typeof nasSocket>>, requests: Buffer[], output: () => string): Promise<void> {
  for (const request of requests) {
    const reply = await nas.send(request, 10_000);
    assert.ok(reply && responseAuthentic(reply, request, SECRET), `answered once the store is back\n${output()}`);
  }
}

/** `rows` (acct_session_id, n) are `count` requests, each recorded once. */
function eachOnce(rows: Record<string, unknown>[], count: number): void {
  assert.equal(rows.length, count, JSON.stringify(rows));
  assert.ok(rows.every((row) => row.n === 1), JSON.stringify(rows));
}

/** serve's shared secret and users file (the user frank), mode 0600, in `dir`. */
function writeServeFiles(dir: string): void {
  writeFileSync(join(dir, 'secret'), `${SECRET}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'users.json'), JSON.stringify({ frank: { password: 'pw' } }), { mode: 0o600 });
}

/**
 * Stores that fail, and come back. A store that is full: `serve --accounting` with its SQLite file on a 1 MiB tmpfs, mounted in a
 * mount namespace of serve's own (unshare(1); the machine's mounts are untouched, and the tmpfs
 * goes with the process). The test fills the tmpfs through /proc/PID/root: the kernel says ENOSPC,
 * SQLite SQLITE_FULL. Nothing is acknowledged meanwhile, serve says so, and once there is room the
 * NAS's retry is answered and recorded once. Needs root (a mount namespace).
 */
describe('serve --accounting on a full disk: no acknowledgement until there is room, nothing lost or doubled', function () {
  this.timeout(60_000);
  let dir: string;
  let storeDir: string;
  let serve: ServeProcess | undefined;
  /** The store's directory as serve's namespace sees it. */
  const inServe = (name: string): string => join(`/proc/${serve!.pid}/root`, storeDir, name);

  before(async function () {
    // The tmpfs is mounted in serve's own mount namespace (unshare -m), which needs root; the lanes
    // run as root, and a run that is not fails here rather than passing without the test.
    if (process.getuid?.() !== 0) throw new Error('the full-store test mounts a tmpfs (unshare -m): run it as root');
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-full-'));
    storeDir = join(dir, 'store');
    mkdirSync(storeDir);
    writeServeFiles(dir);
    const unshare = findProgram(['unshare'], 'util-linux');
    serve = await startEaphostServeWrapped((program, args) => [unshare, ['-m', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', storeDir, program, ...args]],
    ['--secret-file', join(dir, 'secret'), '--users', join(dir, 'users.json'), '--methods', 'md5', '--accounting', join(storeDir, 'acct.db')]);
  });
  after(async () => {
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ENOSPC: unanswered and said; room again: the same request answered, one row', async () => {
    const nas = await nasSocket(serve!.port);
    try {
      const first = accountingPacket(1, [[40, integer(1)], [44, text('room-1')], [1, text('frank')]], SECRET);
      const answered = await nas.send(first, 5000);
      assert.ok(answered && responseAuthentic(answered, first, SECRET), 'recorded while there is room');
      // Fill the tmpfs: what is left after the file's first transactions, to the last byte.
      const filler = openSync(inServe('filler'), 'w');
      const block = Buffer.alloc(4096);
      try {
        for (;;) writeSync(filler, block);
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      try {
        for (;;) writeSync(filler, block, 0, 1);
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      closeSync(filler);
      const request = accountingPacket(2, [[40, integer(1)], [44, text('full-1')], [1, text('frank')],
        [31, text('02-00-00-00-00-09')]], SECRET);
      assert.equal(await nas.send(request, 1500), undefined, 'nothing acknowledged while the disk is full');
      await serve!.logged(/accounting store failing, not acknowledging \(\d+ unanswered so far\): .*full/);
      rmSync(inServe('filler'));
      const reply = await nas.send(request, 5000);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), 'the NAS\'s retry answered once there is room');
      await serve!.logged(/accounting store recording again/);
    } finally {
      nas.close();
    }
    assert.deepEqual(sqliteRows(join(storeDir, 'acct.db'), 'SELECT acct_session_id, count(*) AS n FROM accounting_events GROUP BY acct_session_id ' +
      'ORDER BY acct_session_id', serve!.pid), [{ acct_session_id: 'full-1', n: 1 }, { acct_session_id: 'room-1', n: 1 }]);
  });
});

/**
 * A store that is read-only: the SQLite file immutable (chattr +i, which root obeys too) when
 * `serve` opens it, so SQLite opens it read-only and refuses every write (SQLITE_READONLY). Nothing
 * is acknowledged, serve says so at most once a second however many requests fail, and once the
 * file is writable again (chattr -i) the NAS's retries are answered and each recorded once. (A file
 * made read-only under a running serve is not read-only to it: its open descriptors write on,
 * durably, whatever chmod or chattr say, and the kernel refuses to remount a filesystem read-only
 * while they are open: EBUSY.) Needs root (chattr +i).
 */
describe('serve --accounting on a read-only SQLite file: no acknowledgement until it is writable, nothing lost or doubled', function () {
  this.timeout(60_000);
  let dir: string;
  let store: string;
  let serve: ServeProcess | undefined;
  const chattr = async (flag: '+i' | '-i'): Promise<void> => {
    const run = await runProgram(findProgram(['chattr'], 'e2fsprogs'), [flag, store]);
    assert.equal(run.code, 0, run.stderr);
  };

  before(async function () {
    if (process.getuid?.() !== 0) throw new Error('the read-only store test sets the file immutable (chattr +i): run it as root');
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-ro-'));
    store = join(dir, 'acct.db');
    writeServeFiles(dir);
    await (await openBackend(store)).close();
    await chattr('+i');
    serve = await startEaphostServe(0, ['--secret-file', join(dir, 'secret'), '--users', join(dir, 'users.json'), '--methods', 'md5',
      '--accounting', store]);
  });
  after(async () => {
    if (store) await chattr('-i').catch(() => undefined);
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('read-only: 20 requests unanswered, said at most once a second; writable: each answered, one row each', async () => {
    const nas = await nasSocket(serve!.port);
    const requests = starts('ro', 20);
    try {
      await unansweredAndSaid(nas, requests, 150, serve!.output, /readonly/);
      await chattr('-i');
      await answeredOnRetry(nas, requests, serve!.output);
      await serve!.logged(/accounting store recording again/);
    } finally {
      nas.close();
    }
    eachOnce(sqliteRows(store, "SELECT acct_session_id, count(*) AS n FROM accounting_events WHERE acct_session_id LIKE 'ro-%' " +
      'GROUP BY acct_session_id'), 20);
  });
});

/**
 * A PostgreSQL store that refuses: serve connects as a role of its own (not the superuser that
 * made the cluster), whose INSERT on accounting_events psql revokes and grants again.
 */
describe('serve --accounting postgres:// with a privilege revoked: no acknowledgement until it is granted again', function () {
  this.timeout(60_000);
  let postgres: PostgresInstance;
  let running: AccountingServer | undefined;
  const said: string[] = [];

  before(async () => {
    postgres = await startPostgres();
    // The tables, made by the owner; the writer may use them and nothing more.
    await (await openBackend(postgres.url)).close();
    await psqlExec(postgres, 'CREATE ROLE nas_writer LOGIN; GRANT SELECT, INSERT, UPDATE ON accounting_events, accounting_sessions TO nas_writer');
    const url = new URL(postgres.url);
    url.username = 'nas_writer';
    running = await startAccountingServer(url.toString(), SECRET, (line) => said.push(line));
  });
  after(async () => {
    await running?.close();
    await postgres?.remove();
  });

  it('INSERT revoked: unanswered and said (permission denied); granted: the retry answered, one row', async () => {
    const nas = await nasSocket(running!.port);
    const request = accountingPacket(3, [[40, integer(1)], [44, text('revoked-1')], [1, text('frank')]], SECRET);
    try {
      await psqlExec(postgres, 'REVOKE INSERT ON accounting_events FROM nas_writer');
      assert.equal(await nas.send(request, 1500), undefined, 'nothing acknowledged without the privilege');
      assert.ok(said.some((line) => /accounting store failing, not acknowledging .*permission denied/.test(line)), said.join('\n'));
      await psqlExec(postgres, 'GRANT INSERT ON accounting_events TO nas_writer');
      const reply = await nas.send(request, 5000);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), 'answered once the privilege is back');
      assert.ok(said.some((line) => /recording again/.test(line)), said.join('\n'));
    } finally {
      nas.close();
    }
    assert.deepEqual(await psqlRows(postgres, "SELECT count(*)::int AS n FROM accounting_events WHERE acct_session_id = 'revoked-1'"), [{ n: 1 }]);
  });
});

/**
 * An SQLite file another process holds locked: Debian's sqlite3 program in a transaction of its own
 * (BEGIN EXCLUSIVE; in WAL mode it holds the file's one write lock), kept open until the test ends
 * it. serve's transactions find the file busy (SQLITE_BUSY once its short busy timeout passes):
 * nothing is acknowledged and serve says so at most once a second; once sqlite3 commits and exits,
 * the NAS's retries are answered and each recorded once.
 */
describe('serve --accounting on an SQLite file another process holds locked: no acknowledgement until it is released', function () {
  this.timeout(60_000);
  let dir: string;
  let store: string;
  let serve: ServeProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-locked-'));
    store = join(dir, 'acct.db');
    writeServeFiles(dir);
    serve = await startEaphostServe(0, ['--secret-file', join(dir, 'secret'), '--users', join(dir, 'users.json'), '--methods', 'md5',
      '--accounting', store]);
  });
  after(async () => {
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('locked: 20 Starts unanswered, said at most once a second; released: each answered, one row each', async () => {
    const nas = await nasSocket(serve!.port);
    const requests = starts('locked', 20);
    const holder = spawn(findProgram(['sqlite3'], 'sqlite3'), ['-bail', store], { env: uninstrumentedEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let held = '';
    holder.stdout.on('data', (chunk) => { held += chunk; });
    holder.stderr.on('data', (chunk) => { held += chunk; });
    const exited = new Promise<number | null>((resolve) => holder.on('close', (code) => resolve(code)));
    try {
      const first = accountingPacket(99, [[40, integer(1)], [44, text('before-lock')], [1, text('frank')]], SECRET);
      const answered = await nas.send(first, 5000);
      assert.ok(answered && responseAuthentic(answered, first, SECRET), 'recorded before the lock');
      // sqlite3 prints nothing of its own here: `.shell echo` (a child writing straight to the pipe) says the lock is held.
      holder.stdin.write('.timeout 10000\nBEGIN EXCLUSIVE;\n.shell echo held\n');
      await outputUntil('sqlite3', () => held, /^held$/m);
      await unansweredAndSaid(nas, requests, 150, serve!.output, /locked/);
      holder.stdin.end('COMMIT;\n');
      assert.equal(await exited, 0, held);
      await answeredOnRetry(nas, requests, serve!.output);
      await serve!.logged(/accounting store recording again/);
    } finally {
      holder.stdin.end();
      nas.close();
    }
    eachOnce(sqliteRows(store, "SELECT acct_session_id, count(*) AS n FROM accounting_events WHERE acct_session_id LIKE 'locked-%' " +
      'GROUP BY acct_session_id'), 20);
    assert.deepEqual(sqliteRows(store, "SELECT count(*) AS n FROM accounting_sessions WHERE acct_session_id LIKE 'locked-%' AND open = 1"),
      [{ n: 20 }]);
  });
});

/**
 * A PostgreSQL store gone mid-run: the test's server stopped (pg_ctl stop -m fast, its connections
 * cut), then started again on the same socket and data directory. `serve` (its own process) says
 * it is failing at most once a second and acknowledges nothing meanwhile; once the server is back,
 * the NAS's retries are answered and each recorded once.
 */
describe('serve --accounting postgres:// with the server gone mid-run: no acknowledgement until it is back', function () {
  this.timeout(90_000);
  let dir: string;
  let postgres: PostgresInstance;
  let serve: ServeProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-pg-gone-'));
    writeServeFiles(dir);
    postgres = await startPostgres();
    serve = await startEaphostServe(0, ['--secret-file', join(dir, 'secret'), '--users', join(dir, 'users.json'), '--methods', 'md5',
      '--accounting', postgres.url]);
  });
  after(async () => {
    await serve?.stop();
    await postgres?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gone: 20 Starts unanswered, said at most once a second; back: each answered, one row each', async () => {
    const nas = await nasSocket(serve!.port);
    const requests = starts('gone', 20);
    try {
      const first = accountingPacket(99, [[40, integer(1)], [44, text('before-gone')], [1, text('frank')]], SECRET);
      const answered = await nas.send(first, 5000);
      assert.ok(answered && responseAuthentic(answered, first, SECRET), 'recorded while the server runs');
      await postgres.stop();
      await unansweredAndSaid(nas, requests, 150, serve!.output, /./);
      await postgres.start();
      await answeredOnRetry(nas, requests, serve!.output);
      await serve!.logged(/accounting store recording again/);
    } finally {
      nas.close();
    }
    eachOnce(await psqlRows(postgres, "SELECT acct_session_id, count(*)::int AS n FROM accounting_events WHERE acct_session_id LIKE 'gone-%' " +
      'GROUP BY acct_session_id'), 20);
    assert.deepEqual(await psqlRows(postgres, "SELECT count(*)::int AS n FROM accounting_sessions WHERE acct_session_id LIKE 'gone-%' AND open = 1"),
      [{ n: 20 }]);
  });
});
