/**
 * The Dynamic Authorization Server's lane (native/radius/das/radius_das.h) as its two owners open
 * it: the server's listener (das/server.ts) and, for reverse CoA, a RadSec client's own connection
 * (radsec/reverse-coa.ts); and the owner's verdict on each request that passed its checks, signed there.
 */
import { binding, DasSessionIdentification, DynamicAuthorizationOpenArgs, NativeDasRequest, NativeDynamicAuthorization } from '../native';
import { ErrorCause } from './error-cause';
import type { RadiusAttribute } from './attributes';

/** A request that passed every check, for the owner to carry out. */
export interface DasRequest {
  kind: 'disconnect' | 'coa';
  /** The client's address, as the socket saw it. */
  client: string;
  /** It came over RadSec, TLS or DTLS (the `radsec` option). */
  radsec?: true;
  /** The session identification, decoded (text attributes as UTF-8). */
  session: DasSessionIdentification;
  /** CoA only: Session-Timeout in seconds, and Authorize Only (re-authenticate) with its State. */
  sessionTimeout?: number;
  authorizeOnly?: { state: Buffer };
  attributes: readonly RadiusAttribute[];
}

/** What the owner did: carried out, or refused with an Error-Cause (RFC 5176 §3.6). */
export type DasVerdict = { done: true } | { done: false; errorCause: number };

/** Carries a request out. A throw or rejection NAKs 506 Resources Unavailable. */
export type DasHandler = (request: DasRequest) => DasVerdict | Promise<DasVerdict>;

/** What a lane's owner says of its checks (DynamicAuthorizationServerOptions has each). */
interface LaneChecks {
  nasIdentifier?: string;
  requireMessageAuthenticator?: boolean;
  requireEventTimestamp?: boolean;
}

/** The native lane with the options' checks, each request that passes them handed to `ask`. */
export function openLane(options: LaneChecks,
  lane: Omit<DynamicAuthorizationOpenArgs, 'onRequests' | 'requireMessageAuthenticator' | 'requireEventTimestamp' | 'nasIdentifier'>,
  ask: (request: NativeDasRequest) => void): NativeDynamicAuthorization {
  return binding.dynamicAuthorizationOpen({
    ...lane, nasIdentifier: options.nasIdentifier,
    requireMessageAuthenticator: options.requireMessageAuthenticator ?? true,
    requireEventTimestamp: options.requireEventTimestamp ?? true,
    onRequests: (requests) => { for (const request of requests) ask(request); },
  });
}

/** The owner's verdict on a request that passed the lane's checks, signed by the lane and sent. */
export async function answer(lane: NativeDynamicAuthorization, native: NativeDasRequest, handle: DasHandler,
  send: (reply: Buffer) => void): Promise<void> {
  const { id, client, link, disconnect, session, sessionTimeout, authorizeOnlyState, attributes } = native;
  const verdict = await carryOut(handle, {
    kind: disconnect ? 'disconnect' : 'coa', client, session, attributes, ...(link !== 0 ? { radsec: true as const } : {}),
    ...(sessionTimeout !== undefined ? { sessionTimeout } : {}),
    ...(authorizeOnlyState !== undefined ? { authorizeOnly: { state: authorizeOnlyState } } : {}),
  });
  const reply = lane.verdict({ id, done: verdict.done, errorCause: verdict.done ? 0 : verdict.errorCause });
  if (reply !== null) send(reply);
}

/** The owner's verdict; a throw, a rejection or no verdict at all (an Error-Cause that is no
 *  32-bit number among them) is 506 Resources Unavailable. */
async function carryOut(handle: DasHandler, request: DasRequest): Promise<DasVerdict> {
  const unavailable: DasVerdict = { done: false, errorCause: ErrorCause.ResourcesUnavailable };
  try {
    const verdict = await handle(request);
    if (verdict?.done === true) return verdict;
    const cause = verdict?.done === false ? verdict.errorCause : undefined;
    return Number.isInteger(cause) && cause! >= 0 && cause! <= 0xffffffff ? verdict : unavailable;
  } catch {
    return unavailable;
  }
}
