import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, createAuthenticator, EapHost, openEapHost, UserRecord } from '../../lib';
import type { TransportAttribute } from '../../lib/core/transport';
import { encodeConnectionData, peerConnectionData } from '../../lib/core/connection-data';
import { RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { runEapolTest, EapolTestResult } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { makeTempDir, runProgram } from '../support/programs';
import { assertTlsKeysFromServer, RadiusOutcome } from '../support/tls-keys';

/**
 * MS-PEAP fast reconnect on our authenticator: a peer that resumes a TLS 1.2 session whose phase
 * 2 succeeded skips phase 2; any other resumed session runs it in full. The truth is the peers':
 * wpa_supplicant's eapol_test (-r 1) logs its inner EAP-MSCHAPV2 exchanges and whether each
 * handshake resumed, and counts the runs whose MSK equals the MS-MPPE keys our server released
 * ("MPPE keys OK"); our own peer (one EapHost keeps its session per server) reports its round
 * trips, and its MSK is compared with the server's MPPE keys.
 */

const SECRET = 'fast-reconnect-secret';
const RITA = { identity: 'rita', password: 'rita pa55' };
const TLS12_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=0 tls_disable_tlsv1_3=1';
const TLS13_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';

/** eapol_test's log split at its first resumed handshake: the first run, and the runs after. */
function splitAtResumption(run: EapolTestResult): { first: string; resumed: string } {
  const at = run.stdout.search(/Handshake finished - resumed=1/);
  assert.ok(at >= 0, `a handshake resumed\n${run.stdout.slice(-4000)}`);
  return { first: run.stdout.slice(0, at), resumed: run.stdout.slice(at) };
}

const MSCHAPV2 = /EAP-MSCHAPV2: /;
const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

describe('MS-PEAP fast reconnect by `eaphost serve`, judged by eapol_test -r 1', function () {
  this.timeout(120_000);

  async function serveAndRun(serveArgs: string[], password: string, phase1: string, method: 'peap' | 'ttls' = 'peap')
    : Promise<{ run: EapolTestResult; log: string }> {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-fast-reconnect');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ [RITA.identity]: { password: RITA.password } }));
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--log', '--methods', method,
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, ...serveArgs]);
    const port = serve.port;
    try {
      const run = await runEapolTest({ host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 10, reauthentications: 1, phase1, method: method === 'peap' ? 'PEAP' : 'TTLS', identity: RITA.identity,
        password, phase2: method === 'peap' ? 'auth=MSCHAPV2' : 'auth=PAP' });
      // One line per conversation eapol_test finished (a first one and its reauthentication).
      const finished = (run.stdout.match(/CTRL-EVENT-EAP-(SUCCESS|FAILURE)/g) ?? []).length;
      return { run, log: await serve.logged(new RegExp(`method=${method}\\b.*outcome=`), finished) };
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      dir.remove();
      pki.remove();
    }
  }

  /** serve's --log lines: outcome and resumed, per conversation. */
  function logged(log: string, method = 'peap'): string[] {
    return [...log.matchAll(new RegExp(`method=${method}\\b.*outcome=(\\w+).*resumed=(yes|no|n/a)`, 'g'))]
      .map((m) => `${m[1]} resumed=${m[2]}`);
  }

  it('TLS 1.2: the second run resumes and skips phase 2 (no MSCHAPV2), MPPE keys OK: 2', async () => {
    const { run, log } = await serveAndRun([], RITA.password, TLS12_ONLY);
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, true, context);
    assert.equal(run.mppeKeysOk, 2, context);
    assert.equal(run.mppeKeysMismatch, 0, context);
    const { first, resumed } = splitAtResumption(run);
    assert.match(first, MSCHAPV2, 'the first run authenticates with MSCHAPv2 inside the tunnel');
    assert.doesNotMatch(resumed, MSCHAPV2, `the resumed run skips phase 2\n${resumed.slice(-4000)}`);
    assert.doesNotMatch(resumed, /Phase 2 Request: type=26/, 'no inner EAP-MSCHAPv2 request');
    assert.match(resumed, /EAP-TLV: TLV Result - Success/, 'the server sent the success Result TLV at once');
    assert.deepEqual(logged(log), ['accept resumed=no', 'accept resumed=yes'], log.slice(-2000));
  });

  it('--no-fast-reconnect: the TLS 1.2 session resumes and phase 2 runs again, MPPE keys OK: 2', async () => {
    const { run, log } = await serveAndRun(['--no-fast-reconnect'], RITA.password, TLS12_ONLY);
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, true, context);
    assert.equal(run.mppeKeysOk, 2, context);
    const { first, resumed } = splitAtResumption(run);
    assert.match(first, MSCHAPV2);
    assert.match(resumed, MSCHAPV2, 'phase 2 runs on the resumed session');
    assert.deepEqual(logged(log), ['accept resumed=no', 'accept resumed=yes'], log.slice(-2000));
  });

  it('TLS 1.3: the session resumes and phase 2 runs in full (tickets carry no proof of it), MPPE keys OK: 2', async () => {
    const { run, log } = await serveAndRun([], RITA.password, TLS13_ONLY);
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, true, context);
    assert.equal(run.mppeKeysOk, 2, context);
    assert.match(run.stdout, /TLSv1\.3/);
    const { resumed } = splitAtResumption(run);
    assert.match(resumed, MSCHAPV2, 'phase 2 runs on the resumed TLS 1.3 session');
    assert.deepEqual(logged(log), ['accept resumed=no', 'accept resumed=yes'], log.slice(-2000));
  });

  it('EAP-TTLS (PAP) over TLS 1.2: eapol_test skips phase 2 on the resumed session and our server ends it, MPPE keys OK: 2', async () => {
    // wpa_supplicant's TTLS peer skips phase 2 on any resumed session (as hostapd's server
    // expects): a server that insists on phase 2 fails the resumed run.
    const { run, log } = await serveAndRun([], RITA.password, TLS12_ONLY, 'ttls');
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, true, context);
    assert.equal(run.mppeKeysOk, 2, context);
    assert.equal(run.mppeKeysMismatch, 0, context);
    const { resumed } = splitAtResumption(run);
    assert.match(resumed, /EAP-TTLS: fast reauth - may skip Phase 2/, context);
    assert.deepEqual(logged(log, 'ttls'), ['accept resumed=no', 'accept resumed=yes'], log.slice(-2000));
  });

  it('EAP-TTLS with --no-fast-reconnect: no session is kept, both runs are full handshakes, MPPE keys OK: 2', async () => {
    const { run, log } = await serveAndRun(['--no-fast-reconnect'], RITA.password, TLS12_ONLY, 'ttls');
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, true, context);
    assert.equal(run.mppeKeysOk, 2, context);
    const handshakes = [...run.stdout.matchAll(/Handshake finished - resumed=(\d)/g)].map((m) => m[1]).join('');
    assert.match(handshakes, /^0+$/, `no handshake resumed\n${context}`);
    assert.deepEqual(logged(log, 'ttls'), ['accept resumed=no', 'accept resumed=no'], log.slice(-2000));
  });

  it('EAP-TTLS, a wrong password: the run fails and no session is resumed', async () => {
    const { run, log } = await serveAndRun([], 'not rita pa55', TLS12_ONLY, 'ttls');
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, false, context);
    assert.doesNotMatch(run.stdout, /Handshake finished - resumed=1/, context);
    assert.deepEqual(logged(log, 'ttls'), ['reject resumed=n/a'], context);
  });

  it('a wrong password: the first run fails, and eapol_test gets no success from a resumption', async () => {
    // eapol_test stops at the first failure (its -r 1 run never starts): what must hold is that
    // no conversation succeeded and no key was released. Our own peer tries the resumption below.
    const { run, log } = await serveAndRun([], 'not rita pa55', TLS12_ONLY);
    const context = `${run.stdout.slice(-4000)}\n${log.slice(-2000)}`;
    assert.equal(run.success, false, context);
    assert.match(run.stdout, /EAP: Received EAP-Failure/, context);
    assert.doesNotMatch(run.stdout, /Handshake finished - resumed=1/, context);
    assert.deepEqual(logged(log), ['reject resumed=n/a'], context);
  });
});

