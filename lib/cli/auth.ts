/**
 * `eaphost auth`: one whole authentication on the embedded authenticator (no server), or
 * against a RADIUS server with --radius. Exit 0 on EAP-Success, 1 on EAP-Failure, 2 on bad
 * usage or input.
 */
import { authenticate } from '../authenticate';
import { createAuthenticator } from '../authenticator';
import { BuiltinMethodName, resolveMethod } from '../builtin';
import { openEapHost } from '../eaphost';
import { describeEapPacket } from '../packet';
import { ParsedArgs, UsageError, required } from './args';
import { outcomeJson, outcomeLines } from './outcome';
import { readUsersFile } from './users-file';

export const AUTH_VALUED = ['method', 'identity', 'password', 'users', 'backend', 'radius', 'secret', 'timeout'];
export const AUTH_BOOLEANS = ['json', 'verbose', 'show-keys'];

export async function runEmbeddedAuth(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const methodName = required(args, 'method');
  const method = (() => {
    try {
      return resolveMethod(methodName);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const name = method.name as BuiltinMethodName;
  const identity = required(args, 'identity');
  const password = args.flags.get('password');
  if (typeof password !== 'string') throw new UsageError('--password is required');
  const users = readUsersFile(required(args, 'users'), (message) => new UsageError(message));
  const backend = args.flags.get('backend');
  if (backend !== undefined && backend !== 'windows' && backend !== 'portable') {
    throw new UsageError("--backend must be 'windows' or 'portable'");
  }
  const verbose = args.flags.get('verbose') === true;
  const showKeys = args.flags.get('show-keys') === true;

  const host = await openEapHost(backend ? { backend } : {});
  const authenticator = await createAuthenticator({ methods: [name], users });
  try {
    const session = await host.beginSession({ method: name, identity, password });
    try {
      const result = await authenticate({
        session,
        transport: authenticator.createConversation(),
        onPacket: verbose ? (direction, packet) =>
          out(`${direction === 'in' ? '<-' : '->'} ${describeEapPacket(packet)}`) : undefined,
      });
      if (args.flags.get('json') === true) {
        out(JSON.stringify({
          success: result.success,
          method: method.name,
          eapType: result.method,
          identity: result.identity || identity,
          roundTrips: result.roundTrips,
          ...(result.reason ? { reason: result.reason } : {}),
          ...outcomeJson(result, { showKeys }),
        }));
      } else {
        out(result.success ? `EAP-Success: ${identity} authenticated with ${method.friendlyName} in ${result.roundTrips} round trips`
          : `EAP-Failure: ${identity} was not authenticated (${result.reason ?? 'rejected'})`);
        for (const line of outcomeLines(result, { showKeys })) out(line);
      }
      return result.success ? 0 : 1;
    } finally {
      // Ending the session zero-fills the keys the result exposed.
      await session.endSession().catch(() => undefined);
    }
  } finally {
    await authenticator.close();
    await host.close();
  }
}
