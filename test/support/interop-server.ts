import { InteropPki, makeInteropPki } from './interop-pki';

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
 * Mocha hooks in the calling describe: before its tests, makes the PKI and starts the server with
 * `start`; after them, stops the server and removes the PKI. `pki` and `server` are read inside
 * tests only (before the hook has run they throw).
 */
export function interopServer<Server extends { stop(): Promise<void> }>(
  start: (certificates: ServerCertificates, pki: InteropPki) => Promise<Server>,
): { readonly pki: InteropPki; readonly server: Server } {
  let pki: InteropPki | undefined;
  let server: Server | undefined;
  before(async () => {
    pki = await makeInteropPki();
    server = await start(serverCertificates(pki), pki);
  });
  after(async () => {
    await server?.stop();
    pki?.remove();
  });
  return {
    get pki(): InteropPki {
      if (pki === undefined) throw new Error('the interop PKI is made in the describe\'s before hook');
      return pki;
    },
    get server(): Server {
      if (server === undefined) throw new Error('the interop server is started in the describe\'s before hook');
      return server;
    },
  };
}
