import type { HostapdUser } from './hostapd';
import { CLIENT_IDENTITY, InteropPki, makeInteropPki } from './interop-pki';

/**
 * The set-up the interop tests share: a fresh interop PKI, and a real RADIUS server (FreeRADIUS,
 * hostapd) started with its server certificate, for the tests of the enclosing describe.
 */

/** The server certificate files of an interop PKI, as the FreeRADIUS and hostapd launchers take them. */
export interface ServerCertificates { ca: string; serverCert: string; serverKey: string }

export function serverCertificates(pki: InteropPki): ServerCertificates {
  return { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey };
}

/**
 * Mocha hooks in the calling describe: before its tests, starts the server with `start`; after
 * them, stops it. `server` is read inside tests only (before the hook has run it throws).
 */
export function realServer<Server extends { stop(): Promise<void> }>(start: () => Promise<Server>): { readonly server: Server } {
  let server: Server | undefined;
  before(async () => {
    server = await start();
  });
  after(async () => {
    await server?.stop();
  });
  return {
    get server(): Server {
      if (server === undefined) throw new Error('the server is started in the describe\'s before hook');
      return server;
    },
  };
}

/** As realServer, with a fresh interop PKI made first and removed after: `start` gets its server certificate. */
export function interopServer<Server extends { stop(): Promise<void> }>(
  start: (certificates: ServerCertificates, pki: InteropPki) => Promise<Server>,
): { readonly pki: InteropPki; readonly server: Server } {
  let pki: InteropPki | undefined;
  const running = realServer(async () => {
    pki = await makeInteropPki();
    return start(serverCertificates(pki), pki);
  });
  after(() => pki?.remove());  // after realServer's hook: the server stops first
  return {
    get pki(): InteropPki {
      if (pki === undefined) throw new Error('the interop PKI is made in the describe\'s before hook');
      return pki;
    },
    get server(): Server {
      return running.server;
    },
  };
}

/** hostapd's users for every TLS method: `user` for PEAP and TTLS with each inner method, and the EAP-TLS client. */
export function hostapdTlsUsers(user: { identity: string; password: string }): HostapdUser[] {
  return [
    { ...user, methods: ['PEAP', 'TTLS'], phase2: ['MSCHAPV2', 'TTLS-PAP', 'TTLS-MSCHAPV2'] },
    { identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] },
  ];
}
