import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { ServeAccounting, accountingFlags } from '../../lib/cli/commands/serve/serve-accounting';

/** A RadiusServer in this process recording accounting as `serve --accounting TARGET` does (EAP-MD5, frank / pw, beside). */
export interface AccountingServer {
  server: RadiusServer;
  store: ServeAccounting;
  port: number;
  close(): Promise<void>;
}

/** `said` hears the store's failures, as serve's stderr would. */
export async function startAccountingServer(target: string, secret: string, said: (line: string) => void): Promise<AccountingServer> {
  const authenticator: Authenticator = await createAuthenticator({ methods: ['md5'], users: { frank: { password: 'pw' } } });
  const store = (await accountingFlags({ accounting: target }, said))!;
  const server = new RadiusServer({ port: 0, secret, authenticator, accounting: store.accounting,
    onAccountingFailure: store.onAccountingFailure });
  return {
    server, store, port: (await server.listen()).port,
    close: async () => {
      await server.close();
      await store.close();
      await authenticator.close();
    },
  };
}
