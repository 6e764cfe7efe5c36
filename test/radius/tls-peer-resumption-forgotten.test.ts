import { strict as assert } from 'node:assert';
import { authenticateOverRadius } from './peer';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, hostapdTlsSetup, makeInteropPki } from '../support/interop-pki';
import { HOSTAPD_VERDICT, HostapdInstance, startHostapd } from '../support/hostapd';
import { authenticate, createAuthenticator, openEapHost } from '../../lib';

/**
 * Our peer offers the TLS session it kept for a server; a server that no longer knows it (a
 * restarted RADIUS server, another server behind the same name and certificate, a rotated ticket
 * key) runs a full handshake instead (TLS 1.2: a ServerHello with another Session ID; TLS 1.3:
 * the PSK not selected), and the peer must follow it, not fail. The truth is the server's: it
 * accepts the authentication (its MPPE keys equal our MSK) and, for the session it made itself,
 * resumes it the next time.
 */

const SECRET = 'peer-forgotten-secret';
const USER = { identity: 'fiona', password: 'fiona pa55' };

/** Our peer's session options for `method` against the servers here (TTLS with MSCHAPv2 inside). */
function peerOptions(pki: InteropPki, method: 'tls' | 'peap' | 'ttls', tls: { min: '1.2' | '1.3'; max: '1.2' | '1.3' }) {
  return method === 'tls'
    ? { method, identity: CLIENT_IDENTITY, ca: pki.ca, serverName: SERVER_NAME, tls, cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD }
    : { method, identity: USER.identity, password: USER.password, ca: pki.ca, serverName: SERVER_NAME, tls,
      ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}) };
}

for (const version of ['1.2', '1.3'] as const) {
  const tls = { min: version, max: version };

  describe(`our peer offers a kept session to a restarted hostapd, TLS ${version}`, function () {
    this.timeout(90_000);
    let pki: InteropPki;
    let server: HostapdInstance | undefined;
    const start = () => startHostapd({
      secret: SECRET, tlsSessionLifetime: 3600, ...(version === '1.3' ? { tlsFlags: '[ENABLE-TLSv1.3]' } : {}),
      ...hostapdTlsSetup(pki, USER, ['PEAP'], ['MSCHAPV2']),
    });

    beforeEach(async () => {
      pki = await makeInteropPki();
      server = await start();
    });
    afterEach(async () => {
      await server?.stop();
      pki?.remove();
    });

    const cases = {
      peap: { identity: USER.identity, password: USER.password, msk: 25, checkEmsk: false, tlsOptions: () => ({ ca: pki.ca, serverName: SERVER_NAME, tls }) },
      tls: {
        identity: CLIENT_IDENTITY, password: '', msk: 13, checkEmsk: true,
        tlsOptions: () => ({ ca: pki.ca, serverName: SERVER_NAME, tls, cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD }),
      },
    };
    for (const [method, c] of Object.entries(cases) as [keyof typeof cases, (typeof cases)[keyof typeof cases]][]) {
      // PEAP keeps no TLS 1.3 session (see tls-peer-resumption.test.ts): its second run is a
      // full handshake either way, and is still run so a kept session would show.
      const keeps = version === '1.2' || method === 'tls';
      it(`${method}: full handshake, hostapd restarted, a full handshake (session not known), then a resumed one`, async () => {
        const run = async () => {
          const endpoint = { host: server!.host, port: server!.port, secret: SECRET };
          const result = await authenticateOverRadius(endpoint, c.identity, c.password, { method, tls: c.tlsOptions() });
          assertTlsKeysFromServer(result, c.msk, () => server!.log(), { checkEmsk: c.checkEmsk });
          return result;
        };
        const first = await run();
        await server!.stop();
        server = await start();
        const afterRestart = await run();
        const again = await run();
        assert.deepEqual([first.resumed, afterRestart.resumed, again.resumed], [false, false, keeps], server!.log().slice(-4000));
      });
    }
  });

  describe(`our peer offers a kept session to another authenticator with the same certificate, TLS ${version}`, function () {
    this.timeout(60_000);

    for (const method of ['peap', 'tls', 'ttls'] as const) {
      const keeps = version === '1.2' || method === 'tls';
      it(`${method}: the authenticator that never saw the session runs a full handshake and the peer follows; then it resumes its own`, async () => {
        const pki = await makeInteropPki();
        const host = await openEapHost();
        // Two authenticators with one certificate but their own ticket keys and session caches
        // (another lifetime is another configuration): the second knows nothing of the first's.
        const make = (tlsSessionLifetime: number) => createAuthenticator({
          methods: [method], users: { [USER.identity]: { password: USER.password } },
          cert: pki.serverCert, key: pki.serverKey, tls, tlsSessionLifetime, ...(method === 'tls' ? { ca: pki.ca } : {}),
          ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}),
        });
        const first = await make(3600);
        const second = await make(1800);
        try {
          const runs: (boolean | undefined)[] = [];
          for (const authenticator of [first, second, second]) {
            const session = await host.beginSession(peerOptions(pki, method, tls));
            try {
              const result = await authenticate({ session, transport: authenticator.createConversation() });
              assert.equal(result.success, true, `run ${runs.length + 1}: ${result.reason}`);
              assert.equal(result.mppeKeysMatch, true);
              runs.push(result.resumed);
            } finally {
              await session.endSession();
            }
          }
          assert.deepEqual(runs, [false, false, keeps]);
        } finally {
          await first.close();
          await second.close();
          await host.close();
          pki.remove();
        }
      });
    }
  });
}