describe('MS-PEAP fast reconnect by createAuthenticator, judged by our own peer', function () {
  this.timeout(60_000);

  type Run = (password: string, maxRoundTrips?: number) => Promise<RadiusOutcome>;

  /** A RadiusServer in front of a PEAP authenticator whose store records every lookup, and a
   *  run of our peer against it; every run of a case shares one EapHost, so it may resume. */
  async function withServer(options: { requireCryptoBinding?: boolean; fastReconnect?: boolean },
    body: (run: Run, users: Map<string, UserRecord>, lookups: string[], log: () => string) => Promise<void>): Promise<void> {
    const pki = await makeInteropPki();  // certificates of its own: no session kept by another case applies
    const users = new Map<string, UserRecord>([[RITA.identity, { password: RITA.password }]]);
    const lookups: string[] = [];
    const authenticator = await createAuthenticator({
      methods: ['peap'], cert: pki.serverCert, key: pki.serverKey, tls: { min: '1.2', max: '1.2' }, ...options,
      users: { lookup: (identity: string) => { lookups.push(identity); return users.get(identity); } },
    });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: authenticator });
    const { port } = await server.listen();
    const host: EapHost = await openEapHost();
    const log: string[] = [];
    const run: Run = async (password, maxRoundTrips) => {
      const session = await host.beginSession({ method: 'peap', identity: RITA.identity, password, anonymousIdentity: 'anonymous',
        ca: pki.ca, serverName: SERVER_NAME, tls: { min: '1.2', max: '1.2' },
        ...(options.requireCryptoBinding ? { requireCryptoBinding: true } : {}) });
      let verdictAttributes: TransportAttribute[] = [];
      const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 3000, tries: 3 });
      const respond = transport.respond.bind(transport);
      transport.respond = async (response, respondOptions) => {
        const reply = await respond(response, respondOptions);
        if (reply.kind !== 'request') verdictAttributes = (reply.attributes ?? []).map((a) => ({ type: a.type, value: Buffer.from(a.value) }));
        return reply;
      };
      const result = { ...await authenticate({ session, transport, maxRoundTrips }), verdictAttributes };
      log.push(`${result.success} resumed=${result.resumed} trips=${result.roundTrips} ${result.reason ?? ''}`);
      return result;
    };
    try {
      await body(run, users, lookups, () => log.join('\n'));
    } finally {
      await host.close();
      await server.close();
      await authenticator.close();
      pki.remove();
    }
  }

  it('a failed phase 2 never resumes into success: the next run runs phase 2 in full, then fast reconnect', async () => {
    await withServer({}, async (run, _users, lookups, log) => {
      const failed = await run('not rita pa55');
      assert.equal(failed.success, false, log());
      // The peer offers the session it kept from the failed run: still the wrong password, still a failure.
      const again = await run('not rita pa55');
      assert.equal(again.success, false, log());
      const full = await run(RITA.password);
      assert.equal(full.success, true, `${full.reason}\n${log()}`);
      assert.equal(full.resumed, false, `the failed conversation's session was dropped\n${log()}`);
      assert.deepEqual(lookups, [RITA.identity, RITA.identity, RITA.identity], 'MSCHAPv2 asked the store every time');
      const reconnected = await run(RITA.password);
      assertTlsKeysFromServer(reconnected, 25, log, { checkEmsk: false });
      assert.equal(reconnected.resumed, true, log());
      assert.ok(reconnected.roundTrips < full.roundTrips, `phase 2 skipped\n${log()}`);
      // The store is asked about the identity phase 2 authenticated, not the outer one.
      assert.deepEqual(lookups, [RITA.identity, RITA.identity, RITA.identity, RITA.identity]);
    });
  });

  it('a user the store no longer knows cannot fast-reconnect', async () => {
    await withServer({}, async (run, users, _lookups, log) => {
      assert.equal((await run(RITA.password)).success, true, log());
      users.delete(RITA.identity);
      const gone = await run(RITA.password);
      assert.equal(gone.success, false, log());
    });
  });

  it('a password changed in the store since phase 2: the resumed session runs phase 2 against the new one', async () => {
    await withServer({}, async (run, users, _lookups, log) => {
      const full = await run(RITA.password);
      assert.equal(full.success, true, log());
      users.set(RITA.identity, { password: 'rita n3w' });
      // The session proves the old password only: phase 2 runs, and the old password fails it.
      const stale = await run(RITA.password);
      assert.equal(stale.success, false, log());
      const fresh = await run('rita n3w');
      assertTlsKeysFromServer(fresh, 25, log, { checkEmsk: false });
      assert.equal(fresh.resumed, false, `the failed conversation's session was dropped\n${log()}`);
      const reconnected = await run('rita n3w');
      assertTlsKeysFromServer(reconnected, 25, log, { checkEmsk: false });
      assert.equal(reconnected.resumed, true, log());
      assert.ok(reconnected.roundTrips < fresh.roundTrips - 2, log());
    });
  });

  it('a phase 2 that never finished: the resumed session runs phase 2 in full', async () => {
    await withServer({}, async (run, _users, _lookups, log) => {
      // The peer gives up inside phase 2 (the tunnel is up: it keeps the session), so the
      // server's conversation never concludes.
      await assert.rejects(run(RITA.password, 6));
      const resumed = await run(RITA.password);
      assertTlsKeysFromServer(resumed, 25, log, { checkEmsk: false });
      assert.equal(resumed.resumed, true, log());
      const reconnected = await run(RITA.password);
      assertTlsKeysFromServer(reconnected, 25, log, { checkEmsk: false });
      assert.equal(reconnected.resumed, true, log());
      // The inner method's exchanges (Identity, MSCHAPv2 challenge and success) ran the first time only.
      assert.ok(resumed.roundTrips >= reconnected.roundTrips + 3, log());
    });
  });

  it('fastReconnect: false: the resumed session runs phase 2 in full', async () => {
    await withServer({ fastReconnect: false }, async (run, _users, lookups, log) => {
      const full = await run(RITA.password);
      const again = await run(RITA.password);
      assertTlsKeysFromServer(again, 25, log, { checkEmsk: false });
      assert.equal(again.resumed, true, log());
      // An abbreviated handshake saves one round trip; phase 2's all remain.
      assert.equal(again.roundTrips, full.roundTrips - 1, log());
      assert.deepEqual(lookups, [RITA.identity, RITA.identity]);
    });
  });

  it('EAP-TTLS from our own peer (AVPs right behind its Finished): phase 2 runs on the resumed session', async () => {
    // Our TTLS peer sends its phase-2 AVPs right behind its Finished, resumed or not: the server
    // answers them in full, and only a peer that sends none (wpa_supplicant's) skips phase 2.
    const pki = await makeInteropPki();
    const lookups: string[] = [];
    const authenticator = await createAuthenticator({
      methods: ['ttls'], phase2: 'pap', cert: pki.serverCert, key: pki.serverKey, tls: { min: '1.2', max: '1.2' },
      users: { lookup: (identity: string) => { lookups.push(identity); return identity === RITA.identity ? { password: RITA.password } : undefined; } },
    });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: authenticator });
    const { port } = await server.listen();
    const host = await openEapHost();
    try {
      const results = [];
      for (const password of [RITA.password, RITA.password, 'not rita pa55']) {
        const session = await host.beginSession({ method: 'ttls', phase2: 'pap', identity: RITA.identity, password,
          ca: pki.ca, serverName: SERVER_NAME, tls: { min: '1.2', max: '1.2' } });
        const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 3000, tries: 3 });
        results.push(await authenticate({ session, transport }));
      }
      assert.deepEqual(results.map((r) => [r.success, r.resumed]), [[true, false], [true, true], [false, undefined]]);
      assert.deepEqual(lookups, [RITA.identity, RITA.identity, RITA.identity], 'phase 2 asked the store every time');
    } finally {
      await host.close();
      await server.close();
      await authenticator.close();
      pki.remove();
    }
  });

  it('with cryptobinding: IPMK and CMK from the tunnel key, MSK = the MPPE keys on reconnect', async () => {
    await withServer({ requireCryptoBinding: true }, async (run, _users, _lookups, log) => {
      const full = await run(RITA.password);
      assertTlsKeysFromServer(full, 25, log, { checkEmsk: false });
      const reconnected = await run(RITA.password);
      assertTlsKeysFromServer(reconnected, 25, log, { checkEmsk: false });
      assert.equal(reconnected.resumed, true, log());
      assert.ok(reconnected.roundTrips < full.roundTrips, log());
      assert.notDeepEqual(reconnected.msk, full.msk);
    });
  });
});

