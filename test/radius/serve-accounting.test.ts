import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RadiusServer } from '../../lib/radius';
import { accountingEvent, failureReporter } from '../../lib/accounting';
import { AccountingRetries } from '../../lib/accounting/retries';
import { createAuthenticator } from '../../lib';
import { main } from '../../lib/cli/main';
import { runCli, runRadclient, secretFlag } from '../support/cli-run';
import { AccountingServer, startAccountingServer } from '../support/accounting-server';
import { accountingPacket, integer, nasSocket, responseAuthentic, sqliteRows, text } from '../support/accounting-oracle';

/**
 * Accounting answered and recorded (RFC 2866): radclient, FreeRADIUS's client, sends the requests
 * and verifies each Accounting-Response's authenticator (it exits 0 only then); packets built and
 * judged with node:crypto alone test retransmissions; Debian's sqlite3 program reads what was
 * recorded. A request is answered only once it is in the file.
 */
const SECRET = 'acct-secret';

describe('serve --accounting: Accounting-Requests answered and recorded in SQLite', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let running: AccountingServer | undefined;
  let server: RadiusServer;
  let port: number;
  const said: string[] = [];
  const acct = (input: string, secret = SECRET) => runRadclient(port, secret, 'acct', input, 2);
  const sessions = (where = '1 = 1') => sqliteRows(file, `SELECT * FROM accounting_sessions WHERE ${where} ORDER BY acct_session_id`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-'));
    file = join(dir, 'accounting.db');
    running = await startAccountingServer(file, SECRET, (line) => said.push(line));
    ({ server, port } = running);
  });
  after(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Start, Interim-Update and Stop make one session: who, where, counters with Gigawords, times, Class', async () => {
    const session = 'Acct-Session-Id = "5F00000A", User-Name = "frank", Calling-Station-Id = "02-00-00-00-00-01", ' +
      'NAS-IP-Address = 192.0.2.10, NAS-Identifier = "switch-1", NAS-Port = 7, Framed-IP-Address = 10.0.0.9, Class = 0x636c617373';
    const start = await acct(`Acct-Status-Type = Start, ${session}, Event-Timestamp = 1700000000`);
    assert.equal(start.code, 0, start.output);
    assert.match(start.output, /Received Accounting-Response/);
    assert.deepEqual(sessions().map((row) => [row.open, row.started_at]), [[1, 1_700_000_000_000]]);
    const interim = await acct(`Acct-Status-Type = Interim-Update, ${session}, Acct-Session-Time = 60, ` +
      'Acct-Input-Octets = 5, Acct-Input-Gigawords = 2, Acct-Output-Octets = 4294967295, Event-Timestamp = 1700000060');
    assert.equal(interim.code, 0, interim.output);
    const stop = await acct(`Acct-Status-Type = Stop, ${session}, Acct-Session-Time = 120, Acct-Input-Octets = 6, ` +
      'Acct-Input-Gigawords = 2, Acct-Output-Octets = 1, Acct-Output-Gigawords = 1, Acct-Terminate-Cause = User-Request, ' +
      'Event-Timestamp = 1700000120');
    assert.equal(stop.code, 0, stop.output);
    const [row] = sessions();
    assert.deepEqual(row, {
      nas: '127.0.0.1', acct_session_id: '5F00000A', user_name: 'frank', calling_station_id: '02-00-00-00-00-01',
      called_station_id: null, nas_identifier: 'switch-1', nas_ip_address: '192.0.2.10', nas_port: 7,
      framed_ip_address: '10.0.0.9', class: '636c617373', vlan: null,
      input_octets: 2 * 2 ** 32 + 6, output_octets: 2 ** 32 + 1, input_packets: null, output_packets: null,
      session_time: 120, terminate_cause: 1, started_at: 1_700_000_000_000, updated_at: 1_700_000_120_000,
      stopped_at: 1_700_000_120_000, open: 0,
    });
    assert.equal(sqliteRows(file, 'SELECT count(*) AS n FROM accounting_events')[0].n, 3);
  });

  it('eaphost sessions lists them from the file: by station in another spelling, as JSON and as a table', async () => {
    const closed = await runCli(main, ['sessions', '--accounting', file, '--mac', '02:00:00:00:00:01', '--all', '--json']);
    assert.equal(closed.code, 0, closed.err.join('\n'));
    // Its MAC is digits alone: the same in either case, found once (disconnect --mac looks it up the same way).
    assert.equal(JSON.parse(closed.out[0]).length, 1, closed.out[0]);
    const [listed] = JSON.parse(closed.out[0]);
    assert.equal(listed.acctSessionId, '5F00000A');
    assert.equal(listed.inputOctets, 2 * 2 ** 32 + 6);
    assert.equal(listed.stoppedAt, '2023-11-14T22:15:20.000Z');
    const open = await runCli(main, ['sessions', '--accounting', file, '--user', 'frank']);
    assert.deepEqual(open.out.slice(1), [], 'the Stop closed it');
    const table = await runCli(main, ['sessions', '--accounting', file, '--all']);
    assert.match(table.out[0], /^NAS\s+SESSION\s+USER\s+STATION/);
    assert.match(table.out[1], /^switch-1\s+5F00000A\s+frank\s+02-00-00-00-00-01\s+10\.0\.0\.9/);
  });

  it('eaphost sessions escapes what a NAS chose: CR LF, an OSC title, NUL and U+202E draw no row and set no title', async () => {
    const hostile = 'eve\r\nfake-nas  fake-session\x1b]0;pwned\x07\0\u202Eevil';
    const nas = await nasSocket(port);
    try {
      const request = accountingPacket(91, [[40, integer(1)], [44, text('hostile-1')], [1, text(hostile)]], SECRET);
      const reply = await nas.send(request);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), 'recorded and acknowledged');
    } finally {
      nas.close();
    }
    const table = await runCli(main, ['sessions', '--accounting', file, '--all']);
    assert.equal(table.code, 0, table.err.join('\n'));
    // Each line printed is one row: the header and one per session, none with a control or bidi character.
    const lines = table.out.flatMap((line) => line.split(/\r\n|\r|\n/));
    assert.equal(lines.length, 1 + sessions().length, lines.join('\n'));
    for (const line of lines) assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/u, JSON.stringify(line));
    const row = lines.find((line) => line.includes('hostile-1'));
    assert.ok(row?.includes(String.raw`eve\u{D}\u{A}fake-nas  fake-session\u{1B}]0;pwned\u{7}\u{0}\u{202E}evil`), row);
    // --json keeps the bytes as they came: JSON escapes them itself.
    const json = await runCli(main, ['sessions', '--accounting', file, '--all', '--json']);
    assert.ok((JSON.parse(json.out[0]) as { userName: string }[]).some((session) => session.userName === hostile));
  });

  it('drops and counts a request signed with another secret, and records nothing of it', async () => {
    const before = server.stats.droppedBadAuthenticator;
    const forged = await acct('Acct-Status-Type = Start, Acct-Session-Id = "forged", User-Name = "mallory"', 'other-secret');
    assert.notEqual(forged.code, 0, forged.output);
    assert.equal(server.stats.droppedBadAuthenticator, before + 1);
    assert.deepEqual(sessions("acct_session_id = 'forged'"), []);
  });

  it('records a retransmission once: the same bytes answered again, a retry with a new Acct-Delay-Time too', async () => {
    const nas = await nasSocket(port);
    try {
      const attributes = (delay: number): [number, Buffer][] => [[40, integer(1)], [44, text('retry-1')], [1, text('rita')],
        [55, integer(1_700_000_500)], [41, integer(delay)]];
      const first = accountingPacket(31, attributes(0), SECRET);
      for (const [request, label] of [[first, 'first'], [first, 'same bytes'], [accountingPacket(32, attributes(3), SECRET), 'retry']] as const) {
        const reply = await nas.send(request);
        assert.ok(reply && responseAuthentic(reply, request, SECRET), `${label}: an Accounting-Response whose authenticator verifies`);
      }
    } finally {
      nas.close();
    }
    assert.equal(sqliteRows(file, "SELECT count(*) AS n FROM accounting_events WHERE acct_session_id = 'retry-1'")[0].n, 1);
    assert.equal(sessions("acct_session_id = 'retry-1'").length, 1);
  });

  it('Accounting-On closes every open session of that NAS', async () => {
    for (const id of ['on-1', 'on-2']) {
      assert.equal((await acct(`Acct-Status-Type = Start, Acct-Session-Id = "${id}", User-Name = "u-${id}"`)).code, 0);
    }
    assert.equal(sessions("open = 1 AND acct_session_id LIKE 'on-%'").length, 2);
    const on = await acct('Acct-Status-Type = Accounting-On, NAS-Identifier = "switch-1", Event-Timestamp = 1700001000');
    assert.equal(on.code, 0, on.output);
    assert.deepEqual(sessions('open = 1'), []);
    assert.deepEqual(sessions("acct_session_id LIKE 'on-%'").map((row) => row.stopped_at), [1_700_001_000_000, 1_700_001_000_000]);
  });

  it('a locked database: no Accounting-Response until the write succeeds, then the retry is recorded once', async () => {
    const holder = new Database(file);
    const nas = await nasSocket(port);
    const request = accountingPacket(77, [[40, integer(1)], [44, text('locked-1')], [1, text('lou')]], SECRET);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const unrecorded = server.stats.accountingUnrecorded;
      assert.equal(await nas.send(request, 1500), undefined, 'nothing acknowledged while the file is locked');
      assert.equal(server.stats.accountingUnrecorded, unrecorded + 1);
      assert.ok(said.some((line) => /accounting store failing, not acknowledging .*database is locked/.test(line)), said.join('\n'));
      holder.exec('COMMIT');
      const reply = await nas.send(request);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), 'the same bytes, resent, are answered once recorded');
      assert.ok(said.some((line) => /recording again/.test(line)), said.join('\n'));
    } finally {
      nas.close();
      holder.close();
    }
    assert.equal(sqliteRows(file, "SELECT count(*) AS n FROM accounting_events WHERE acct_session_id = 'locked-1'")[0].n, 1);
  });

  it('eaphost load --method acct: every request it counts acknowledged is in the file, once', async () => {
    const load = await runCli(main, ['load', '--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--method', 'acct',
      '--identity', 'loader', '--count', '2000', '--concurrency', '64', '--json']);
    assert.equal(load.code, 0, [...load.out, ...load.err].join('\n'));
    const report = JSON.parse(load.out[0]);
    assert.equal(report.successes, 2000, load.out[0]);
    assert.deepEqual(sqliteRows(file, "SELECT count(*) AS n, count(DISTINCT acct_session_id) AS d FROM accounting_events WHERE user_name = 'loader'"),
      [{ n: 2000, d: 2000 }]);
    assert.equal(sessions("user_name = 'loader' AND open = 1").length, 2000);
  });

  it('a session restarted with the very Start it sent before is open again; a retry after a Stop leaves it closed', async () => {
    const nas = await nasSocket(port);
    const sent = async (identifier: number, attributes: [number, Buffer][]): Promise<void> => {
      const request = accountingPacket(identifier, attributes, SECRET);
      const reply = await nas.send(request);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), `request ${identifier} answered`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    // No Event-Timestamp: the times are when each came, less its Acct-Delay-Time.
    const start: [number, Buffer][] = [[40, integer(1)], [44, text('again-1')], [1, text('ann')], [31, text('02-00-00-00-00-0a')]];
    try {
      await sent(41, start);
      await sent(42, [[40, integer(2)], [44, text('again-1')], [1, text('ann')], [46, integer(0)]]);
      assert.deepEqual(sessions("acct_session_id = 'again-1'").map((row) => row.open), [0]);
      // Retries with new Identifiers and Acct-Delay-Times: one Stop recorded; the Start, from before the Stop, opens nothing.
      await sent(43, [[40, integer(2)], [44, text('again-1')], [1, text('ann')], [46, integer(0)], [41, integer(2)]]);
      await sent(44, [...start, [41, integer(60)]]);
      assert.deepEqual(sessions("acct_session_id = 'again-1'").map((row) => row.open), [0]);
      assert.equal(sqliteRows(file, "SELECT count(*) AS n FROM accounting_events WHERE acct_session_id = 'again-1'")[0].n, 3);
      // The same Start, now: the NAS reused the Acct-Session-Id; the session is open again, begun now.
      const restarted = Date.now();
      await sent(45, start);
      const [row] = sessions("acct_session_id = 'again-1'");
      assert.equal(row.open, 1);
      assert.equal(row.stopped_at, null);
      assert.ok(Number(row.started_at) >= restarted, `started_at ${String(row.started_at)} is the restart's time`);
      assert.equal(sqliteRows(file, "SELECT count(*) AS n FROM accounting_events WHERE acct_session_id = 'again-1'")[0].n, 4);
    } finally {
      nas.close();
    }
  });

  it('no Acct-Status-Type, or a Start without Acct-Session-Id: unanswered, dropped as malformed, nothing recorded', async () => {
    const nas = await nasSocket(port);
    try {
      const cases: [string, [number, Buffer][]][] = [
        ['no Acct-Status-Type', [[44, text('nostatus-1')], [1, text('nora')]]],
        ['an Acct-Status-Type of 2 octets', [[40, Buffer.from([0, 1])], [44, text('nostatus-2')], [1, text('nora')]]],
        ['a Start without Acct-Session-Id', [[40, integer(1)], [1, text('nostatus-3')]]],
        ['a Stop without Acct-Session-Id', [[40, integer(2)], [1, text('nostatus-3')]]],
      ];
      for (const [what, attributes] of cases) {
        const malformed = server.stats.droppedMalformed;
        assert.equal(await nas.send(accountingPacket(60, attributes, SECRET), 800), undefined, `${what}: not acknowledged`);
        assert.equal(server.stats.droppedMalformed, malformed + 1, what);
      }
    } finally {
      nas.close();
    }
    assert.equal(sqliteRows(file, "SELECT count(*) AS n FROM accounting_events WHERE acct_session_id LIKE 'nostatus-%' " +
      "OR user_name LIKE 'nostatus-%'")[0].n, 0);
  });

  it('says a failing store once a second, however many requests fail', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = failureReporter((line) => lines.push(line), () => now);
    for (now = 0; now < 2500; now += 10) reporter.failed('disk I/O error');
    assert.equal(lines.length, 3);
    assert.match(lines[2], /\(201 unanswered so far\)/);
    reporter.recorded();
    assert.match(lines[3], /250 requests went unanswered/);
  });
});

