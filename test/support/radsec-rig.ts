/**
 * What the RadSec test files share: the interop PKI, an embedded EAP-MD5 authenticator that knows
 * one user, and the servers a test starts, each closed after it. Made in a describe(): the mocha
 * hooks that fill and empty it are registered there.
 */
import { Authenticator, createAuthenticator } from '../../lib';
import type { RadiusServer } from '../../lib/radius';
import { InteropPki, makeInteropPki } from './interop-pki';

export class RadSecRig {
  pki!: InteropPki;
  authenticator!: Authenticator;
  readonly servers: RadiusServer[] = [];

  constructor(user: { identity: string; password: string }) {
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
}
