import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountingBackend, accountingEvent, openBackend } from '../../lib/accounting';
import type { RadiusAttribute } from '../../lib/radius';
import { integer, sqliteRows, text } from '../support/accounting-oracle';
import { PostgresInstance, psqlExec, psqlRows, startPostgres } from '../support/postgres';
import { findProgram } from '../support/programs';

/**
 * Group commit: the requests that came together are written in one transaction, in as few
 * statements as keep their order (PostgreSQL's own log counts them), and a batch means what its
 * requests one after the other mean: a session met twice, an Accounting-On between, a retry of
 * one in the same batch. What each store holds afterwards is read by Debian's sqlite3 and by psql,
 * against rows written out here by hand from RFC 2866's meaning.
 */
const NAS1 = '192.0.2.1';
const NAS2 = '192.0.2.2';
const T0 = 1_800_000_000;  // Event-Timestamp, seconds

/** An Accounting-Request's attributes as native/radius hands them over. */
function request(nas: string, status: number, session: string | undefined, at: number, more: [number, Buffer][] = []) {
  const attributes: RadiusAttribute[] = [[40, integer(status)], [55, integer(at)], ...(session === undefined ? [] : [[44, text(session)]]),
    [1, text(`user-${session ?? 'nas'}`)], ...more].map(([type, value]) => ({ type: type as number, value: value as Buffer }));
  return accountingEvent({ client: nas, attributes }, at * 1000 + 500);
}

/** One batch, in arrival order, and what applying its requests one by one leaves. */
const BATCH = [
  request(NAS1, 1, 'a', T0),
  request(NAS2, 1, 'd', T0 + 1),
  request(NAS1, 3, 'a', T0 + 2, [[46, integer(2)], [42, integer(100)]]),
  request(NAS1, 1, 'b', T0 + 3),
  request(NAS1, 7, undefined, T0 + 4),  // Accounting-On: nas1 restarted, a and b are over
  request(NAS1, 1, 'c', T0 + 5),
  request(NAS1, 2, 'a', T0 + 6, [[46, integer(6)], [42, integer(300)], [49, integer(1)]]),  // a's Stop, late
  request(NAS1, 1, 'c', T0 + 5, [[41, integer(3)]]),  // c's Start again, another Acct-Delay-Time: the same request
];
const SESSIONS = [
  { nas: NAS1, acct_session_id: 'a', open: 0, started_at: T0 * 1000, stopped_at: (T0 + 4) * 1000, session_time: 6, input_octets: 300, terminate_cause: 1 },
  { nas: NAS1, acct_session_id: 'b', open: 0, started_at: (T0 + 3) * 1000, stopped_at: (T0 + 4) * 1000, session_time: null, input_octets: null, terminate_cause: null },
  { nas: NAS1, acct_session_id: 'c', open: 1, started_at: (T0 + 5) * 1000, stopped_at: null, session_time: null, input_octets: null, terminate_cause: null },
  { nas: NAS2, acct_session_id: 'd', open: 1, started_at: (T0 + 1) * 1000, stopped_at: null, session_time: null, input_octets: null, terminate_cause: null },
];
const COLUMNS = 'nas, acct_session_id, open, started_at, stopped_at, session_time, input_octets, terminate_cause';

describe('accounting stores: a batch is one transaction, meaning what its requests mean one by one', function () {
  this.timeout(60_000);
  let dir: string;
  let postgres: PostgresInstance;
  const opened: AccountingBackend[] = [];
  const open = async (target: string): Promise<AccountingBackend> => {
    const backend = await openBackend(target);
    opened.push(backend);
    return backend;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eaphost-acct-batch-'));
    postgres = await startPostgres(['log_statement=all']);
  });
  after(async () => {
    for (const backend of opened) await backend.close();
    await postgres?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite: sessions and requests as one by one, the retry recorded once, then the whole batch again changes nothing', async () => {
    const file = join(dir, 'batch.db');
    const backend = await open(file);
    await backend.write(BATCH);
    await backend.write(BATCH);  // the NAS resent all of it: every request is there already
    assert.deepEqual(sqliteRows(file, `SELECT ${COLUMNS} FROM accounting_sessions ORDER BY nas, acct_session_id`), SESSIONS);
    assert.deepEqual(sqliteRows(file, 'SELECT count(*) AS n FROM accounting_events'), [{ n: BATCH.length - 1 }]);
  });

  it('PostgreSQL: the same rows, and the batch is BEGIN, one INSERT of the requests, one of the sessions, COMMIT', async () => {
    const backend = await open(postgres.url);
    const before = postgres.log().length;
    await backend.write(BATCH);
    await backend.write(BATCH);
    const rows = await psqlRows(postgres, `SELECT ${COLUMNS} FROM accounting_sessions ORDER BY nas, acct_session_id`);
    assert.deepEqual(rows, SESSIONS);
    assert.deepEqual(await psqlRows(postgres, 'SELECT count(*)::int AS n FROM accounting_events'), [{ n: BATCH.length - 1 }]);

    // 300 Starts of 300 sessions: what the server ran for them, from its own log.
    const many = Array.from({ length: 300 }, (_, n) => request(NAS2, 1, `many-${n}`, T0 + 10));
    const from = postgres.log().length;
    assert.ok(from > before);
    await backend.write(many);
    const ran = postgres.log().slice(from).split('\n').flatMap((line) => {
      const found = /LOG: {2}(?:statement|execute [^:]*): (\w+(?: INTO \w+)?)/.exec(line);
      return found ? [found[1]] : [];
    });
    assert.deepEqual(ran, ['BEGIN', 'INSERT INTO accounting_events', 'INSERT INTO accounting_sessions', 'COMMIT']);
    assert.deepEqual(await psqlRows(postgres, "SELECT count(*)::int AS n FROM accounting_sessions WHERE open = 1 AND acct_session_id LIKE 'many-%'"),
      [{ n: 300 }]);
  });

  // The spool as the build before per-home order made it: its requests kept, to go where their realm is routed now.
  const OLD_SPOOL = (serial: string) => `DROP TABLE IF EXISTS accounting_spool; CREATE TABLE accounting_spool (id ${serial}, ` +
    'realm TEXT NOT NULL, attributes TEXT NOT NULL, received_at BIGINT NOT NULL); ' +
    'CREATE INDEX accounting_spool_realm ON accounting_spool (realm, id); ' +
    `INSERT INTO accounting_spool (realm, attributes, received_at) VALUES ('example.org', '[[40,"00000001"]]', ${T0 * 1000})`;
  const SPOOLED = [{ id: 1, realm: 'example.org', home: '', attributes: [{ type: 40, value: integer(1) }], receivedAt: T0 * 1000 }];

  it('a spool made before each home kept its order: opened, its requests kept, home empty (SQLite and PostgreSQL)', async () => {
    const file = join(dir, 'old-spool.db');
    execFileSync(findProgram(['sqlite3'], 'sqlite3'), [file, OLD_SPOOL('INTEGER PRIMARY KEY AUTOINCREMENT')]);
    assert.deepEqual(await (await open(file)).spoolHeads(), SPOOLED);
    await psqlExec(postgres, OLD_SPOOL('BIGSERIAL PRIMARY KEY'));
    assert.deepEqual(await (await open(postgres.url)).spoolHeads(), SPOOLED);
  });
});
