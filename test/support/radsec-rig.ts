/**
 * What the RadSec test files share: the interop PKI, an embedded EAP-MD5 authenticator that knows
 * one user, and the servers a test starts, each closed after it. Made in a describe(): the mocha
 * hooks that fill and empty it are registered there.
 */
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import type { RadSecClient } from '../../lib/radius';
import { RadiusAttributeType } from '../../lib/radius/constants';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import type { RadSecPskClient } from '../../lib/radius/radsec/psk';
import { InteropPki, makeInteropPki } from './interop-pki';

export class RadSecRig {
  pki!: InteropPki;
  authenticator!: Authenticator;
  readonly servers: RadiusServer[] = [];

  constructor(private readonly user: { identity: string; password: string }) {
    before(async () => {
      this.pki = await makeInteropPki();
      this.authenticator = await createAuthenticator({ methods: ['md5'], users: { [user.identity]: { password: user.password } } });
    });
    afterEach(async () => {
      for (const server of this.servers.splice(0)) await server.close();
    });
    after(async () => {
      await this.authenticator?.close();
      this.pki?.remove();
    });
  }

  /** A RadSec server on loopback taking PAP and these PSK clients (and the PKI's certificate
   *  clients unless `certificates` is false), over DTLS too when asked; its port. The secret is
   *  "radsec" on both transports. */
  async servePsk(psk: RadSecPskClient[], certificates = true, dtls = false): Promise<number> {
    const server = new RadiusServer({
      host: '127.0.0.1', port: 0, authenticator: this.authenticator, pap: true, secret: RADSEC_SECRET,
      radsec: { ...(certificates ? { cert: this.pki.serverCert, key: this.pki.serverKey, ca: this.pki.ca } : {}), psk, dtls },
    });
    this.servers.push(server);
    return (await server.listen()).port;
  }

  /** A RadSec server on loopback (RADIUS/DTLS too with `dtls`) taking PAP and remembering its
   *  sessions, the PKI's certificates both ends: reverse CoA's server, or a proxy's home. */
  async serveSessions(dtls = false): Promise<{ server: RadiusServer; port: number }> {
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator: this.authenticator, pap: true, sessions: true,
      radsec: { cert: this.pki.serverCert, key: this.pki.serverKey, ca: this.pki.ca, dtls } });
    this.servers.push(server);
    return { server, port: (await server.listen()).port };
  }

  /** The user's PAP Access-Request over `client` to 127.0.0.1:`port`: the reply's code (the client closed after). */
  async papOver(client: RadSecClient, port: number, password = this.user.password): Promise<number> {
    try {
      const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from(this.user.identity) }], { userPassword: Buffer.from(password) });
      return reply.code;
    } finally {
      await client.close();
    }
  }
}
