/**
 * Accounting from a real NAS: hostapd driver=wired on a veth pair between two network namespaces
 * this test makes, its RADIUS client's authentication and accounting both pointed at
 * `eaphost serve --accounting` in the authenticator's namespace; wpa_supplicant -Dwired
 * authenticates with EAP-MD5. hostapd sends Accounting-On when it starts, Start once the station
 * is authorized, and Stop and Accounting-Off when it stops; it retries whatever is not answered.
 * Debian's sqlite3 program reads what serve recorded.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretFlag } from '../support/cli-run';
import { ServeProcess, startEaphostServeIn } from '../support/eaphost-serve';
import { dasConfig } from '../support/hostapd-das';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, findProgram, makeTempDir, runProgram } from '../support/programs';
import { md5Network, startWiredHostapd, startWiredSupplicant } from '../support/wired-8021x';
import { sqliteRows } from '../support/accounting-oracle';

const MAIN = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

describe('serve --accounting behind hostapd (driver=wired): a real NAS\'s accounting recorded', function () {
  this.timeout(120_000);
  const secret = randomBytes(12).toString('hex');
  const user = { identity: 'staff', password: randomBytes(9).toString('base64') };
  let files: { path: string; remove(): void };
  let link: WiredLink;
  let serve: ServeProcess;
  let hostapd: Daemon | undefined;
  let supplicant: Daemon | undefined;
  let database: string;

  before(async () => {
    findProgram(['wpa_supplicant'], 'wpasupplicant');
    files = makeTempDir('accounting-wired');
    database = join(files.path, 'accounting.db');
    const users = join(files.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }), { mode: 0o600 });
    link = await makeWiredLink();
    serve = await startEaphostServeIn(link.authenticator.ns, [...secretFlag('secret', secret), '--users', users,
      '--methods', 'md5', '--accounting', database, '--log']);
  });
  after(async () => {
    // The NAS before the server it reports to, then the link and the files.
    for (const running of [supplicant, hostapd, serve]) await running?.stop();
    await link?.remove();
    files?.remove();
  });

  it('Accounting-On, Start for the authorized station, eaphost disconnect --user through the store, Stop, Accounting-Off', async () => {
    const dasSecret = randomBytes(12).toString('hex');
    writeFileSync(join(files.path, 'das-secret'), `${dasSecret}\n`, { mode: 0o600 });
    hostapd = await startWiredHostapd({
      ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port: serve.port, secret },
      extraConfig: ['acct_server_addr=127.0.0.1', `acct_server_port=${serve.port}`, `acct_server_shared_secret=${secret}`,
        ...dasConfig(3799, { secret: dasSecret })],
    });
    await serve.logged(/accounting client=127\.0\.0\.1 status=Accounting-On .* recorded/);
    const station = await link.newSupplicantAddress();
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, join(files.path, 'wpa-ctrl'),
      md5Network(user), 'CTRL-EVENT-EAP-SUCCESS');
    const started = await serve.logged(new RegExp(`status=Start session="[0-9A-F]+" user="${user.identity}" station="([0-9A-F-]+)" recorded`));
    const dashed = station.toUpperCase().replace(/:/g, '-');
    assert.match(started, new RegExp(`station="${dashed}"`));
    const [open] = sqliteRows(database, 'SELECT * FROM accounting_sessions');
    assert.equal(open.user_name, user.identity);
    assert.equal(open.calling_station_id, dashed);
    assert.equal(open.nas_identifier, 'eaphost-wired');
    assert.equal(open.open, 1);
    // One line: the NAS, its DAS port and the session's names come from the store.
    const mark = hostapd.log().length;
    const [program, argv] = inNamespace(link.authenticator.ns, process.execPath,
      [MAIN, 'disconnect', '--accounting', database, '--user', user.identity, '--secret-file', join(files.path, 'das-secret'), '--json']);
    const run = await runProgram(program, argv, { timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stdout + run.stderr + hostapd.log().slice(mark));
    assert.equal(JSON.parse(run.stdout.trim()).code, 'Disconnect-ACK');
    await hostapd.logUntil(mark, new RegExp(`RADIUS DAS: Found a matching session ${station} - disconnecting`));
    await serve.logged(/status=Stop .* recorded/);
    await hostapd.stop();
    hostapd = undefined;
    await serve.logged(/status=Accounting-Off .* recorded/);
    const rows = sqliteRows(database, 'SELECT * FROM accounting_sessions');
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].acct_session_id, open.acct_session_id);
    assert.equal(rows[0].open, 0);
    assert.ok(Number(rows[0].stopped_at) >= Number(rows[0].started_at), JSON.stringify(rows[0]));
    assert.equal(typeof rows[0].session_time, 'number', JSON.stringify(rows[0]));
  });
});