describe('the fastReconnect setting', function () {
  this.timeout(60_000);

  it('serve --no-fast-reconnect without PEAP is a usage error that names it', async () => {
    const dir = makeTempDir('serve-no-fast-reconnect');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ [RITA.identity]: { password: RITA.password } }));
    try {
      const ran = await runProgram(process.execPath, [CLI, 'serve', '--secret', SECRET, '--users', usersFile, '--methods', 'md5',
        '--no-fast-reconnect', '--port', '0']);
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /--no-fast-reconnect apply to the TLS methods/);
    } finally {
      dir.remove();
    }
  });

  it('false sets bit 3 of the flags (no TLV when on, the default); anything but a boolean is a TypeError', () => {
    const header = Buffer.from('eCFG\x01', 'latin1');
    assert.deepEqual(encodeConnectionData({ fastReconnect: false }),
      Buffer.concat([header, Buffer.from([3, 0, 0, 0, 4, 0, 0, 0, 8])]));
    assert.deepEqual(encodeConnectionData({ fastReconnect: true }), header);
    assert.throws(() => encodeConnectionData({ fastReconnect: 'no' as unknown as boolean }), TypeError);
  });

  it('is the PEAP and EAP-TTLS authenticator\'s: a peer option or another method is a TypeError', async () => {
    assert.throws(() => peerConnectionData('peap', { insecure: true, fastReconnect: false }), /fastReconnect/);
    await assert.rejects(createAuthenticator({ methods: ['tls', 'md5'], users: {}, fastReconnect: false }),
      (error: Error) => error instanceof TypeError && /fastReconnect applies to PEAP and EAP-TTLS/.test(error.message));
  });
});
