/**
 * `eaphost serve …`: our embedded authenticator behind RADIUS (or RadSec), for eapol_test, a NAS
 * or a load test. Takes the arguments after the subcommand (a leading "serve" is tolerated) and
 * line writers, and resolves with the exit code when SIGINT / SIGTERM (or `stop`) ends it.
 */
import { parseArgs } from 'node:util';
import { createAuthenticator } from '../index';
import { BuiltinMethodName, builtinMethods, isTlsMethodName } from '../builtin';
import { SERVE_TLS_VALUED, ServeTlsOptions, serveTlsOptions, wipeTlsOptions } from './tls-flags';
import { UserRecord } from '../users';
import { readUsersFile } from './users-file';
import { RADSEC_SECRET, RADSEC_VALUED, radsecListenOptions } from './radsec-flags';
import { formatHostPort, RadiusServer } from '../radius';
import {
  CliOutput, ExitCode, LineWriter, MESSAGE_AUTHENTICATOR_FLAGS, UsageError, positiveInteger, requireMessageAuthenticator,
  shippedMethodName, withoutSubcommand,
} from './cli-args';

const SERVE_USAGE = 'usage: eaphost serve --port PORT --secret SECRET --users FILE [--methods LIST] [--host ADDR] ' +
  '[--cert FILE --key FILE [--key-password PW]] [--ca FILE] [--tls-max 1.2|1.3] [--no-require-message-authenticator] ' +
  '[--radsec --radsec-cert FILE --radsec-key FILE [--radsec-key-password PW] --radsec-ca FILE] ' +
  '[--max-conversations N]';

/** What `serve` proposes without --methods: the strongest first, the others on a peer's Nak.
 *  With a certificate the TLS methods lead (EAP-TLS only with a CA for client certificates). */
function defaultServeMethods(tls: ServeTlsOptions): BuiltinMethodName[] {
  const plain: BuiltinMethodName[] = ['mschapv2', 'gtc', 'md5'];
  if (tls.cert === undefined) return plain;
  const tunnelled: BuiltinMethodName[] = ['peap', 'ttls', ...(tls.ca ? ['tls' as const] : [])];
  return [...tunnelled.filter((name) => Object.prototype.hasOwnProperty.call(builtinMethods, name)), ...plain];
}

export async function runServe(argv: readonly string[], out: LineWriter = console.log,
  err: LineWriter = console.error, stop?: AbortSignal): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  let host: string;
  let port: number;
  let secret: string;
  let users: Record<string, UserRecord>;
  let methods: BuiltinMethodName[];
  let tls: ServeTlsOptions;
  let strict: boolean;
  let radsec: ReturnType<typeof radsecListenOptions>;
  let maxConversations: number;
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: withoutSubcommand(argv, 'serve'), strict: true, allowPositionals: false,
        options: {
          port: { type: 'string' }, secret: { type: 'string' }, users: { type: 'string' }, host: { type: 'string' },
          methods: { type: 'string' }, ...MESSAGE_AUTHENTICATOR_FLAGS, radsec: { type: 'boolean' },
          'max-conversations': { type: 'string' },
          ...Object.fromEntries(RADSEC_VALUED.filter((name) => name !== 'radsec-server-name')
            .map((name) => [name, { type: 'string' as const }])),
          ...Object.fromEntries(SERVE_TLS_VALUED.map((name) => [name, { type: 'string' as const }])),
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // RadSec's secret is "radsec" unless said otherwise (RFC 6614 §2.3).
    if (values.radsec === true) values.secret ??= RADSEC_SECRET;
    radsec = radsecListenOptions((name) => (values as Record<string, string | boolean | undefined>)[name],
      (message) => new UsageError(message));
    for (const required of ['port', 'secret', 'users'] as const) {
      if (values[required] === undefined) throw new UsageError(`--${required} is required`);
    }
    if (values.secret === '') throw new UsageError('--secret must not be empty');
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port`);
    host = values.host ?? '127.0.0.1';
    strict = requireMessageAuthenticator(values);
    // Live conversations held at once; past it the least recently active idle one is evicted.
    maxConversations = positiveInteger(values['max-conversations'], '--max-conversations', 20_000);
    secret = values.secret!;
    users = readUsersFile(values.users!, (message) => new UsageError(`--users: ${message}`));
    const flags = values as Record<string, string | undefined>;
    tls = serveTlsOptions((name) => flags[name], (message) => new UsageError(message));
    methods = values.methods === undefined ? defaultServeMethods(tls)
      : values.methods.split(',').map((name) => shippedMethodName(name, '--methods'));
    if (new Set(methods).size !== methods.length) throw new UsageError(`--methods ${values.methods} names a method twice`);
    const tlsMethods = methods.filter(isTlsMethodName);
    // A peer outside this process cannot know an ephemeral CA: serving TLS methods takes a certificate.
    if (tlsMethods.length > 0 && tls.cert === undefined) {
      throw new UsageError(`--methods ${tlsMethods.join(',')} needs the server's --cert FILE and --key FILE`);
    }
    if (tlsMethods.length === 0 && Object.keys(tls).length > 0) {
      throw new UsageError('--cert, --key, --ca and --tls-max apply to the TLS methods (peap, ttls, tls) only');
    }
    if (methods.includes('tls') && tls.ca === undefined) {
      throw new UsageError('--methods tls needs --ca FILE, the CA that issues the client certificates it accepts');
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`eaphost serve: ${error.message}`);
    output.stderr(SERVE_USAGE);
    return ExitCode.Usage;
  }

  let authenticator;
  try {
    authenticator = await createAuthenticator({ methods, users, ...tls });
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    output.stderr(`eaphost serve: ${error.message}`);
    return ExitCode.Usage;
  } finally {
    wipeTlsOptions(tls);
  }
  const server = new RadiusServer({
    host, port, secret, requireMessageAuthenticator: strict, maxConversations, ...(radsec ? { radsec } : {}),
    conversationFactory: () => authenticator.createConversation(),
  });
  try {
    const bound = await server.listen();
    output.stdout(`listening on ${formatHostPort(bound.address, bound.port)}${radsec ? ' (RadSec, TCP)' : ''} ` +
      `(EAP methods: ${methods.join(', ')})`);
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.removeListener('SIGINT', done);
        process.removeListener('SIGTERM', done);
        stop?.removeEventListener('abort', done);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      stop?.addEventListener('abort', done, { once: true });
      if (stop?.aborted) done();
    });
    if (server.stats.droppedNoMessageAuthenticator > 0) {
      output.stderr(`eaphost serve: dropped ${server.stats.droppedNoMessageAuthenticator} requests without ` +
        'Message-Authenticator (BlastRADIUS, CVE-2024-3596)');
    }
    return 0;
  } catch (error) {
    output.stderr(`eaphost serve: ${(error as Error).message}`);
    return 1;
  } finally {
    await server.close();
    await authenticator.close();
  }
}
