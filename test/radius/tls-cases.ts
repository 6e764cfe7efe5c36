/**
 * The accepted cases every TLS-method interop suite runs (FreeRADIUS, hostapd, TLS 1.2 and 1.3),
 * one body each, so that the suites list the same cases side by side. The truth is the server's:
 * its verdict, and the MS-MPPE keys it releases, which must equal our MSK (assertTlsKeysFromServer).
 */
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

/**
 * Our peer with `method` (EAP-TLS with the interop client certificate; PEAP and TTLS with the
 * server's user) and `extra` over the server's trust, through our RADIUS client: Access-Accept,
 * and MSK = the MPPE keys the server released (the EMSK too unless `checkEmsk` is false).
 */
export async function assertAcceptedWithKeys(server: TlsServerUnderTest, method: keyof typeof EAP_TYPES,
  extra: TlsPeerOptions = {}, { checkEmsk = true }: { checkEmsk?: boolean } = {}): Promise<void> {
  const result = method === 'tls'
    ? await authenticateOverRadius(server.endpoint(), CLIENT_IDENTITY, '',
      { method, tls: { ...server.trust(), ...clientCertificate(server.pki()), ...extra } })
    : await authenticateOverRadius(server.endpoint(), server.user.identity, server.user.password,
      { method, tls: { ...server.trust(), ...extra } });
  assertTlsKeysFromServer(result, EAP_TYPES[method], () => `${method} ${JSON.stringify(extra)}\n${server.log()}`,
    { checkEmsk });
}
