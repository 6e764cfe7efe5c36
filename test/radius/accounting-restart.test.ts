import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRadclient, secretFlag } from '../support/cli-run';
import { accountingPacket, integer, nasSocket, responseAuthentic, sqliteRows, text } from '../support/accounting-oracle';
import { startEaphostServe } from '../support/eaphost-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { PostgresInstance, psqlRows, startPostgres } from '../support/postgres';
import { makeTempDir } from '../support/programs';

/**
 * A NAS retries an Accounting-Request that `eaphost serve --accounting` recorded, but serve
 * restarted meanwhile (its answer lost, or the NAS slow to hear it): the retry is acknowledged and
 * not recorded twice. Both retries a NAS makes: the same bytes again (same Identifier and Request
 * Authenticator, built and judged here with node:crypto), and the request sent anew with its
 * Acct-Delay-Time grown (radclient, which verifies the Accounting-Response). What tells a retry
 * from a new request lived only in serve's memory; it is read back from the store on start. The
 * store is read by its own client (sqlite3, psql).
 */
const SECRET = 'acct-restart-secret';

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`serve --accounting (${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}): a NAS's retry after serve restarted is recorded once`, function () {
    this.timeout(120_000);
    let dir: ReturnType<typeof makeTempDir>;
    let postgres: PostgresInstance | undefined;
    let store: string;
    let serve: ServeProcess | undefined;
    const start = (port = 0) => startEaphostServe(port, ['--users', join(dir.path, 'users.json'), '--methods', 'md5',
      '--accounting', store, ...secretFlag('secret', SECRET)]);
    const events = async (session: string): Promise<number> => {
      const sql = `SELECT count(*) AS n FROM accounting_events WHERE acct_session_id = '${session}'`;
      return Number((kind === 'sqlite' ? sqliteRows(store, sql) : await psqlRows(postgres!, sql))[0].n);
    };
    /** serve stopped and started again on the port the NAS knows. */
    const restart = async (): Promise<void> => {
      const port = serve!.port;
      assert.equal(await serve!.stop(), 0, serve!.output());
      serve = await start(port);
    };

    before(async () => {
      dir = makeTempDir('accounting-restart');
      writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ rita: { password: 'pw' } }));
      if (kind === 'postgres') postgres = await startPostgres();
      store = postgres?.url ?? join(dir.path, 'accounting.db');
      serve = await start();
    });
    after(async () => {
      await serve?.stop();
      await postgres?.remove();
      dir?.remove();
    });

    it('the same bytes again: acknowledged, one row', async () => {
      const request = accountingPacket(41, [[40, integer(1)], [44, text('same-bytes')], [1, text('rita')], [41, integer(0)]], SECRET);
      for (const when of ['before', 'after'] as const) {
        if (when === 'after') await restart();
        const nas = await nasSocket(serve!.port);
        try {
          const reply = await nas.send(request);
          assert.ok(reply && responseAuthentic(reply, request, SECRET), `${when} the restart: an Accounting-Response that verifies`);
        } finally {
          nas.close();
        }
        assert.equal(await events('same-bytes'), 1, `${when} the restart\n${serve!.output()}`);
      }
    });

    it('a Start, then a Stop, each retried with Acct-Delay-Time grown (radclient): acknowledged, one row each, the session closed', async () => {
      const session = 'Acct-Session-Id = "delay-grown", User-Name = "rita", NAS-Port = 4';
      for (const [status, recorded] of [['Start', 1], ['Stop, Acct-Session-Time = 30', 2]] as const) {
        for (const [delay, when] of [[0, 'before'], [7, 'after']] as const) {
          if (when === 'after') await restart();
          const sent = await runRadclient(serve!.port, SECRET, 'acct', `Acct-Status-Type = ${status}, ${session}, Acct-Delay-Time = ${delay}`, 2);
          assert.equal(sent.code, 0, `${status}, ${when} the restart: ${sent.output}`);
          assert.match(sent.output, /Received Accounting-Response/);
          assert.equal(await events('delay-grown'), recorded, `${status}, ${when} the restart\n${serve!.output()}`);
        }
      }
      const sql = "SELECT open FROM accounting_sessions WHERE acct_session_id = 'delay-grown'";
      assert.deepEqual((kind === 'sqlite' ? sqliteRows(store, sql) : await psqlRows(postgres!, sql)).map((row) => Number(row.open)), [0]);
    });
  });
}
