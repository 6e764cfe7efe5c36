import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/**
 * A flood of RADIUS/DTLS handshakes that return the listener's cookie and go no further: each
 * from an address of its own on the loopback network (127.0.1.1 onwards, every one sorting after
 * 127.0.0.1), it sends the ClientHello it is given, answers the HelloVerifyRequest with the same
 * ClientHello carrying the cookie (so the listener gives it a slot and its first flight), and is
 * silent from then on: a half-open handshake that made no progress, as a spoofing-capable churn
 * makes them.
 */
export interface DtlsHelloFlood {
  /** Sources that got the listener's flight (took a slot). */
  readonly admitted: number;
  /** When each got it (performance.now()), in order. */
  readonly admittedAt: readonly number[];
  /** Sources started. */
  readonly started: number;
  /** Resolves once `count` more sources have been admitted. */
  admittedMore(count: number): Promise<void>;
  stop(): Promise<void>;
}

/** The loopback address of flood source `index` (0-based): 127.0.1.1 onwards, 250 a /24. */
export function floodAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** `hello` (a DTLS ClientHello record, unfragmented) carrying `cookie`: its lengths grown to hold it,
 *  its message_seq and record sequence 1 (RFC 6347 §4.2.1). */
export function withCookie(hello: Buffer, cookie: Buffer): Buffer {
  const record = 13;
  const body = record + 12;
  const sessionIdLength = hello[body + 34];
  const cookieAt = body + 35 + sessionIdLength;
  const oldCookie = hello[cookieAt];
  const out = Buffer.concat([hello.subarray(0, cookieAt), Buffer.from([cookie.length]), cookie, hello.subarray(cookieAt + 1 + oldCookie)]);
  const grown = cookie.length - oldCookie;
  out.writeUIntBE(1, 5, 6);
  out.writeUInt16BE(hello.readUInt16BE(11) + grown, 11);
  out.writeUIntBE(hello.readUIntBE(record + 1, 3) + grown, record + 1, 3);
  out.writeUInt16BE(1, record + 4);
  out.writeUIntBE(hello.readUIntBE(record + 9, 3) + grown, record + 9, 3);
  return out;
}

/** The cookie of a HelloVerifyRequest record, or undefined for anything else. */
export function cookieOf(datagram: Buffer): Buffer | undefined {
  if (datagram.length < 13 + 12 + 3 || datagram[0] !== 22 || datagram[13] !== 3) return undefined;
  const at = 13 + 12 + 2;
  return datagram.subarray(at + 1, at + 1 + datagram[at]);
}

/** Starts the flood against 127.0.0.1:`port`: `lanes` sources in flight at once, each lane's next
 *  `paceMs` after its last was admitted, each source silent (and closed) once the listener sent it
 *  its flight, at most `limit` sources in all. With `everyMs`, sources start at that pace instead,
 *  whatever the listener admits (a sender's rate, not the listener's), `lanes` and `paceMs` unused. */
export function startDtlsHelloFlood(port: number, hello: Buffer,
  options: { lanes: number; paceMs: number; limit: number; everyMs?: number }): DtlsHelloFlood {
  const { lanes, paceMs, limit, everyMs } = options;
  const open = new Set<Socket>();
  const waiters: { at: number; resolve: () => void }[] = [];
  let stopped = false;
  const state = { admitted: 0, started: 0, admittedAt: [] as number[] };
  const wake = () => {
    for (const waiter of waiters.splice(0)) {
      if (state.admitted >= waiter.at) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  const source = (index: number): Promise<void> => new Promise((done) => {
    const socket = createSocket('udp4');
    open.add(socket);
    const finish = () => {
      clearTimeout(timer);
      if (open.delete(socket)) socket.close();
      done();
    };
    // A source whose datagrams were lost gives up: the flood goes on with the next.
    const timer = setTimeout(finish, 2000);
    socket.on('error', finish);
    socket.on('message', (datagram) => {
      const cookie = cookieOf(datagram);
      if (cookie !== undefined) {
        socket.send(withCookie(hello, cookie), port, '127.0.0.1');
        return;
      }
      state.admitted++;
      state.admittedAt.push(performance.now());
      wake();
      finish();
    });
    socket.bind(0, floodAddress(index), () => socket.send(hello, port, '127.0.0.1'));
  });
  const lane = async (): Promise<void> => {
    while (!stopped && state.started < limit) {
      await source(state.started++);
      await new Promise((paced) => setTimeout(paced, paceMs));
    }
  };
  const paced = async (every: number): Promise<void> => {
    const sources: Promise<void>[] = [];
    for (const began = performance.now(); !stopped && state.started < limit;) {
      const due = Math.min(limit, Math.floor((performance.now() - began) / every) + 1);
      while (state.started < due) sources.push(source(state.started++));
      await new Promise((next) => setTimeout(next, every));
    }
    await Promise.all(sources);
  };
  const running = (everyMs === undefined ? Promise.all(Array.from({ length: lanes }, lane)) : paced(everyMs)).then(() => {
    for (const waiter of waiters.splice(0)) waiter.resolve();
  });
  return {
    get admitted() { return state.admitted; },
    get admittedAt() { return state.admittedAt; },
    get started() { return state.started; },
    admittedMore: (count) => new Promise((resolve) => {
      waiters.push({ at: state.admitted + count, resolve });
      wake();
    }),
    stop: async () => {
      stopped = true;
      await running;
      for (const socket of open) socket.close();
    },
  };
}
