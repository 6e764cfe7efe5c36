/**
 * The RADIUS server's native lane (native/radius/): a thread of the addon's own answers every
 * datagram — client and secret, decode, Message-Authenticator, reply cache, the conversation
 * found by State, the embedded authenticator's step with the user table's answers, the signed
 * reply — so no RADIUS packet waits for, or costs, a turn of the event loop. It serves what the
 * native side can finish alone: UDP, the embedded authenticator, a plain table of users (read
 * when the server starts listening). Anything else keeps the JS lane (server.ts).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { isTlsMethodType } from '../core/method-facts';
import { KnownAnswer, UserStore, knownAnswer, ownUtf8, tableIdentities, wipeKnownAnswer } from '../core/users';
import { EapTransport } from '../core/transport';
import {
  binding, ConversationSettings, NativeHandle, NativeLaneAddress, NativeRadiusLane,
  NativeRadiusLaneOptions, NativeRadiusLaneRecord,
} from '../native';
import { RadiusClientEntry, networkOf } from './client-networks';
import { addressBytes, canonicalAddress } from './endpoint';
import type { RadiusConversationRecord, RadiusServerStats } from './server-records';

/** An embedded authenticator (the session layer's Authenticator). */
export interface LaneAuthenticator {
  createConversation(): EapTransport;
}

/** What the native lane needs of an embedded authenticator beyond its public API: the session
 *  layer registers it for each Authenticator it makes (registerLaneParts). */
export interface LaneAuthenticatorParts {
  readonly store: UserStore;
  readonly settings: ConversationSettings;
  methodHandles(): readonly NativeHandle[];
}
const laneParts = new WeakMap<LaneAuthenticator, LaneAuthenticatorParts>();
export function registerLaneParts(authenticator: LaneAuthenticator, parts: LaneAuthenticatorParts): void {
  laneParts.set(authenticator, parts);
}
export function lanePartsOf(authenticator: LaneAuthenticator): LaneAuthenticatorParts | undefined {
  return laneParts.get(authenticator);
}

export interface LaneConfig {
  host: string;
  port: number;
  secret?: Buffer;
  clients?: readonly RadiusClientEntry[];
  allowedClients?: readonly string[];
  idleTimeoutMs: number;
  replyCacheMs: number;
  maxConversations: number;
  maxTlsConversations: number;
  requireMessageAuthenticator: boolean;
  onConversationEnd?: (record: RadiusConversationRecord) => void;
}

/** Every EAP type the method table marks as TLS-based, counted under maxTlsConversations. */
const TLS_TYPES = Array.from({ length: 256 }, (_, type) => type).filter((type) => isTlsMethodType(type));

/** The table's answers for every identity it holds, as the native side compares them (UTF-8
 *  bytes); undefined when the store is not a plain table or a record cannot be answered ahead.
 *  An identity that is not its own UTF-8 (lone surrogates) is never asked for byte for byte:
 *  it is left out. */
function usersAhead(store: UserStore): KnownAnswer[] | undefined {
  const identities = tableIdentities(store);
  if (identities === undefined) return undefined;
  const answers: KnownAnswer[] = [];
  for (const identity of identities) {
    if (ownUtf8(identity) === undefined) continue;
    const known = knownAnswer(store, identity);
    if (known === undefined) {
      for (const made of answers) wipeKnownAnswer(made);
      return undefined;
    }
    answers.push(known);
  }
  return answers;
}

function laneAddress(address: string): NativeLaneAddress {
  const canonical = canonicalAddress(address);
  const family = isIP(canonical) as NativeLaneAddress[0];
  return [family, addressBytes(canonical)];
}

const STAT_NAMES: (keyof RadiusServerStats)[] = [
  'requests', 'challenges', 'accepts', 'rejects', 'duplicates', 'droppedMalformed', 'droppedUnauthenticated',
  'droppedNoMessageAuthenticator', 'droppedUnexpected', 'conversationsExpired', 'conversationErrors',
  'conversationsEvicted',
];

