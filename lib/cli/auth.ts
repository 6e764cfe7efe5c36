/**
 * `eaphost auth`: one whole authentication on the embedded authenticator (no server), or
 * against a RADIUS server with --radius. Exit 0 on EAP-Success, 1 on EAP-Failure, 2 on bad
 * usage or input.
 */
import * as fs from 'fs';
import { authenticate } from '../authenticate';
import { createAuthenticator, UserRecord } from '../authenticator';
import { resolveMethod } from '../builtin';
import { openEapHost } from '../eaphost';
import { describeEapPacket } from '../packet';
import { ParsedArgs, UsageError, required } from './args';

export const AUTH_VALUED = ['method', 'identity', 'password', 'users', 'backend', 'radius', 'secret', 'timeout'];
export const AUTH_BOOLEANS = ['json', 'verbose'];

function readUsers(file: string): Record<string, UserRecord> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read users file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let users: unknown;
  try {
    users = JSON.parse(text);
  } catch {
    throw new UsageError(`users file ${file} is not valid JSON`);
  }
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw new UsageError(`users file ${file} must be an object {"<identity>": {"password": "<password>"}}`);
  }
  for (const [identity, record] of Object.entries(users as Record<string, unknown>)) {
    if (typeof record !== 'object' || record === null || typeof (record as UserRecord).password !== 'string') {
      throw new UsageError(`users file ${file}: entry "${identity}" needs a string "password"`);
    }
  }
  return users as Record<string, UserRecord>;
}

export async function runEmbeddedAuth(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const methodName = required(args, 'method');
  const method = (() => {
    try {
      return resolveMethod(methodName);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const identity = required(args, 'identity');
  const password = args.flags.get('password');
  if (typeof password !== 'string') throw new UsageError('--password is required');
  const users = readUsers(required(args, 'users'));
  const backend = args.flags.get('backend');
  if (backend !== undefined && backend !== 'windows' && backend !== 'portable') {
    throw new UsageError("--backend must be 'windows' or 'portable'");
  }
  const verbose = args.flags.get('verbose') === true;

  const host = await openEapHost(backend ? { backend } : {});
  const authenticator = await createAuthenticator({ methods: [method.name as 'md5'], users });
  try {
    const session = await host.beginSession({ method: method.name as 'md5', identity, password });
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
          attributes: result.attributes.map((a) => ({ type: a.type, value: a.value.toString('hex') })),
          ...(result.reason ? { reason: result.reason } : {}),
        }));
      } else {
        out(result.success ? `EAP-Success: ${identity} authenticated with ${method.friendlyName} in ${result.roundTrips} round trips`
          : `EAP-Failure: ${identity} was not authenticated (${result.reason ?? 'rejected'})`);
      }
      return result.success ? 0 : 1;
    } finally {
      await session.endSession().catch(() => undefined);
    }
  } finally {
    await authenticator.close();
    await host.close();
  }
}
