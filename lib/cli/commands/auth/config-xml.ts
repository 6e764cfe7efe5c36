/**
 * `eaphost auth --config-xml FILE [--credentials-xml FILE]`: one authentication of any
 * installed method, configured by an EapHostConfig document (Microsoft's for Windows' own
 * methods, ours for the shipped ones) and its EapHostUserCredentials, against the embedded
 * authenticator. The method type comes from the XML (ConfigXml2Blob); the embedded
 * authenticator serves that EAP type with its own modules.
 */
import { FileTooLargeError, readFileBounded } from '../../../core/file-read';
import { MAX_CONFIG_XML_BYTES } from '../../../session/configuration-api';
import { createAuthenticator } from '../../../session/authenticator';
import { METHOD_TABLE } from '../../../core/method-table';
import { openEapHost } from '../../../session/eaphost';
import { EapError } from '../../../core/errors';
import { FlagReader, requiredFlag } from '../../command-line';
import { FlagValues, UsageError } from '../../main';
import { errorJson } from './outcome';
import { CoreReport, reportJson } from '../../report';
import { authenticateEmbedded, embeddedAuthFlags, printEmbeddedOutcome } from './embedded-common';

/** EAP types the embedded authenticator serves, by the name its modules go by. */
const AUTHENTICATOR_METHODS = Object.fromEntries(METHOD_TABLE.map((m) => [m.type, m.name]));

// With --config-xml the XML says all of this.
const CONFLICTING = ['method', 'identity', 'password', 'anonymous-identity', 'phase2', 'inner-method', 'ca', 'server-name',
  'cert', 'key', 'key-password', 'cert-thumbprint', 'cert-subject', 'cert-store', 'tls-max', 'tls-min', 'insecure'];

/**
 * An XML file as text: refused by its size before it is read (the configuration API takes at
 * most MAX_CONFIG_XML_BYTES), UTF-16 (LE or BE) when it starts with that byte-order mark, else
 * UTF-8, which must be valid: a replacement character put in silently would change a name or a
 * thumbprint without a word.
 */
export function readXmlFile(file: string, flag: string): string {
  let bytes: Buffer;
  try {
    // UTF-16 of a document at the limit takes up to twice its UTF-8 size.
    bytes = readFileBounded(file, 2 * MAX_CONFIG_XML_BYTES);
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      throw new UsageError(`${flag} ${file}: ${error.amount} is over the ${MAX_CONFIG_XML_BYTES}-byte limit of a configuration document`);
    }
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    }
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UsageError(`${flag} ${file}: not valid ${bytes[0] === 0xff || bytes[0] === 0xfe ? 'UTF-16' : 'UTF-8'} ` +
      '(save it as UTF-8, or as UTF-16 with a byte-order mark)');
  }
}

/**
 * --config-xml / --credentials-xml for `auth --radius`: the documents, or undefined without
 * --config-xml. The flags the profile replaces are usage errors (--identity may stay, for the report).
 */
export function profileFromFlags(flag: FlagReader): { configXml: string; credentialsXml?: string } | undefined {
  const configFile = flag('config-xml');
  const credentialsFile = flag('credentials-xml');
  if (configFile === undefined) {
    if (credentialsFile !== undefined) throw new UsageError('--credentials-xml needs --config-xml');
    return undefined;
  }
  const conflicting = CONFLICTING.filter((name) => name !== 'identity' && flag(name) !== undefined);
  if (conflicting.length > 0) throw new UsageError(`--${conflicting[0]} does not go with --config-xml: the profile carries it`);
  const read = (file: string | boolean, name: string): string => readXmlFile(String(file), name);
  return { configXml: read(configFile, '--config-xml'),
    ...(credentialsFile !== undefined ? { credentialsXml: read(credentialsFile, '--credentials-xml') } : {}) };
}

export async function runEmbeddedXmlAuth(args: FlagValues, out: (line: string) => void): Promise<number> {
  const conflicting = CONFLICTING.filter((flag) => (args[flag] !== undefined));
  if (conflicting.length > 0) {
    throw new UsageError(`--${conflicting[0]} does not go with --config-xml: the profile carries the method's configuration ` +
      'and --credentials-xml its credentials');
  }
  const configXml = readXmlFile(requiredFlag(args, 'config-xml'), '--config-xml');
  const credentialsFile = args['credentials-xml'];
  const credentialsXml = typeof credentialsFile === 'string' ? readXmlFile(credentialsFile, '--credentials-xml') : undefined;
  const flags = embeddedAuthFlags(args);
  const { users, hostOptions, json } = flags;
  const started = Date.now();
  const core = (success: boolean, result: string, reason: string, method: string, identity: string | null,
    roundTrips: number | null): CoreReport => ({
    command: 'auth', success, result, exitCode: success ? 0 : 1, reason, mode: 'embedded', server: null, method, identity,
    roundTrips, elapsedMs: Date.now() - started, insecure: false, warnings: [],
  });
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
        const result = await authenticateEmbedded(session, authenticator, flags, out);
        const method = `type ${methodType.type} author ${methodType.authorId}`;
        const line = result.success
          ? `EAP-Success: ${result.identity} authenticated with EAP ${method} in ${result.roundTrips} round trips`
          : `EAP-Failure: ${result.identity || 'the peer'} was not authenticated (${result.reason ?? 'rejected'})`;
        return printEmbeddedOutcome(result, line, flags, out, (outcome) =>
          reportJson(core(result.success, result.success ? 'accept' : 'reject', line, name, result.identity || null,
            result.roundTrips), { methodType, eapType: result.method, ...outcome }));
      } catch (error) {
        // The peer refused the conversation (an untrusted server, missing credentials): a failure with its reason.
        if (!(error instanceof EapError) || !/^EapHostPeer/.test(error.call)) throw error;
        const line = `EAP-Failure: not authenticated (${error.rootCause || error.message})`;
        out(json ? reportJson(core(false, 'error', line, name, null, null), { methodType, error: errorJson(error), ...flags.conversation?.json() })
          : line);
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