describe('our peer and a server whose TLS versions changed since the session was kept', function () {
  this.timeout(90_000);
  const USERS = { [USER.identity]: { password: USER.password } };

  for (const method of ['tls', 'peap'] as const) {
    it(`${method}: a TLS 1.2 session offered with TLS 1.3 to our authenticator now allowing 1.3 is a full TLS 1.3 handshake, not a broken one`, async () => {
      const pki = await makeInteropPki();
      const host = await openEapHost();
      // One configuration but for tlsMax: the same certificate, ticket key and session cache.
      const make = (max: '1.2' | '1.3') => createAuthenticator({ methods: [method], users: USERS, cert: pki.serverCert, key: pki.serverKey,
        tls: { min: '1.2', max }, ...(method === 'tls' ? { ca: pki.ca } : {}) });
      const old = await make('1.2');
      const upgraded = await make('1.3');
      try {
        const runs: string[] = [];
        for (const authenticator of [old, old, upgraded, upgraded, upgraded]) {
          const session = await host.beginSession(peerOptions(pki, method, { min: '1.2', max: '1.3' }));
          try {
            const result = await authenticate({ session, transport: authenticator.createConversation() });
            assert.equal(result.success, true, `run ${runs.length + 1}: ${result.reason}`);
            assert.equal(result.mppeKeysMatch, true);
            runs.push(result.resumed ? 'resumed' : 'full');
          } finally {
            await session.endSession();
          }
        }
        // The TLS 1.3 session made while offering a TLS 1.2 one carries that one's Session ID,
        // so the peer does not keep it: one more full handshake, then EAP-TLS resumes. PEAP
        // keeps no TLS 1.3 session (see tls-peer-resumption.test.ts).
        assert.deepEqual(runs, ['full', 'resumed', 'full', 'full', method === 'tls' ? 'resumed' : 'full']);
      } finally {
        await old.close();
        await upgraded.close();
        await host.close();
        pki.remove();
      }
    });

    it(`${method}: two authenticators behind one name, one TLS 1.2-only and one TLS 1.3, taken in turns: every authentication succeeds`, async () => {
      const pki = await makeInteropPki();
      const host = await openEapHost();
      const make = (max: '1.2' | '1.3') => createAuthenticator({ methods: [method], users: USERS, cert: pki.serverCert, key: pki.serverKey,
        tls: { min: '1.2', max }, ...(method === 'tls' ? { ca: pki.ca } : {}) });
      const servers = { '1.2': await make('1.2'), '1.3': await make('1.3') };
      try {
        // Each switch offers a session of the other version (a TLS 1.2 Session ID inside a
        // TLS 1.3 ClientHello, a TLS 1.3 ticket to a TLS 1.2 server whose cache knows IDs).
        const order = ['1.2', '1.2', '1.3', '1.3', '1.2', '1.3', '1.2', '1.2', '1.3', '1.2'] as const;
        for (const [index, version] of order.entries()) {
          const session = await host.beginSession(peerOptions(pki, method, { min: '1.2', max: '1.3' }));
          try {
            const result = await authenticate({ session, transport: servers[version].createConversation() });
            assert.equal(result.success, true, `run ${index + 1} (TLS ${version}): ${result.reason}`);
            assert.equal(result.mppeKeysMatch, true);
          } finally {
            await session.endSession();
          }
        }
      } finally {
        await servers['1.2'].close();
        await servers['1.3'].close();
        await host.close();
        pki.remove();
      }
    });

    it(`${method}: a handshake that fails after offering the kept session drops it: the next one is a full handshake`, async () => {
      const pki = await makeInteropPki();
      const host = await openEapHost();
      const server = await createAuthenticator({ methods: [method], users: USERS, cert: pki.serverCert, key: pki.serverKey,
        tls: { min: '1.2', max: '1.2' }, ...(method === 'tls' ? { ca: pki.ca } : {}) });
      // Behind the same name and certificate, a server that speaks only TLS 1.3 to a peer that
      // allows only TLS 1.2: the handshake fails (protocol version).
      const refusing = await createAuthenticator({ methods: [method], users: USERS, cert: pki.serverCert, key: pki.serverKey,
        tls: { min: '1.3', max: '1.3' }, ...(method === 'tls' ? { ca: pki.ca } : {}) });
      try {
        const runs: string[] = [];
        for (const authenticator of [server, server, refusing, server]) {
          const session = await host.beginSession(peerOptions(pki, method, { min: '1.2', max: '1.2' }));
          try {
            const result = await authenticate({ session, transport: authenticator.createConversation() })
              .catch((error: Error) => ({ success: false, resumed: false, reason: error.message }));
            runs.push(result.success ? (result.resumed ? 'resumed' : 'full') : 'failed');
          } finally {
            await session.endSession();
          }
        }
        assert.deepEqual(runs, ['full', 'resumed', 'failed', 'full']);
      } finally {
        await server.close();
        await refusing.close();
        await host.close();
        pki.remove();
      }
    });
  }
});