describe('accounting state is bounded: requests waiting for the store, sessions followed for retries', function () {
  this.timeout(60_000);

  it('a store that never answers holds at most maxConversations requests: the oldest forgotten, counted, the rest answered', async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    const waiting: (() => void)[] = [];
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, maxConversations: 40,
      accounting: () => new Promise<void>((resolve) => { waiting.push(resolve); }) });
    const { port } = await server.listen();
    const nas = createSocket('udp4');
    try {
      for (let i = 0; i < 100; i++) nas.send(accountingPacket(i, [[40, integer(1)], [44, text(`held-${i}`)]], SECRET), port, '127.0.0.1');
      for (let tries = 0; waiting.length < 100 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal(waiting.length, 100);
      assert.equal(server.stats.accountingUnrecorded, 60);
      for (const resolve of waiting) resolve();
      for (let tries = 0; server.stats.accountingResponses < 40 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(server.stats.accountingResponses, 40);
    } finally {
      nas.close();
      await server.close();
      await authenticator.close();
    }
  });

  it('retries followed for at most the sessions kept: the longest unheard forgotten and counted; a Stop ends what a Start repeats', () => {
    const retries = new AccountingRetries(4);
    const event = (session: string, status: number, delay = 0) =>
      accountingEvent({ client: '192.0.2.1', attributes: [{ type: 40, value: integer(status) }, { type: 44, value: text(session) },
        { type: 41, value: integer(delay) }] }, 1_800_000_000_000);
    const first = retries.keyOf(event('s0', 1));
    assert.equal(retries.keyOf(event('s0', 1, 5)), first, 'a retry with another Acct-Delay-Time has the first\'s key');
    for (let i = 1; i < 10; i++) retries.keyOf(event(`s${i}`, 1));
    assert.equal(retries.size, 4);
    assert.equal(retries.forgotten, 6);
    const start = retries.keyOf(event('s9', 1, 1));
    retries.keyOf(event('s9', 2));
    assert.notEqual(retries.keyOf(event('s9', 1)), start, 'after its Stop, the same Start is a new request');
  });
});
