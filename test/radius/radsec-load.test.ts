import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteRows } from '../support/accounting-oracle';
import { eaphostCommand } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';

const runLoad = eaphostCommand('load');
const runAcct = eaphostCommand('acct');

/**
 * `eaphost load --radsec` over each RadSec transport (TLS, DTLS) against `eaphost serve --radsec`
 * holding each transport's default secret: serve's verdicts counted (a wrong password fails), EAP
 * and PAP, and Accounting-Requests that serve's store then holds (read back by the sqlite3
 * program).
 */
const USERS = [1, 2, 3].map((n) => ({ identity: `rl${n}`, password: `rl pass ${n}` }));

describe('eaphost load --radsec over TLS and DTLS against serve', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let dir: ReturnType<typeof makeTempDir>;
  let serve: ServeProcess;
  let store: string;

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('radsec-load');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
    writeFileSync(join(dir.path, 'mixed.json'), JSON.stringify({
      [USERS[0].identity]: { password: USERS[0].password }, [USERS[1].identity]: { password: USERS[1].password },
      [USERS[2].identity]: { password: 'not it' },
    }));
    store = join(dir.path, 'accounting.db');
    serve = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--pap', '--accounting', store, '--radsec',
      '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  });
  after(async () => {
    await serve?.stop();
    dir?.remove();
    pki?.remove();
  });

  async function load(transport: 'tls' | 'dtls', argv: string[]): Promise<{ code: number; out: string; summary: Record<string, number> }> {
    const out: string[] = [];
    const code = await runLoad(['--radius', `127.0.0.1:${serve.port}`, '--radsec', '--radsec-transport', transport,
      '--radsec-ca', pki.files.ca, '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME, '--timeout', '5000', '--json', ...argv],
    (line) => out.push(line), (line) => out.push(line));
    const json = out.find((line) => line.startsWith('{'));
    return { code, out: out.join('\n') + serve.output().slice(-1500), summary: json ? JSON.parse(json) : {} };
  }

  it('PAP: serve\'s verdicts over each transport, 40 Accepts and 20 Rejects of 60, nothing lost', async () => {
    for (const transport of ['tls', 'dtls'] as const) {
      const { code, out, summary } = await load(transport, ['--method', 'pap', '--users', join(dir.path, 'mixed.json'),
        '--count', '60', '--concurrency', '10']);
      assert.equal(code, 1, out);
      assert.equal(summary.mode as unknown, 'radsec', out);
      assert.equal(summary.successes, 40, `${transport}: ${out}`);
      assert.equal(summary.failures, 20, `${transport}: ${out}`);
      assert.equal(summary.timeouts + summary.errors, 0, `${transport}: ${out}`);
    }
  });

  it('EAP-MD5 over DTLS: serve\'s verdicts, 8 accepted and 4 rejected of 12', async () => {
    const { code, out, summary } = await load('dtls', ['--method', 'md5', '--users', join(dir.path, 'mixed.json'),
      '--count', '12', '--concurrency', '4']);
    assert.equal(code, 1, out);
    assert.equal(summary.successes, 8, out);
    assert.equal(summary.failures, 4, out);
  });

  it('--method acct over DTLS: 25 Accounting-Responses, and serve\'s store holds the 25 sessions', async () => {
    const before = Number(sqliteRows(store, 'SELECT count(*) AS n FROM accounting_sessions')[0].n);
    const { code, out, summary } = await load('dtls', ['--method', 'acct', '--identity', USERS[0].identity, '--count', '25',
      '--concurrency', '5']);
    assert.equal(code, 0, out);
    assert.equal(summary.successes, 25, out);
    assert.equal(Number(sqliteRows(store, 'SELECT count(*) AS n FROM accounting_sessions')[0].n) - before, 25);
  });

  it('`eaphost acct --radsec` over TLS and DTLS: acknowledged, the session in serve\'s store; a Protocol-Error from a serve without accounting', async () => {
    const radsec = (port: number, transport: 'tls' | 'dtls') => ['--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-transport', transport,
      '--radsec-ca', pki.files.ca, '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME, '--timeout', '5000', '--json'];
    for (const transport of ['tls', 'dtls'] as const) {
      const session = `ACCT-${transport.toUpperCase()}-1`;
      const out: string[] = [];
      const code = await runAcct(['start', ...radsec(serve.port, transport), '--identity', USERS[1].identity, '--session-id', session],
        (line) => out.push(line), (line) => out.push(line));
      assert.equal(code, 0, out.join('\n') + serve.output().slice(-1500));
      assert.equal(JSON.parse(out[0]).mode, 'radsec');
      const rows = sqliteRows(store, `SELECT user_name FROM accounting_sessions WHERE acct_session_id = '${session}'`);
      assert.deepEqual(rows, [{ user_name: USERS[1].identity }], transport);
    }
    // serve without --accounting answers an Accounting-Request on RadSec with a Protocol-Error (406): said at once.
    const plain = await startEaphostServe(0, ['--users', join(dir.path, 'users.json'), '--methods', 'md5', '--radsec',
      '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
    try {
      const out: string[] = [];
      const code = await runAcct(['start', ...radsec(plain.port, 'dtls'), '--identity', USERS[1].identity],
        (line) => out.push(line), (line) => out.push(line));
      assert.equal(code, 3, out.join('\n'));
      assert.match(JSON.parse(out[0]).reason, /Protocol-Error.*406/);
    } finally {
      await plain.stop();
    }
  });

  it('--tries is refused over RadSec: a request is never sent again on its connection', async () => {
    const { code, out } = await load('dtls', ['--method', 'pap', '--identity', USERS[0].identity, '--password', USERS[0].password,
      '--tries', '2']);
    assert.equal(code, 2, out);
    assert.match(out, /--tries applies over UDP/);
  });
});
