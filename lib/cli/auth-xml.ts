/**
 * `eaphost auth --config-xml FILE [--credentials-xml FILE]`: one authentication of any
 * installed method, configured by an EapHostConfig document (Microsoft's for Windows' own
 * methods, ours for the shipped ones) and its EapHostUserCredentials, against the embedded
 * authenticator. The method type comes from the XML (ConfigXml2Blob); the embedded
 * authenticator serves that EAP type with its own modules.
 */
import { readFileSync } from 'fs';
import { authenticate } from '../authenticate';
import { createAuthenticator } from '../authenticator';
import { BuiltinMethodName } from '../builtin';
import { openEapHost } from '../eaphost';
import { EapError } from '../errors';
import { describeEapPacket } from '../packet';
import { ParsedArgs, UsageError, required } from './args';
import { errorJson, outcomeJson, outcomeLines } from './outcome';
import { embeddedAuthFlags } from './embedded-auth';

/** EAP types the embedded authenticator serves, by the name its modules go by. */
const AUTHENTICATOR_METHODS: Record<number, BuiltinMethodName> = { 4: 'md5', 6: 'gtc', 13: 'tls', 21: 'ttls', 25: 'peap', 26: 'mschapv2' };

// With --config-xml the XML says all of this.
const CONFLICTING = ['method', 'identity', 'password', 'anonymous-identity', 'phase2', 'inner-method', 'ca', 'server-name',
  'cert', 'key', 'key-password', 'tls-max', 'tls-min', 'insecure'];

function readXml(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * --config-xml / --credentials-xml for `auth --radius`: the documents, or undefined without
 * --config-xml. The flags the profile replaces are usage errors (--identity may stay, for the report).
 */
export function profileFromFlags(flag: (name: string) => string | boolean | undefined, fail: (message: string) => Error):
    { configXml: string; credentialsXml?: string } | undefined {
  const configFile = flag('config-xml');
  const credentialsFile = flag('credentials-xml');
  if (configFile === undefined) {
    if (credentialsFile !== undefined) throw fail('--credentials-xml needs --config-xml');
    return undefined;
  }
  const conflicting = CONFLICTING.filter((name) => name !== 'identity' && flag(name) !== undefined);
  if (conflicting.length > 0) throw fail(`--${conflicting[0]} does not go with --config-xml: the profile carries it`);
  const read = (file: string | boolean, name: string): string => {
    try {
      return readFileSync(String(file), 'utf8');
    } catch (error) {
      throw fail(`${name} ${String(file)}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  return { configXml: read(configFile, '--config-xml'),
    ...(credentialsFile !== undefined ? { credentialsXml: read(credentialsFile, '--credentials-xml') } : {}) };
}

export async function runEmbeddedXmlAuth(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const conflicting = CONFLICTING.filter((flag) => args.flags.has(flag));
  if (conflicting.length > 0) {
    throw new UsageError(`--${conflicting[0]} does not go with --config-xml: the profile carries the method's configuration ` +
      'and --credentials-xml its credentials');
  }
  const configXml = readXml(required(args, 'config-xml'), '--config-xml');
  const credentialsFile = args.flags.get('credentials-xml');
  const credentialsXml = typeof credentialsFile === 'string' ? readXml(credentialsFile, '--credentials-xml') : undefined;
  const { users, hostOptions, json, showKeys, verbose } = embeddedAuthFlags(args);
  const host = await openEapHost(hostOptions);
  try {
    const { methodType, config } = await host.configXml2Blob(configXml);
    config.fill(0);
    const name = AUTHENTICATOR_METHODS[methodType.type];
    if (name === undefined) {
      throw new UsageError(`the profile is for EAP type ${methodType.type}, which the embedded authenticator does not serve ` +
        `(it serves ${Object.values(AUTHENTICATOR_METHODS).join(', ')}): use --radius`);
    }
    const authenticator = await createAuthenticator({ methods: [name], users });
    try {
      const session = await host.beginSession({ configXml, ...(credentialsXml !== undefined ? { credentialsXml } : {}) });
      try {
        const result = await authenticate({
          session,
          transport: authenticator.createConversation(),
          onPacket: verbose ? (direction, packet) =>
            out(`${direction === 'in' ? '<-' : '->'} ${describeEapPacket(packet)}`) : undefined,
        });
        const method = `type ${methodType.type} author ${methodType.authorId}`;
        if (json) {
          out(JSON.stringify({ success: result.success, methodType, eapType: result.method, identity: result.identity,
            roundTrips: result.roundTrips, ...(result.reason ? { reason: result.reason } : {}),
            ...outcomeJson(result, { showKeys }) }));
        } else {
          out(result.success
            ? `EAP-Success: ${result.identity} authenticated with EAP ${method} in ${result.roundTrips} round trips`
            : `EAP-Failure: ${result.identity || 'the peer'} was not authenticated (${result.reason ?? 'rejected'})`);
          for (const line of outcomeLines(result, { showKeys })) out(line);
        }
        return result.success ? 0 : 1;
      } catch (error) {
        // The peer refused the conversation (an untrusted server, missing credentials): a failure with its reason.
        if (!(error instanceof EapError) || !/^EapHostPeer/.test(error.call)) throw error;
        out(json ? JSON.stringify({ success: false, methodType, reason: error.rootCause || error.message, error: errorJson(error) })
          : `EAP-Failure: not authenticated (${error.rootCause || error.message})`);
        return 1;
      } finally {
        await session.endSession().catch(() => undefined);
      }
    } finally {
      await authenticator.close();
    }
  } finally {
    await host.close();
  }
}