function recordOf(raw: NativeRadiusLaneRecord): RadiusConversationRecord {
  const [client, identity, eapType, accept, roundTrips, durationMs, resumed, stepFailed, error] = raw;
  const record: RadiusConversationRecord = {
    client, identity: identity.toString('utf8'), eapType, outcome: accept ? 'accept' : 'reject', roundTrips, durationMs,
  };
  if (resumed >= 0) record.resumed = resumed === 1;
  if (!accept) {
    const message = error?.message ?? 'EAP-Failure';
    record.reason = stepFailed ? `authenticator error: ${message}` : message;
  }
  return record;
}

/** A running native lane. */
export class NativeLane {
  private constructor(private readonly lane: NativeRadiusLane, readonly address: { address: string; port: number },
                      private readonly deliver: ((records: NativeRadiusLaneRecord[]) => void) | undefined) {}

  /**
   * Opens the lane, or answers undefined when this server cannot run on it (a store that is not
   * a plain table, a platform without the lane, a host the lane cannot bind as given).
   */
  static async open(given: LaneAuthenticator, config: LaneConfig): Promise<NativeLane | undefined> {
    const authenticator = lanePartsOf(given);
    if (authenticator === undefined) return undefined;
    const users = usersAhead(authenticator.store);
    if (users === undefined) return undefined;
    try {
      const literal = isIP(config.host) !== 0 ? config.host : (await lookup(config.host, { family: 4 })).address;
      const family = isIP(literal) as 4 | 6;
      const options: NativeRadiusLaneOptions = {
        family, host: literal, port: config.port, idleTimeoutMs: config.idleTimeoutMs, replyCacheMs: config.replyCacheMs,
        maxConversations: config.maxConversations, maxTlsConversations: config.maxTlsConversations,
        requireMessageAuthenticator: config.requireMessageAuthenticator, tlsTypes: TLS_TYPES,
        records: config.onConversationEnd !== undefined,
      };
      if (config.clients) {
        options.clients = config.clients.map((entry) => {
          const network = networkOf(entry);
          return [network.family, addressBytes(network.address), network.prefix, network.secret];
        });
      } else {
        options.secret = config.secret;
      }
      if (config.allowedClients) options.allowed = config.allowedClients.map(laneAddress);
      const onEnd = config.onConversationEnd;
      // A log that throws loses its line, never the verdict the lane holds for it.
      const deliver = onEnd ? (records: NativeRadiusLaneRecord[]) => {
        for (const record of records) {
          try {
            onEnd(recordOf(record));
          } catch {
            // the caller's own failure
          }
        }
      } : undefined;
      let lane: NativeRadiusLane;
      try {
        lane = await binding.radiusLaneOpen(authenticator.methodHandles(), authenticator.settings, undefined, options,
          users, deliver);
      } catch (error) {
        const failure = bindError(error, literal, config.port);
        if (failure === undefined) return undefined;
        throw failure;
      }
      return new NativeLane(lane, { address: literal, port: lane.port }, deliver);
    } finally {
      for (const known of users) wipeKnownAnswer(known);
    }
  }

  stats(): { counts: RadiusServerStats; active: number; activeTls: number } {
    const raw = this.lane.stats();
    const counts = {} as RadiusServerStats;
    STAT_NAMES.forEach((name, i) => { counts[name] = raw[i]; });
    return { counts, active: raw[12], activeTls: raw[13] };
  }

  close(): void {
    this.lane.close(this.deliver);
  }
}

/** Undefined when the lane is not built here or cannot take the address as given (a scoped
 *  IPv6 address): the server keeps its JS lane. Anything else is the bind's failure, shaped as
 *  dgram's (code, errno, syscall, address, port). */
function bindError(error: unknown, address: string, port: number): Error | undefined {
  const failure = error as Error & { code?: string; errno?: number };
  if (failure.code === 'ERR_RADIUS_LANE_UNAVAILABLE' || failure.code === 'EINVAL') return undefined;
  if (typeof failure.errno !== 'number' || failure.errno === 0) return failure;
  const code = getSystemErrorName(-failure.errno);
  return Object.assign(new Error(`${failure.message} ${code} ${address}:${port}`),
    { code, errno: -failure.errno, syscall: failure.message, address, port });
}
