import { strict as assert } from 'node:assert';
import { authenticate, createAuthenticator, openEapHost } from '../../lib';
import { startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, clientCertificate, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';

/**
 * Session resumption by our peer: within one EapHost it keeps the TLS session it had with a
 * server and offers it the next time. The truth is the server's: hostapd resumes only a session
 * it knows, answers PEAP on a resumed session with MS-PEAP fast reconnect (no phase 2), and
 * releases MPPE keys that must equal the MSK our peer derived after resuming. Each case makes
 * its own certificates, so no session kept by another test can be offered.
 */

const SECRET = 'peer-resumption-secret';
const USER = { identity: 'petra', password: 'petra pa55' };
type AuthenticatorOptions = Parameters<typeof createAuthenticator>[0];
type SessionOptions = Parameters<Awaited<ReturnType<typeof openEapHost>>['beginSession']>[0];

/**
 * Two authentications of one peer configuration against one in-process authenticator, within one
 * EapHost (where the peer keeps its sessions); each must succeed with the authenticator's MPPE
 * keys equal to the peer's MSK. Gives whether each one resumed.
 */
async function resumedFlagsOfTwoRuns(authenticatorOptions: AuthenticatorOptions, sessionOptions: SessionOptions): Promise<(boolean | undefined)[]> {
  const host = await openEapHost();
  const authenticator = await createAuthenticator(authenticatorOptions);
  try {
    const runs: (boolean | undefined)[] = [];
    for (let run = 0; run < 2; ++run) {
      const session = await host.beginSession(sessionOptions);
      try {
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        assert.equal(result.success, true, result.reason);
        assert.equal(result.mppeKeysMatch, true);
        runs.push(result.resumed);
      } finally {
        await session.endSession();
      }
    }
    return runs;
  } finally {
    await authenticator.close();
    await host.close();
  }
}

for (const version of ['1.2', '1.3'] as const) {
  const tls = { min: version, max: version };

  describe(`our peer resumes against hostapd over TLS ${version}`, function () {
    this.timeout(60_000);

    const fixture = interopServer((certificates) => startHostapd({
      secret: SECRET, tlsSessionLifetime: 3600, ...(version === '1.3' ? { tlsFlags: '[ENABLE-TLSv1.3]' } : {}),
      certificates,
      users: [
        { ...USER, methods: ['PEAP'], phase2: ['MSCHAPV2'] },
        { identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] },
      ],
    }));
    const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });

    // PEAP resumes TLS 1.2 sessions only: hostapd 2.10 drops the ticket record of a resumed
    // TLS 1.3 tunnel, so the peer keeps no TLS 1.3 session for the tunnel methods.
    const peapResumes = version === '1.2';
    it(`PEAP: ${peapResumes ? 'a full handshake, then a resumed one (fast reconnect)' : 'two full handshakes'}; MSK = the MPPE keys both times`, async () => {
      const runs = [];
      for (let run = 0; run < 2; ++run) {
        const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
          { method: 'peap', tls: { ca: fixture.pki.ca, serverName: SERVER_NAME, tls } });
        assertTlsKeysFromServer(result, 25, () => fixture.server.log(), { checkEmsk: false });
        runs.push(result);
      }
      assert.deepEqual(runs.map((r) => r.resumed), [false, peapResumes], fixture.server.log().slice(-4000));
      assert.notDeepEqual(runs[0].msk, runs[1].msk, 'each session has keys of its own');
      // Fast reconnect: no inner MSCHAPv2 exchange, so fewer round trips.
      if (peapResumes) assert.ok(runs[1].roundTrips < runs[0].roundTrips, `${runs[0].roundTrips} then ${runs[1].roundTrips} round trips`);
    });

    it('EAP-TLS: a full handshake, then a resumed one; MSK = the MPPE keys both times', async () => {
      const runs = [];
      for (let run = 0; run < 2; ++run) {
        const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', {
          method: 'tls',
          tls: { ca: fixture.pki.ca, serverName: SERVER_NAME, tls, ...clientCertificate(fixture.pki) },
        });
        assertTlsKeysFromServer(result, 13, () => fixture.server.log());
        runs.push(result);
      }
      assert.deepEqual(runs.map((r) => r.resumed), [false, true], fixture.server.log().slice(-4000));
      assert.notDeepEqual(runs[0].msk, runs[1].msk, 'a resumed session has keys of its own');
    });

    it('a session is offered only to the server it was made with: another server name means a full handshake', async () => {
      const first = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
        { method: 'peap', tls: { ca: fixture.pki.ca, serverName: SERVER_NAME, tls } });
      assert.equal(first.success, true, first.reason);
      // The same server under a configuration that also accepts another name is another trust
      // configuration: nothing kept under the first is offered.
      const other = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
        { method: 'peap', tls: { ca: fixture.pki.ca, serverName: [SERVER_NAME, 'other.interop.invalid'], tls } });
      assertTlsKeysFromServer(other, 25, () => fixture.server.log(), { checkEmsk: false });
      assert.equal(other.resumed, false);
    });
  });

  describe(`our peer resumes against our own authenticator in process, TLS ${version}`, function () {
    this.timeout(60_000);

    for (const method of ['peap', 'tls', 'ttls'] as const) {
      const resumes = version === '1.2' || method === 'tls';
      it(`${method}: the second authentication ${resumes ? 'resumes' : 'runs a full handshake (TLS 1.3 tunnel)'}; the authenticator's MPPE keys equal the MSK`, async () => {
        const pki = await makeInteropPki();
        try {
          const runs = await resumedFlagsOfTwoRuns({
            methods: [method], users: { [USER.identity]: { password: USER.password }, [CLIENT_IDENTITY]: { password: 'unused' } },
            cert: pki.serverCert, key: pki.serverKey, tls, ...(method === 'tls' ? { ca: pki.ca } : {}),
            ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}),
          }, method === 'tls'
            ? { method, identity: CLIENT_IDENTITY, ca: pki.ca, serverName: SERVER_NAME, tls, ...clientCertificate(pki) }
            : { method, identity: USER.identity, password: USER.password, ca: pki.ca, serverName: SERVER_NAME, tls,
              ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}) });
          assert.deepEqual(runs, [false, resumes]);
        } finally {
          pki.remove();
        }
      });
    }
  });
}

describe('tlsSessionLifetime: 0 on our authenticator turns resumption off', function () {
  this.timeout(60_000);

  it('EAP-TLS twice in one EapHost: two full handshakes, keys right both times', async () => {
    const pki = await makeInteropPki();
    try {
      const runs = await resumedFlagsOfTwoRuns(
        { methods: ['tls'], users: {}, cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, tlsSessionLifetime: 0 },
        { method: 'tls', identity: CLIENT_IDENTITY, ca: pki.ca, serverName: SERVER_NAME, ...clientCertificate(pki) });
      assert.deepEqual(runs, [false, false]);
    } finally {
      pki.remove();
    }
  });

  it('a lifetime outside 0..604800 seconds is a RangeError', async () => {
    for (const tlsSessionLifetime of [-1, 1.5, 604_801]) {
      await assert.rejects(createAuthenticator({ methods: ['peap'], users: {}, tlsSessionLifetime }), RangeError);
    }
  });
});
