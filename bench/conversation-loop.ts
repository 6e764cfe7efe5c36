/**
 * The benchmarks' baselines: eaphost_bench.node (native/bench/), a separate addon built beside
 * the production one, runs whole conversations in a C++ loop through the same portable EAPHost
 * library and method module the public API uses, and (off Windows) GnuTLS's own full-handshake
 * loop, the TLS methods' floor (native/bench/tls_handshake_floor.h).
 */
import * as fs from 'fs';
import * as path from 'path';
import { builtinMethods, portableEapHostPath } from '../lib/session/builtin';
import type { BuiltinMethodName } from '../lib/session/builtin';
import { nativeDir } from '../lib/native';

export interface LoopOptions {
  method: BuiltinMethodName;
  count: number;
  userBlob: Buffer;
  password: string;
  peerConnectionData?: Buffer;
  authenticatorConnectionData?: Buffer;
}

export interface LoopResult {
  completed: number;
  successes: number;
  elapsedMs: number;
}

export interface HandshakeFloorOptions {
  serverCertificate: string;
  serverKey: string;
  ca: string;
  /** The GnuTLS priority string both ends use. */
  priority: string;
  serverName?: string;
  /** EAP-TLS: the client presents this certificate and the server requires one. */
  clientCertificate?: string;
  clientKey?: string;
  count: number;
}

export interface HandshakeFloorResult {
  handshakes: number;
  elapsedMs: number;
  /** CPU time of the loop's thread (both ends). */
  cpuMs: number;
  /** GnuTLS's description of the first handshake: version, key exchange, signature, cipher. */
  negotiated: string;
  gnutlsVersion: string;
}

export interface X25519FloorResult {
  /** Exchanges timed: as many key shares made and secrets derived. */
  count: number;
  /** CPU time of nettle's curve25519_mul_g over the batch: the server's key share. */
  keyShareCpuMs: number;
  /** CPU time of nettle's curve25519_mul over the batch: the shared secret. */
  secretCpuMs: number;
  /** False only if every output began with a zero byte: the multiplications did not run. */
  anyNonZero: boolean;
  nettleVersion: string;
}

export interface CoreRoundTripOptions {
  /** Bursts of round trips; the median burst's figure is the result. */
  bursts: number;
  perBurst: number;
}

interface BenchAddon {
  coreRoundTrip(options: CoreRoundTripOptions): Promise<number>;
  tlsHandshakeFloor(options: HandshakeFloorOptions): Promise<HandshakeFloorResult>;
  x25519Floor(options: { count: number }): Promise<X25519FloorResult>;
  benchConversations(options: LoopOptions & { libraryPath: string; methodPath: string;
    methodType: { type: number; vendorId: number; vendorType: number; authorId: number } }): Promise<LoopResult>;
}

let addon: BenchAddon | undefined;

function benchAddon(): BenchAddon {
  if (addon === undefined) {
    const file = path.join(nativeDir, 'eaphost_bench.node');
    if (!fs.existsSync(file)) throw new Error(`${file} is not built: npm run build:bench (no other build makes it)`);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    addon = require(file) as BenchAddon;
  }
  return addon;
}

/** X25519 as GnuTLS computes it (nettle), `count` exchanges on a worker thread. */
export function runX25519Floor(count: number): Promise<X25519FloorResult> {
  return benchAddon().x25519Floor({ count });
}

/** GnuTLS's own full TLS handshakes, both ends on one worker thread over memory. */
export function runHandshakeFloor(options: HandshakeFloorOptions): Promise<HandshakeFloorResult> {
  return benchAddon().tlsHandshakeFloor(options);
}

/** Nanoseconds a cache line takes from one core to the other and back (two threads handing a
 *  counter to each other, spinning): what each hand-off between the public API's two threads
 *  costs on this machine, which the C++ loop on one thread never pays. */
export function coreRoundTripNs(options: CoreRoundTripOptions = { bursts: 9, perBurst: 20_000 }): Promise<number> {
  return benchAddon().coreRoundTrip(options);
}

export function runConversationLoop(options: LoopOptions): Promise<LoopResult> {
  const method = builtinMethods[options.method];
  return benchAddon().benchConversations({ ...options, libraryPath: portableEapHostPath, methodPath: method.path,
    methodType: method.methodType });
}
