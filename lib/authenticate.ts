/**
 * Runs one whole EAP conversation: a peer session (EAPHost, real or portable) against an
 * EapTransport (the embedded authenticator, or a RADIUS server). Success means both sides
 * agree: the authenticator sent EAP-Success and the peer's method result is a success.
 */
import { EapAttribute } from './attributes';
import { checkSignal } from './call-gate';
import { EapError, Win32, abortError } from './errors';
import { EapHostResult, EapHostSession } from './eaphost';
import { EapTransport, TransportReply } from './transport';

export interface AuthenticateOptions {
  session: EapHostSession;
  transport: EapTransport;
  signal?: AbortSignal;
  /** Sees every EAP packet: 'in' from the authenticator, 'out' from the peer. */
  onPacket?: (direction: 'in' | 'out', packet: Buffer) => void;
  /** Bound on request/response exchanges (a safety net against endless conversations). */
  maxRoundTrips?: number;
}

export interface AuthenticationResult {
  success: boolean;
  /** The EAP type the peer's method ran. */
  method: number;
  identity: string;
  /** EAP Request/Response exchanges. */
  roundTrips: number;
  /** The peer method's result attributes and the authenticator's (e.g. MSK parts). */
  attributes: EapAttribute[];
  /** Why it failed, when it did. */
  reason?: string;
  peerResult?: EapHostResult;
}

export async function authenticate(options: AuthenticateOptions): Promise<AuthenticationResult> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { session, transport, onPacket } = options;
  if (!(session instanceof EapHostSession)) throw new TypeError('session must be an EapHostSession');
  if (typeof transport !== 'object' || transport === null || typeof transport.begin !== 'function' ||
      typeof transport.respond !== 'function') {
    throw new TypeError('transport must be an EapTransport');
  }
  if (onPacket !== undefined && typeof onPacket !== 'function') throw new TypeError('onPacket must be a function');
  const signal = checkSignal(options.signal);
  const maxRoundTrips = options.maxRoundTrips ?? 64;
  const check = () => { if (signal?.aborted) throw abortError('authenticate'); };

  let roundTrips = 0;
  let reply: TransportReply;
  try {
    check();
    reply = await transport.begin({ signal });
    while (reply.kind === 'request') {
      check();
      if (!reply.packet) throw new EapError({ win32Error: Win32.ERROR_INVALID_DATA, call: 'authenticate', rootCause: 'request without packet' });
      onPacket?.('in', reply.packet);
      const exchanged = await session.exchange(reply.packet);
      let action = exchanged.action;
      let response = exchanged.packet;
      if (action === 'respond') {
        // As Microsoft's sample supplicant does: read the method's attributes, then always set them.
        action = await session.setResponseAttributes(await session.getResponseAttributes());
        if (action === 'send') response = await session.getSendPacket();
      }
      if (action !== 'send' || !response) {
        throw new EapError({
          win32Error: Win32.ERROR_NOT_SUPPORTED, call: 'EapHostPeerProcessReceivedPacket', origin: 'host',
          rootCause: `the peer answered a request with action "${action}"${action === 'invokeUi' ? ': the method needs UI, which this library cannot show' : ''}`,
        });
      }
      onPacket?.('out', response);
      if (++roundTrips > maxRoundTrips) {
        throw new EapError({ win32Error: Win32.ERROR_INVALID_STATE, call: 'authenticate', origin: 'host',
          rootCause: `no outcome after ${maxRoundTrips} round trips` });
      }
      check();
      reply = await transport.respond(response, { signal });
    }

    let peerResult: EapHostResult | undefined;
    if (reply.packet) {
      onPacket?.('in', reply.packet);
      const action = await session.processReceivedPacket(reply.packet);
      if (action === 'result') peerResult = await session.getResult('fromMethod');
    }
    if (!peerResult) {
      // No acceptable Success/Failure reached the peer (e.g. the authenticator gave up
      // silently): the peer's lower layer reports a timeout.
      peerResult = await session.getResult('timeout').catch(() => undefined);
    }
    const success = reply.kind === 'success' && peerResult?.success === true;
    const result: AuthenticationResult = {
      success,
      method: session.methodType.type,
      identity: session.identity ?? await session.getAuthIdentity().catch(() => ''),
      roundTrips,
      attributes: [...(peerResult?.attributes ?? []), ...(reply.attributes ?? [])],
      peerResult,
    };
    if (!success) {
      result.reason = reply.kind === 'success' ? 'the authenticator sent EAP-Success but the peer did not accept it'
        : reply.reason ?? 'EAP-Failure';
    }
    return result;
  } finally {
    await transport.close().catch(() => undefined);
  }
}
