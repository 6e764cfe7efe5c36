/**
 * `eaphost auth`: one whole authentication on the embedded authenticator (no server), or
 * against a RADIUS server with --radius. Exit 0 on EAP-Success, 1 on EAP-Failure (and on a
 * server certificate the peer rejects, with the reason), 2 on bad usage or input.
 */
import { CreateAuthenticatorOptions, createAuthenticator } from '../../../session/authenticator';
import { BuiltinMethodName, isTlsMethodName, resolveMethod } from '../../../session/builtin';
import { openEapHost } from '../../../session/eaphost';
import { processEphemeralCa } from '../../../core/ephemeral-ca';
import { EapError } from '../../../core/errors';
import { flagReader, requiredFlag, stringFlag } from '../../command-line';
import { FlagValues, LineWriter, UsageError } from '../../main';
import { CoreReport, reportJson, trustWarnings } from '../../report';
import { errorJson } from './outcome';
import { TlsPeerOptions, certificateOnly, peerTlsOptions, wipeTlsOptions } from '../../tls-flags';
import { authenticateEmbedded, embeddedAuthFlags, printEmbeddedOutcome } from './embedded-common';
import { resolveSecrets } from '../../secrets';
import { WindowsPeer, trustEphemeralCaStore, windowsPeer } from './windows-peer';


/**
 * The embedded mode's TLS set-up: the peer trusts exactly the authenticator's ephemeral CA
 * unless --ca / --insecure say otherwise; EAP-TLS, or TEAP with an inner EAP-TLS, without
 * --cert gets a client certificate from that CA for the identity. The authenticator accepts
 * client certificates from the ephemeral CA and from --ca, and runs TEAP as the peer is set
 * up: its inner methods (chained when there are two) and its key order.
 */
function embeddedTls(name: string, identity: string, peer: TlsPeerOptions)
  : { peer: TlsPeerOptions; authenticator: Partial<CreateAuthenticatorOptions> } {
  if (!isTlsMethodName(name)) return { peer, authenticator: {} };
  const ephemeral = processEphemeralCa();
  const out: TlsPeerOptions = { ...peer };
  if (out.ca === undefined && out.insecure !== true) {
    out.ca = ephemeral.ca;
    out.serverName ??= ephemeral.serverName;
  }
  const certificate = name === 'tls' || (name === 'teap' && (peer.innerMethod === 'tls' || peer.teapSecondaryInnerMethod === 'tls'));
  if (certificate && out.cert === undefined && out.certStore === undefined) {
    const client = ephemeral.issueClient(identity);
    out.cert = client.cert;
    out.key = client.key;
  }
  const authenticator: Partial<CreateAuthenticatorOptions> = name !== 'teap' ? {} : {
    innerMethod: peer.innerMethod, teapSecondaryInnerMethod: peer.teapSecondaryInnerMethod,
    teapMsChapV2KeyOrder: peer.teapMsChapV2KeyOrder,
  };
  if (certificate) authenticator.ca = ephemeral.ca + (peer.ca ? `\n${Buffer.from(peer.ca).toString('latin1')}` : '');
  return { peer: out, authenticator };
}

export async function runEmbeddedAuth(args: FlagValues, out: LineWriter, err: LineWriter): Promise<number> {
  // The embedded authenticator's certificate comes from its own ephemeral CA, which no profile trusts.
  if (args.profile !== undefined) throw new UsageError('--profile needs --radius HOST:PORT (a server whose certificate the profile trusts)');
  resolveSecrets(args, ['password', 'key-password'], err);
  if ((args['config-xml'] !== undefined) || (args['credentials-xml'] !== undefined)) {
    const { runEmbeddedXmlAuth } = await import('./config-xml');
    return runEmbeddedXmlAuth(args, out);
  }
  const methodName = requiredFlag(args, 'method');
  const method = (() => {
    try {
      return resolveMethod(methodName);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const name = method.name as BuiltinMethodName;
  const identity = requiredFlag(args, 'identity');
  const password = stringFlag(args, 'password');
  if (password === undefined && !certificateOnly(name, flagReader(args))) throw new UsageError('--password is required (or --password-file, EAPHOST_PASSWORD)');
  const given = peerTlsOptions(name, flagReader(args));
  const tls = embeddedTls(name, identity, given);
  const trustStore = trustEphemeralCaStore(args);
  if (trustStore !== undefined && (!isTlsMethodName(name) || given.ca !== undefined || given.insecure === true)) {
    throw new UsageError("--trust-ephemeral-ca trusts the embedded authenticator's own CA: it needs a TLS method and no --ca or --insecure");
  }
  const flags = embeddedAuthFlags(args);
  const { users, hostOptions, json } = flags;
  const warnings = trustWarnings(name, tls.peer, err);
  const started = Date.now();
  const core = (success: boolean, result: string, reason: string, roundTrips: number | null): CoreReport => ({
    command: 'auth', success, result, exitCode: success ? 0 : 1, reason, mode: 'embedded', server: null, method: method.name,
    identity, roundTrips, elapsedMs: Date.now() - started, insecure: warnings.length > 0, warnings,
  });
  const host = await openEapHost(hostOptions);
  let authenticator;
  try {
    authenticator = await createAuthenticator({ methods: [name], users, ...tls.authenticator });
  } catch (error) {
    await host.close();
    throw error;
  }
  let windows: WindowsPeer | undefined;
  try {
    let session;
    try {
      if (host.backend === 'windows' && isTlsMethodName(name)) {
        windows = await windowsPeer(host, name, tls.peer, processEphemeralCa().ca, trustStore, err);
      }
      session = await host.beginSession({ identity, ...(password !== undefined ? { password } : {}),
        ...(windows ? windows.begin : { method: name, ...tls.peer }) });
    } finally {
      wipeTlsOptions(given);
    }
    try {
      const result = await authenticateEmbedded(session, authenticator, flags, out);
      const line = result.success
        ? `EAP-Success: ${identity} authenticated with ${windows?.friendlyName ?? method.friendlyName} in ${result.roundTrips} round trips`
        : `EAP-Failure: ${identity} was not authenticated (${result.reason ?? 'rejected'})`;
      return printEmbeddedOutcome(result, line, flags, out, (outcome) =>
        reportJson(core(result.success, result.success ? 'accept' : 'reject', line, result.roundTrips),
          { eapType: result.method, ...outcome }));
    } catch (error) {
      // The peer refused the conversation, e.g. a server certificate it does not trust: an
      // authentication failure with its reason, not a usage error.
      if (!(error instanceof EapError) || error.call !== 'EapHostPeerProcessReceivedPacket') throw error;
      const line = `EAP-Failure: ${identity} was not authenticated (${error.rootCause || error.message})`;
      out(json ? reportJson(core(false, 'error', line, null), { error: errorJson(error), ...flags.conversation?.json() }) : line);
      return 1;
    } finally {
      // Ending the session zero-fills the keys the result exposed.
      await session.endSession().catch(() => undefined);
    }
  } finally {
    await windows?.release();
    await authenticator.close();
    await host.close();
  }
}