describe('our peer and hostapd restarted with TLS 1.3 enabled', function () {
  this.timeout(90_000);

  for (const method of ['tls', 'peap'] as const) {
    it(`${method}: the TLS 1.2 session kept is offered, hostapd runs a full TLS 1.3 handshake, the peer follows`, async () => {
      const pki = await makeInteropPki();
      const start = (tls13: boolean) => startHostapd({
        secret: SECRET, tlsSessionLifetime: 3600, ...(tls13 ? { tlsFlags: '[ENABLE-TLSv1.3]' } : {}),
        ...hostapdTlsSetup(pki, USER, ['PEAP'], ['MSCHAPV2']),
      });
      let server = await start(false);
      try {
        const runs: string[] = [];
        let lastFrom = 0;
        for (const tls13 of [false, false, true]) {
          if (tls13 && runs.length === 2) {
            await server.stop();
            server = await start(true);
          }
          const from = server.log().length;
          const tls = { ca: pki.ca, serverName: SERVER_NAME, tls: { min: '1.2' as const, max: '1.3' as const },
            ...(method === 'tls' ? { cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD } : {}) };
          const result = await authenticateOverRadius({ host: server.host, port: server.port, secret: SECRET },
            method === 'tls' ? CLIENT_IDENTITY : USER.identity, method === 'tls' ? '' : USER.password, { method, tls });
          assertTlsKeysFromServer(result, method === 'tls' ? 13 : 25, () => server.log(), { checkEmsk: method === 'tls' });
          lastFrom = from;
          runs.push(result.resumed ? 'resumed' : 'full');
        }
        assert.deepEqual(runs, ['full', 'resumed', 'full'], server.log().slice(-4000));
        assert.match(await server.logUntil(lastFrom, HOSTAPD_VERDICT), /^SSL: Using TLS version TLSv1\.3$/m, 'the last handshake was TLS 1.3');
      } finally {
        await server.stop();
        pki.remove();
      }
    });
  }
});
