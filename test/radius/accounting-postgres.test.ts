import { strict as assert } from 'node:assert';
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { ServeAccounting, accountingFlags } from '../../lib/cli/commands/serve/serve-accounting';
import { runRadclient } from '../support/cli-run';
import { accountingPacket, integer, nasSocket, responseAuthentic, text } from '../support/accounting-oracle';
import { PostgresInstance, psqlRows, startPostgres } from '../support/postgres';

/**
 * serve --accounting postgres://…: two servers (two instances behind one NAS list) recording into
 * one PostgreSQL 15 this test starts from initdb; radclient sends and verifies, psql reads. A
 * server that went away makes the instances stop acknowledging, and they acknowledge again once
 * it is back, each request recorded once.
 */
const SECRET = 'acct-pg-secret';

describe('serve --accounting postgres://: instances share one PostgreSQL', function () {
  this.timeout(90_000);
  let postgres: PostgresInstance;
  let authenticator: Authenticator;
  const instances: { server: RadiusServer; store: ServeAccounting; port: number; said: string[] }[] = [];

  before(async () => {
    postgres = await startPostgres();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { frank: { password: 'pw' } } });
    for (let i = 0; i < 2; i++) {
      const said: string[] = [];
      const store = (await accountingFlags({ accounting: postgres.url }, (line) => said.push(line)))!;
      const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, accounting: store.accounting,
        onAccountingFailure: store.onAccountingFailure });
      instances.push({ server, store, port: (await server.listen()).port, said });
    }
  });
  after(async () => {
    for (const { server, store } of instances) {
      await server.close();
      await store.close();
    }
    await authenticator?.close();
    await postgres?.remove();
  });

  it('a session started through one instance and stopped through the other is one session, listed by both', async () => {
    const session = 'Acct-Session-Id = "pg-1", User-Name = "frank", Calling-Station-Id = "02-00-00-00-00-02", NAS-Port = 3';
    const start = await runRadclient(instances[0].port, SECRET, 'acct', `Acct-Status-Type = Start, ${session}`, 2);
    assert.equal(start.code, 0, start.output);
    assert.match(start.output, /Received Accounting-Response/);
    const listedByOther = await instances[1].store.sessions({ user: 'frank' });
    assert.deepEqual(listedByOther.map((s) => [s.acctSessionId, s.callingStationId, s.nasPort, s.open]), [['pg-1', '02-00-00-00-00-02', 3, true]]);
    const stop = await runRadclient(instances[1].port, SECRET, 'acct', `Acct-Status-Type = Stop, ${session}, Acct-Session-Time = 9, ` +
      'Acct-Output-Octets = 7, Acct-Output-Gigawords = 1', 2);
    assert.equal(stop.code, 0, stop.output);
    const rows = await psqlRows(postgres, 'SELECT acct_session_id, open, session_time, output_octets FROM accounting_sessions');
    assert.deepEqual(rows, [{ acct_session_id: 'pg-1', open: 0, session_time: 9, output_octets: 2 ** 32 + 7 }]);
  });

  it('the server gone: nothing acknowledged, said; back: the retry acknowledged and recorded once', async () => {
    const { port, said } = instances[0];
    const request = accountingPacket(9, [[40, integer(1)], [44, text('pg-gone')], [1, text('gina')]], SECRET);
    const nas = await nasSocket(port);
    try {
      await postgres.stop();
      assert.equal(await nas.send(request, 3000), undefined, 'nothing acknowledged while PostgreSQL is down');
      assert.ok(said.some((line) => /accounting store failing, not acknowledging/.test(line)), said.join('\n'));
      await postgres.start();
      const reply = await nas.send(request, 10_000);
      assert.ok(reply && responseAuthentic(reply, request, SECRET), 'answered once PostgreSQL is back');
    } finally {
      nas.close();
    }
    assert.deepEqual(await psqlRows(postgres, "SELECT count(*)::int AS n FROM accounting_events WHERE acct_session_id = 'pg-gone'"), [{ n: 1 }]);
  });
});
