/**
 * The EAPOL authenticator port as a NAS's Dynamic Authorization Server (RFC 5176): a
 * Disconnect-Request ends a station's session (EapolAuthenticator.endSession: EAP-Failure, then
 * a Request/Identity for a new authentication), a CoA-Request sets its Session-Timeout or, with
 * Service-Type Authorize Only, re-authenticates it. The station is selected by every session
 * attribute the request carries: Calling-Station-Id (its MAC, in any of the usual spellings),
 * User-Name (the identity it gave), Acct-Session-Id (the port's, 16 hex digits); attributes the
 * port has no notion of (NAS-Port, Framed-IP-Address, …) select nothing and are NAK'd 401.
 */
import { ErrorCause } from '../radius/das/client';
import {
  DasRequest, DasVerdict, DynamicAuthorizationServer, DynamicAuthorizationServerOptions, DynamicAuthorizationServerStats,
} from '../radius/das/server';

/** One station's session as the port holds it (sessions()). */
export interface EapolSession {
  supplicant: string;
  authorized: boolean;
  /** A conversation is in progress (the first authentication or a re-authentication). */
  authenticating: boolean;
  identity?: string;
  /** Acct-Session-Id of the current conversation: 16 hex digits, new with each one. */
  sessionId?: string;
  /** Seconds until re-authentication, when a Session-Timeout (or a CoA) set one. */
  sessionTimeout?: number;
}

/** The port's DAS: a DynamicAuthorizationServer whose requests the port carries out itself.
 *  nasIdentifier is the port's, as its RADIUS backend sends it. */
export type EapolDasOptions = Omit<DynamicAuthorizationServerOptions, 'handle'>;

/** What das.ts needs of the port. */
export interface DasPort {
  sessions(): EapolSession[];
  endSession(supplicant: string, reason: string): boolean;
  setSessionTimeout(supplicant: string, seconds: number): boolean;
  reauthenticate(supplicant: string): boolean;
}

export interface PortDas {
  listening(): Promise<{ address: string; port: number }>;
  stats(): DynamicAuthorizationServerStats;
  close(): Promise<void>;
}

/** A MAC address in any usual spelling (aa:bb…, AA-BB-…, aabb.ccdd.eeff, 12 hex digits) as aa:bb:cc:dd:ee:ff. */
export function stationMac(text: string): string | undefined {
  const hex = text.replace(/[-:.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/** Attributes that select a session the port knows; any other one selects nothing here. */
function select(port: DasPort, session: DasRequest['session']): EapolSession[] | number {
  const { userName, callingStationId, acctSessionId, ...others } = session;
  if (Object.keys(others).length > 0) return ErrorCause.UnsupportedAttribute;
  const mac = callingStationId === undefined ? undefined : stationMac(callingStationId);
  if (callingStationId !== undefined && mac === undefined) return ErrorCause.InvalidAttributeValue;
  return port.sessions().filter((candidate) => (mac === undefined || candidate.supplicant === mac)
    && (userName === undefined || candidate.identity === userName)
    && (acctSessionId === undefined || candidate.sessionId === acctSessionId.toUpperCase()));
}

function carryOut(port: DasPort, request: DasRequest): DasVerdict {
  const found = select(port, request.session);
  if (typeof found === 'number') return { done: false, errorCause: found };
  if (found.length === 0) return { done: false, errorCause: ErrorCause.SessionContextNotFound };
  // As hostapd: one request, one session (a Disconnect for a user on several stations names each).
  if (found.length > 1) return { done: false, errorCause: ErrorCause.MultipleSessionSelectionUnsupported };
  const { supplicant } = found[0];
  if (request.kind === 'disconnect') {
    return port.endSession(supplicant, `Disconnect-Request (RFC 5176) from ${request.client}`)
      ? { done: true } : { done: false, errorCause: ErrorCause.SessionContextNotFound };
  }
  // A CoA changes an authorized session; one still authenticating has nothing to change yet.
  if (!found[0].authorized) return { done: false, errorCause: ErrorCause.SessionContextNotFound };
  if (request.authorizeOnly) {
    return port.reauthenticate(supplicant) ? { done: true } : { done: false, errorCause: ErrorCause.SessionContextNotFound };
  }
  if (request.sessionTimeout !== undefined) port.setSessionTimeout(supplicant, request.sessionTimeout);
  return { done: true };
}

/** Binds the port's DAS; a bind failure is kept for listening() (the port itself runs on). */
export function listenAsDas(port: DasPort, options: EapolDasOptions): PortDas {
  if (typeof options !== 'object' || options === null) throw new TypeError('das must be { clients, host?, port?, … }');
  const server = new DynamicAuthorizationServer({ ...options, handle: (request) => carryOut(port, request) });
  const bound = server.listen();
  bound.catch(() => undefined);
  return {
    listening: () => bound,
    stats: () => server.stats,
    close: async () => {
      await bound.catch(() => undefined);
      await server.close();
    },
  };
}
