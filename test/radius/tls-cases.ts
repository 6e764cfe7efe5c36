/**
 * The accepted cases every TLS-method interop suite runs (FreeRADIUS, hostapd, TLS 1.2 and 1.3),
 * one body each, so that the suites list the same cases side by side. The truth is the server's:
 * its verdict, and the MS-MPPE keys it releases, which must equal our MSK (assertTlsKeysFromServer).
 */
import { strict as assert } from 'node:assert';
import { CLIENT_IDENTITY, clientCertificate, InteropPki, SERVER_NAME } from '../support/interop-pki';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius, RadiusPeerOptions } from './peer';

type TlsPeerOptions = NonNullable<RadiusPeerOptions['tls']>;

/** A real RADIUS server of an interop suite, read lazily (it starts in the suite's before hook). */
export interface TlsServerUnderTest {
  endpoint(): { host: string; port: number; secret: string };
  pki(): InteropPki;
  log(): string;
  /** What our peer trusts this server by (its CA, its name) and the TLS versions it allows. */
  trust(): TlsPeerOptions;
  /** The user the server holds by password (PEAP, TTLS); EAP-TLS uses the client certificate. */
  user: { identity: string; password: string };
}

/** The server of an interopServer fixture; `tls` bounds the versions our peer offers. */
export function tlsServerUnderTest(fixture: { readonly pki: InteropPki; readonly server: { host: string; port: number; log(): string } },
  secret: string, user: { identity: string; password: string }, tls?: TlsPeerOptions['tls']): TlsServerUnderTest {
  return {
    endpoint: () => ({ host: fixture.server.host, port: fixture.server.port, secret }),
    pki: () => fixture.pki,
    log: () => fixture.server.log(),
    trust: () => ({ ca: fixture.pki.ca, serverName: SERVER_NAME, ...(tls ? { tls } : {}) }),
    user,
  };
}

const EAP_TYPES = { tls: 13, ttls: 21, peap: 25 } as const;

const EAP_KEY_NAME = 102;

/**
 * Our peer with `method` (EAP-TLS with the interop client certificate; PEAP and TTLS with the
 * server's user) and `extra` over the server's trust, through our RADIUS client: Access-Accept,
 * and MSK = the MPPE keys the server released (the EMSK too unless `checkEmsk` is false). With
 * `keyName`, the requests carry an EAP-Key-Name of one NUL (RFC 4072 §6.1 asks so), and the
 * server's EAP-Key-Name, its Session-Id, must equal ours.
 */
export async function assertAcceptedWithKeys(server: TlsServerUnderTest, method: keyof typeof EAP_TYPES,
  extra: TlsPeerOptions = {}, { checkEmsk = true, keyName = false }: { checkEmsk?: boolean; keyName?: boolean } = {}): Promise<void> {
  const attributes = keyName ? [{ type: EAP_KEY_NAME, value: Buffer.from([0]) }] : undefined;
  const result = method === 'tls'
    ? await authenticateOverRadius(server.endpoint(), CLIENT_IDENTITY, '',
      { method, attributes, tls: { ...server.trust(), ...clientCertificate(server.pki()), ...extra } })
    : await authenticateOverRadius(server.endpoint(), server.user.identity, server.user.password,
      { method, attributes, tls: { ...server.trust(), ...extra } });
  const log = () => `${method} ${JSON.stringify(extra)}\n${server.log()}`;
  assertTlsKeysFromServer(result, EAP_TYPES[method], log, { checkEmsk });
  if (keyName) {
    const theirs = result.verdictAttributes.find((a) => a.type === EAP_KEY_NAME)?.value;
    assert.equal(theirs?.toString('hex'), result.sessionId?.toString('hex'), `EAP-Key-Name = our Session-Id\n${log().slice(-3000)}`);
  }
}
