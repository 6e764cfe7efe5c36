import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coaRequest, RadSecClient } from '../../lib/radius';
import { RadSecHandshakeRefusedError, RadSecUnansweredError } from '../../lib/radius/errors';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { startFreeRadius } from '../support/freeradius';
import type { FreeRadiusInstance } from '../support/freeradius';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { freeUdpPort } from '../support/programs';
import { startRadsecProxy } from '../support/radsecproxy';
import type { RadsecProxy } from '../support/radsecproxy';
import { runMain } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';

/**
 * Dynamic Authorization (RFC 5176) over RadSec (RFC 6614): `eaphost coa --radsec` and
 * `eaphost disconnect --radsec` against FreeRADIUS 3.2's CoA listener over TLS (what it received
 * is read in its debug log), a client certificate FreeRADIUS refuses, and radsecproxy 1.9.2, which
 * takes RadSec connections but no CoA: the typed timeout then says what it does.
 */
describe('CoA and Disconnect over RadSec: FreeRADIUS, radsecproxy', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let freeradius: FreeRadiusInstance;
  let proxy: RadsecProxy;

  before(async () => {
    pki = await makeInteropPki();
    freeradius = await startFreeRadius({ secret: 'udp-secret', users: [], debug: true, radsecCoa: true,
      radsec: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey } });
    proxy = await startRadsecProxy({ listen: 'tls', clientSecret: RADSEC_SECRET,
      server: { type: 'udp', port: await freeUdpPort(), secret: 'udp-secret' },
      tls: { ca: pki.files.ca, cert: pki.files.serverCert, key: pki.files.serverKey } });
  });
  after(async () => {
    await freeradius?.stop();
    await proxy?.stop();
    pki?.remove();
  });

  const radsecFlags = (cert = pki.files.clientCert, key = pki.files.clientKey, password: string | undefined = CLIENT_KEY_PASSWORD) => [
    '--radsec', '--radsec-cert', cert, '--radsec-key', key, ...(password === undefined ? [] : ['--radsec-key-password', password]),
    '--radsec-ca', pki.files.ca, '--radsec-server-name', SERVER_NAME];

  it('`eaphost coa --radsec`: FreeRADIUS receives the CoA-Request over TLS and answers CoA-ACK', async () => {
    const from = freeradius.log().length;
    const run = await runMain(['coa', '--nas', `127.0.0.1:${freeradius.radsecCoaPort}`, ...radsecFlags(),
      '--identity', 'carol', '--session-timeout', '600', '--timeout', '4000', '--json']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout);
    assert.equal(report.code, 'CoA-ACK');
    assert.equal(report.mode, 'radsec');
    assert.equal(report.tries, 1);
    const seen = await freeradius.logUntil(from, /Sent CoA-ACK Id \d+/);
    assert.match(seen, /\(TLS\): CoA-Request packet from host 127\.0\.0\.1/);
    assert.match(seen, /Received CoA-Request Id \d+[^\n]*\n(?:\(\d+\) {3}[^\n]*\n)*?\(\d+\) {3}User-Name = "carol"/);
    assert.match(seen, /Session-Timeout = 600/);
    assert.match(seen, /Event-Timestamp = /);
  });

  it('`eaphost disconnect --radsec`: FreeRADIUS receives the Disconnect-Request over TLS and answers Disconnect-ACK', async () => {
    const from = freeradius.log().length;
    const run = await runMain(['disconnect', '--nas', `127.0.0.1:${freeradius.radsecCoaPort}`, ...radsecFlags(),
      '--calling-station-id', '02-00-00-00-00-07', '--timeout', '4000']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^Disconnect-ACK from 127\.0\.0\.1:\d+: the session of Calling-Station-Id "02-00-00-00-00-07" ended \(.*1 try\)$/);
    const seen = await freeradius.logUntil(from, /Sent Disconnect-ACK Id \d+/);
    assert.match(seen, /Received Disconnect-Request Id \d+/);
    assert.match(seen, /Calling-Station-Id = "02-00-00-00-00-07"/);
  });

  it('flags and options checked: --tries and tries > 1 refused over RadSec, a RadSec flag without --radsec refused', async () => {
    const nas = ['--nas', `127.0.0.1:${freeradius.radsecCoaPort}`, '--identity', 'carol'];
    const tries = await runMain(['coa', ...nas, ...radsecFlags(), '--tries', '2']);
    assert.equal(tries.code, 2, tries.stderr);
    assert.match(tries.stderr, /--tries applies over UDP: over RadSec a request is never sent again on its connection/);
    const alone = await runMain(['disconnect', ...nas, '--secret', 'x', '--radsec-ca', pki.files.ca]);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /--radsec-ca applies with --radsec only/);
    const client = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca });
    try {
      await assert.rejects(coaRequest({ host: '127.0.0.1', port: freeradius.radsecCoaPort!, secret: RADSEC_SECRET },
        { session: { userName: 'carol' } }, { client, tries: 2 }), /over RadSec a CoA-Request is sent once \(RFC 6613 §2\.6\.1\): tries must be 1, not 2/);
    } finally {
      await client.close();
    }
  });

  it('a client certificate from another CA: FreeRADIUS refuses it, a typed refused handshake', async () => {
    const strangerKey = join(pki.dir, 'other.key');
    const from = freeradius.log().length;
    const run = await runMain(['coa', '--nas', `127.0.0.1:${freeradius.radsecCoaPort}`,
      ...radsecFlags(pki.files.otherCa, strangerKey, undefined), '--identity', 'carol', '--timeout', '4000']);
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /refused the handshake by closing the connection, without an alert, once it had our client certificate/);
    // FreeRADIUS's reason: the chain does not reach its CA.
    await freeradius.logUntil(from, /unknown ca|certificate verify failed/i);

    const stranger = new RadSecClient({ cert: pki.otherCa, key: readFileSync(strangerKey),
      ca: pki.ca, serverName: SERVER_NAME, timeoutMs: 4000 });
    try {
      await assert.rejects(coaRequest({ host: '127.0.0.1', port: freeradius.radsecCoaPort!, secret: RADSEC_SECRET },
        { session: { userName: 'carol' } }, { client: stranger }), (error: unknown) => error instanceof RadSecHandshakeRefusedError &&
        error.code === 'ERR_RADSEC_HANDSHAKE_REFUSED' && !error.afterHandshake && error.alert === undefined);
    } finally {
      await stranger.close();
    }
  });

  it('`serve --radsec` takes no CoA on its authentication listener: a Protocol-Error (406) over TLS and over DTLS, each said at once', async () => {
    const users = join(pki.dir, 'das-radsec-users.json');
    writeFileSync(users, '{}');
    const serve = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--radsec', '--radsec-cert', pki.files.serverCert,
      '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
    try {
      for (const transport of ['tls', 'dtls']) {
        // Each transport's default secret ("radsec", "radius/dtls"), as serve holds them: the Protocol-Error verifies under it.
        const run = await runMain(['disconnect', '--nas', `127.0.0.1:${serve.port}`, ...radsecFlags(), '--radsec-transport', transport,
          '--identity', 'carol', '--timeout', '4000', '--json']);
        assert.equal(run.code, 3, `${transport}: ${run.stdout}\n${run.stderr}`);
        const report = JSON.parse(run.stdout);
        assert.equal(report.mode, 'radsec');
        assert.match(report.reason, /answered with a Protocol-Error \(RFC 7930\), its final answer: Error-Cause 406 \(Unsupported Extension\)/);
      }
    } finally {
      await serve.stop();
    }
  });

  it('radsecproxy 1.9.2 takes the connection and drops the CoA-Request: the timeout says whether it still answers Status-Server', async () => {
    const client = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 2000 });
    const endpoint = { host: '127.0.0.1', port: proxy.port, secret: RADSEC_SECRET };
    try {
      // Without a Message-Authenticator it reads the request, takes no CoA, and goes on serving the connection.
      let from = proxy.log().length;
      await assert.rejects(coaRequest(endpoint, { session: { userName: 'carol' } }, { client, messageAuthenticator: false }),
        (error: unknown) => error instanceof RadSecUnansweredError && error.code === 'ERR_RADIUS_TIMEOUT' &&
          error.statusServer === 'answered' && /takes RadSec but drops CoA-Requests/.test(error.message));
      await proxy.logUntil(from, /radsrv: code 43, id \d+\n(?:[^\n]*\n)*?[^\n]*accepts only access-requests, accounting-requests and status-server, ignoring/);
      assert.match(await proxy.logUntil(from, /Access-Accept \(response to Status-Server\)/), /Access-Accept \(response to Status-Server\)/);

      // With one (RFC 5176 §3.3, computed over a zero Request Authenticator), radsecproxy checks it as an
      // Access-Request's, fails it and stops reading the connection: the Status-Server after goes unanswered.
      from = proxy.log().length;
      const run = await runMain(['coa', '--nas', `127.0.0.1:${proxy.port}`, ...radsecFlags(), '--identity', 'carol', '--timeout', '1500']);
      assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /^no answer to the CoA-Request from NAS 127\.0\.0\.1:\d+ over RadSec in \d+ ms; a Status-Server sent on the same connection went unanswered too/);
      await proxy.logUntil(from, /message authentication\/validation failed, closing connection/);
    } finally {
      await client.close();
    }
  });
});
