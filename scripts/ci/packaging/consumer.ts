// Type-checked (not run) against the shipped declarations with --module node16 --strict:
// what a TypeScript consumer writes must compile, and a misuse must not.
import { authenticate, createAuthenticator, openEapHost, EapError } from 'eaphost';
import type { AuthenticationResult, OpenEapHostOptions } from 'eaphost';

export async function check(identity: string, password: string): Promise<boolean> {
  const backend: OpenEapHostOptions['backend'] = 'portable';
  const host = await openEapHost({ backend });
  const authenticator = await createAuthenticator({ users: { [identity]: { password } } });
  const session = await host.beginSession({ method: 'md5', identity, password });
  try {
    const result: AuthenticationResult = await authenticate({ session, transport: authenticator.createConversation() });
    return result.success;
  } catch (err) {
    if (err instanceof EapError) console.error(err.win32Error, err.rootCause);
    throw err;
  } finally {
    await session.endSession();
    await authenticator.close();
    await host.close();
  }
}

// @ts-expect-error the backend is a closed set of names
export const wrongBackend = () => openEapHost({ backend: 'nps' });
