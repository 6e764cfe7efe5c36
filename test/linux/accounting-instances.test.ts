/**
 * Two `serve` instances, one PostgreSQL store, a real NAS: hostapd driver=wired on a veth pair
 * between two network namespaces this test makes, its authentication and accounting pointed at
 * instance A in the authenticator's namespace, its DAS on. The station authenticates through A,
 * and A records the NAS's Accounting Start in PostgreSQL 15 (started by the test from initdb).
 * Then A stops and instance B takes over the address the NAS knows: `eaphost sessions` lists
 * the session from the store, `eaphost disconnect --user` finds the NAS and the session's names
 * there and hostapd disconnects the station, and the Stop hostapd then sends is recorded by B
 * against the session A opened.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresInstance, psqlRows, startPostgres } from '../support/postgres';
import { md5Network, startWiredHostapd, startWiredSupplicant } from '../support/wired-8021x';
import { Daemon, findProgram, makeTempDir, runProgram } from '../support/programs';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { dasConfig } from '../support/hostapd-das';
import { ServeProcess, startEaphostServeIn } from '../support/eaphost-serve';
import { secretFlag } from '../support/cli-run';

const MAIN = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

describe('two serve instances, one PostgreSQL: a session started through A is listed and disconnected while B runs', function () {
  this.timeout(120_000);
  const secret = randomBytes(12).toString('hex');
  const user = { identity: 'roamer', password: randomBytes(9).toString('base64') };
  let files: { path: string; remove(): void };
  let postgres: PostgresInstance;
  let link: WiredLink;
  const instances: ServeProcess[] = [];
  let hostapd: Daemon | undefined;
  let supplicant: Daemon | undefined;
  let serveArgs: string[];

  before(async () => {
    findProgram(['wpa_supplicant'], 'wpasupplicant');
    files = makeTempDir('accounting-instances');
    postgres = await startPostgres();
    const users = join(files.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }), { mode: 0o600 });
    link = await makeWiredLink();
    serveArgs = [...secretFlag('secret', secret), '--users', users, '--methods', 'md5', '--accounting', postgres.url, '--log'];
    instances.push(await startEaphostServeIn(link.authenticator.ns, serveArgs));
  });
  after(async () => {
    // The NAS before the servers it reports to, then the store, the link and the files.
    for (const running of [supplicant, hostapd, ...instances]) await running?.stop();
    await postgres?.remove();
    await link?.remove();
    files?.remove();
  });

  it('Start through A; A gone, B on its address: sessions lists it, disconnect --user ends it, B records the Stop', async () => {
    const [a] = instances;
    const dasSecret = randomBytes(12).toString('hex');
    writeFileSync(join(files.path, 'das-secret'), `${dasSecret}\n`, { mode: 0o600 });
    hostapd = await startWiredHostapd({
      ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port: a.port, secret },
      extraConfig: ['acct_server_addr=127.0.0.1', `acct_server_port=${a.port}`, `acct_server_shared_secret=${secret}`,
        ...dasConfig(3799, { secret: dasSecret })],
    });
    await a.logged(/accounting client=127\.0\.0\.1 status=Accounting-On .* recorded/);
    const station = await link.newSupplicantAddress();
    const dashed = station.toUpperCase().replace(/:/g, '-');
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, join(files.path, 'wpa-ctrl'),
      md5Network(user), 'CTRL-EVENT-EAP-SUCCESS');
    await a.logged(new RegExp(`status=Start session="[0-9A-F]+" user="${user.identity}" station="${dashed}" recorded`));

    // A stops; B, another process on the same store, takes the address the NAS sends to.
    assert.equal(await a.stop(), 0, a.output());
    const b = await startEaphostServeIn(link.authenticator.ns, serveArgs, a.port);
    instances.push(b);

    // Listed from the store (psql reads it too: one open session, the one A recorded).
    const listed = await runProgram(process.execPath, [MAIN, 'sessions', '--accounting', postgres.url, '--user', user.identity, '--json'],
      { timeoutMs: 30_000, env: process.env });
    assert.equal(listed.code, 0, listed.stdout + listed.stderr);
    const sessions = JSON.parse(listed.stdout) as { acctSessionId: string; callingStationId: string; open: boolean; nasIdentifier: string }[];
    assert.equal(sessions.length, 1, listed.stdout);
    assert.equal(sessions[0].callingStationId, dashed);
    assert.equal(sessions[0].open, true);
    assert.equal(sessions[0].nasIdentifier, 'eaphost-wired');
    assert.deepEqual(await psqlRows(postgres, 'SELECT acct_session_id, open FROM accounting_sessions'),
      [{ acct_session_id: sessions[0].acctSessionId, open: 1 }]);

    // One line, while only B runs: the NAS, its DAS port and the session's names come from the store.
    const mark = hostapd.log().length;
    const [program, argv] = inNamespace(link.authenticator.ns, process.execPath,
      [MAIN, 'disconnect', '--accounting', postgres.url, '--user', user.identity, '--secret-file', join(files.path, 'das-secret'), '--json']);
    const run = await runProgram(program, argv, { timeoutMs: 30_000, env: process.env });
    assert.equal(run.code, 0, run.stdout + run.stderr + hostapd.log().slice(mark));
    assert.equal(JSON.parse(run.stdout.trim()).code, 'Disconnect-ACK');
    await hostapd.logUntil(mark, new RegExp(`RADIUS DAS: Found a matching session ${station} - disconnecting`));
    await b.logged(new RegExp(`status=Stop session="${sessions[0].acctSessionId}" user="${user.identity}" .*recorded`));
    // The session A opened, closed by B's Stop (the station may authenticate again meanwhile: another session).
    const rows = await psqlRows(postgres, `SELECT open, stopped_at IS NOT NULL AS stopped FROM accounting_sessions
      WHERE acct_session_id = '${sessions[0].acctSessionId.replace(/'/g, "''")}'`);
    assert.deepEqual(rows, [{ open: 0, stopped: true }]);
    assert.doesNotMatch(a.output(), /status=Stop/, 'A, gone before the disconnect, recorded no Stop');
  });
});
