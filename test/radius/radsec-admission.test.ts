/**
 * RadSec admission's ranking by progress (lib/radius/radsec/admission.ts), on its own: pure
 * bookkeeping, so the connections here are records of the bytes a TCP connection read and wrote,
 * and the clock is the test's. Then the saved list of known prefixes through a real RadSec
 * handshake: a listener that saw a NAS authenticate writes its /24, and one made again reads it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { RadSecAdmission, STALLED_AFTER_MS } from '../../lib/radius/radsec/admission';
import { HandshakeBudget, UNKNOWN_HANDSHAKE_BURST, UNKNOWN_HANDSHAKES_PER_SECOND } from '../../lib/radius/radsec/handshake-budget';
import { KnownPrefixesFile } from '../../lib/radius/radsec/known-prefixes';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { nasConnection, statusServer } from '../support/radsec-peers';
import { makeTempDir } from '../support/programs';

let arrivals = 0;

/** What the listener knows of a connection: its address, its order, its TCP byte counts. */
class Peer {
  readonly sequence = ++arrivals;
  read = 0;
  written = 0;
  constructor(readonly address: string) {}
  bytes(): { read: number; written: number } {
    return { read: this.read, written: this.written };
  }
  /** Its ClientHello read, the server's flight written. */
  hello(): this {
    this.read += 300;
    this.written += 2000;
    return this;
  }
}

const CLIENT_HELLO_ONLY = (i: number): Peer => new Peer(`127.1.${i}.1`).hello();

/** 30 handshakes of 32 slots from 30 /16s: the rest are kept for known prefixes. An unknown
 *  newcomer from a /16 of its own is refused there; `known` (three addresses of known prefixes)
 *  take them, and the third displaces an unknown handshake. */
function knownTakesTheReserve(admission: RadSecAdmission<Peer>, known: [string, string, string]): void {
  for (let i = 0; i < 30; i++) assert.equal(admission.admit(new Peer(`127.${1 + (i % 30)}.0.1`).hello()).admitted, true);
  assert.deepEqual(admission.admit(new Peer('127.99.0.1').hello()), { admitted: false });
  assert.equal(admission.admit(new Peer(known[0])).admitted, true);
  assert.equal(admission.admit(new Peer(known[1])).admitted, true);
  const third = admission.admit(new Peer(known[2]));
  assert.ok(third.admitted && third.evicted !== undefined && !third.evicted.address.startsWith('10.'), 'a known newcomer displaces an unknown handshake');
}

describe('RadSec admission: ranked by progress, budgeted by wide prefix', () => {
  it('a churn of ClientHellos from many /24s of one /16 displaces its own, not a NAS alone in its network', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 8, maxConnectionsPerAddress: 16 });
    const nas = new Peer('10.20.30.40').hello();
    assert.equal(admission.admit(nas).admitted, true);
    for (let i = 0; i < 7; i++) assert.equal(admission.admit(CLIENT_HELLO_ONLY(i)).admitted, true);
    // The NAS answered the server's flight; the churn's connections never answer.
    nas.read += 1500;
    for (let i = 7; i < 40; i++) {
      const outcome = admission.admit(new Peer(`127.2.${i}.1`).hello());
      if (outcome.admitted) assert.notEqual(outcome.evicted, nas, `newcomer ${i} displaced the NAS`);
    }
  });

  it('a NAS that waited longest for the budget is not displaced for its age by a churn holding as many waiting', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 8, maxConnectionsPerAddress: 16 });
    // The NAS came first and waits, unread, for its /16's turn; each of the churn's /16s holds one
    // connection waiting as the NAS does, newer, and one or two whose handshake started.
    const nas = new Peer('10.9.0.1');
    assert.equal(admission.admit(nas).admitted, true);
    for (let i = 1; i <= 3; i++) {
      assert.equal(admission.admit(new Peer(`127.${i}.0.1`).hello()).admitted, true);
      assert.equal(admission.admit(new Peer(`127.${i}.1.1`)).admitted, true);
    }
    assert.equal(admission.admit(new Peer('127.1.2.1').hello()).admitted, true);
    for (let i = 0; i < 20; i++) {
      const outcome = admission.admit(new Peer(`127.${1 + (i % 3)}.${10 + i}.1`));
      assert.ok(outcome.admitted && outcome.evicted !== undefined, `newcomer ${i} took a waiting connection's place`);
      assert.notEqual(outcome.evicted, nas, `newcomer ${i} displaced the NAS`);
    }
  });

  it('a newcomer from a /16 already holding its share of moving handshakes is refused, not let in to displace one', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 8, maxConnectionsPerAddress: 16 });
    const held = Array.from({ length: 8 }, (_, i) => CLIENT_HELLO_ONLY(i));
    for (const peer of held) assert.equal(admission.admit(peer).admitted, true);
    assert.deepEqual(admission.admit(CLIENT_HELLO_ONLY(8)), { admitted: false });
    assert.equal(admission.connections, 8);
  });

  it('a connection that leaves the server\'s flight unanswered for STALLED_AFTER_MS goes first, before one that sent nothing', () => {
    let now = 0;
    const admission = new RadSecAdmission<Peer>({ maxConnections: 4, maxConnectionsPerAddress: 16 }, { now: () => now });
    const stalled = new Peer('192.0.2.1').hello();
    const silent = new Peer('198.51.100.1');
    const moving = [new Peer('203.0.113.1').hello(), new Peer('203.0.114.1').hello()];
    for (const peer of [stalled, silent, ...moving]) assert.equal(admission.admit(peer).admitted, true);
    // A first look at every connection: the clocks start.
    const first = admission.admit(new Peer('100.64.0.1'));
    assert.equal(first.admitted && first.evicted, silent, 'before anything stalls, the one that sent nothing goes');
    now += STALLED_AFTER_MS;
    for (const peer of moving) peer.read += 100;
    const second = admission.admit(new Peer('100.65.0.1'));
    assert.equal(second.admitted && second.evicted, stalled);
  });

  it('known prefixes read back rank above every unknown one: their newcomer displaces a moving handshake', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 32, maxConnectionsPerAddress: 16 },
      { knownPrefixes: ['10.20.30.0/24', 'not a prefix'] });
    assert.deepEqual(admission.knownPrefixes(), ['10.20.30.0/24']);
    knownTakesTheReserve(admission, ['10.20.30.1', '10.20.30.2', '10.20.30.3']);
  });

  it('handshakes admitted before their /24 authenticated rank as known once it has', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 8, maxConnectionsPerAddress: 16 });
    const nas = Array.from({ length: 6 }, (_, i) => new Peer(`127.5.0.${i + 1}`).hello());
    const churn = [new Peer('127.6.0.1').hello(), new Peer('127.6.1.1').hello()];
    for (const peer of [...nas, ...churn]) assert.equal(admission.admit(peer).admitted, true);
    // At the cap, and nothing known yet: the /16 holding the most goes first.
    const third = new Peer('127.6.2.1').hello();
    assert.deepEqual(admission.admit(third), { admitted: true, evicted: nas[0] });
    // One of the /24's connections authenticates: its other four handshakes now rank above every
    // unknown one, though they were ranked unknown a moment ago and still outnumber the churn's.
    admission.authenticated(nas[1]);
    const outcome = admission.admit(new Peer('127.7.0.1').hello());
    assert.equal(outcome.admitted && outcome.evicted, churn[0]);
  });
});

describe('RadSec handshakes of unknown prefixes: started at a bounded rate, the least recent network first', () => {
  /** A budget on the test's clock; what it started, in order. */
  function budgetAt(clock: { now: number }): { budget: HandshakeBudget<Peer>; started: Peer[] } {
    const started: Peer[] = [];
    const budget = new HandshakeBudget<Peer>((peer) => started.push(peer), UNKNOWN_HANDSHAKES_PER_SECOND, UNKNOWN_HANDSHAKE_BURST,
      () => clock.now);
    return { budget, started };
  }

  it('a churn of 10,000 connections a second from 100 /16s gets no more than the burst and the rate', () => {
    const clock = { now: 0 };
    const { budget, started } = budgetAt(clock);
    try {
      // Ten connections every millisecond for a second, each offered as it arrives.
      for (let ms = 0; ms < 1000; ms++) {
        clock.now = ms;
        for (let i = 0; i < 10; i++) budget.offer(new Peer(`127.${1 + ((ms * 10 + i) % 100)}.${i}.1`));
      }
      assert.ok(started.length >= UNKNOWN_HANDSHAKES_PER_SECOND, `${started.length} started`);
      assert.ok(started.length <= UNKNOWN_HANDSHAKE_BURST + UNKNOWN_HANDSHAKES_PER_SECOND, `${started.length} started`);
      // Each of the 100 /16s had its turn before any had a second one.
      assert.equal(new Set(started.slice(0, 64).map((peer) => peer.address.split('.')[1])).size, 64);
    } finally {
      budget.clear();
    }
  });

  it('a NAS alone in its network starts at the next turn, ahead of a churn\'s networks waiting longer; one withdrawn never starts', () => {
    const clock = { now: 0 };
    const { budget, started } = budgetAt(clock);
    try {
      // Two seconds of a churn from 100 /16s, twenty connections every 10 ms: each /16 had a start.
      for (let i = 0; i < 4000; i++) {
        clock.now = Math.floor(i / 20) * 10;
        budget.offer(new Peer(`127.${1 + (i % 100)}.${Math.floor(i / 100) % 250}.1`));
      }
      assert.ok(new Set(started.map((peer) => peer.address.split('.')[1])).size === 100);
      const gone = new Peer('10.9.0.1');
      const nas = new Peer('10.20.30.40');
      budget.offer(gone);
      budget.withdraw(gone);
      budget.offer(nas);
      clock.now += 1000 / UNKNOWN_HANDSHAKES_PER_SECOND;
      budget.offer(new Peer('127.1.9.1'));
      assert.equal(started.at(-1), nas);
      assert.ok(!started.includes(gone));
    } finally {
      budget.clear();
    }
  });
});

describe('RadSec admission: the configured client networks known from the start', () => {
  it('a network\'s /24s (/56s) are known; an address its own; one wider than 256 of them, or no network, none', () => {
    const known = (network: string, addresses: string[]): boolean[] => {
      const admission = new RadSecAdmission<Peer>({ maxConnections: 8, maxConnectionsPerAddress: 16 }, { clientNetworks: [network] });
      return addresses.map((address) => admission.isKnown(address));
    };
    assert.deepEqual(known('192.0.2.7', ['192.0.2.200', '192.0.3.7']), [true, false]);
    assert.deepEqual(known('10.20.31.9/23', ['10.20.29.1', '10.20.30.1', '10.20.31.1', '10.20.32.1']), [false, true, true, false]);
    assert.deepEqual(known('::ffff:10.1.2.3', ['10.1.2.99', '10.1.3.3']), [true, false]);
    assert.deepEqual(known('172.16.0.0/16', ['172.16.0.1', '172.16.255.1', '172.17.0.1']), [true, true, false]);
    assert.deepEqual(known('172.16.0.0/15', ['172.16.0.1', '172.17.0.1']), [false, false]);
    assert.deepEqual(known('0.0.0.0/0', ['127.0.0.1']), [false]);
    assert.deepEqual(known('2001:db8:1:2345::1', ['2001:db8:1:23ff::9', '2001:db8:1:2400::1']), [true, false]);
    assert.deepEqual(known('2001:db8:1:200::/55', ['2001:db8:1:200::1', '2001:db8:1:3ff::1', '2001:db8:1:400::1']), [true, true, false]);
    assert.deepEqual(known('2001:db8:1::/48', ['2001:db8:1:ff00::1', '2001:db8:2::1']), [true, false]);
    assert.deepEqual(known('2001:db8::/32', ['2001:db8::1']), [false]);
    assert.deepEqual(known('not a network', ['127.0.0.1']), [false]);
    assert.deepEqual(known('10.0.0.0/33', ['10.0.0.1']), [false]);
  });

  it('a NAS of a configured network that never authenticated takes the reserved slots and displaces a moving handshake', () => {
    const admission = new RadSecAdmission<Peer>({ maxConnections: 32, maxConnectionsPerAddress: 16 },
      { clientNetworks: ['10.20.30.0/23', '0.0.0.0/0'] });
    // Nothing learned: the configured networks are not a saved list.
    assert.deepEqual(admission.knownPrefixes(), []);
    // 0.0.0.0/0 seeds none: 127.99.0.1 is refused at the reserve; the configured /23's take it.
    knownTakesTheReserve(admission, ['10.20.31.1', '10.20.30.2', '10.20.31.3']);
  });
});

describe('RadSec admission: the known prefixes kept across a restart (knownPrefixesFile)', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let dir: { path: string; remove(): void };
  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('radsec-known');
  });
  after(() => {
    pki?.remove();
    dir?.remove();
  });

  it('a NAS that authenticated is written down, and a listener made again reads it; a file that is not a list is refused', async () => {
    const file = join(dir.path, 'known-prefixes');
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
    try {
      const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator,
        radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, knownPrefixesFile: file } });
      const { port } = await server.listen();
      try {
        const nas = await nasConnection(pki, '127.0.0.1', port);
        try {
          await statusServer(nas, 1);
        } finally {
          nas.socket.destroy();
        }
      } finally {
        await server.close();
      }
      assert.equal(readFileSync(file, 'utf8'), '127.0.0.0/24\n');
      assert.deepEqual(new KnownPrefixesFile(file).read(), ['127.0.0.0/24']);
      writeFileSync(file, '127.0.0.0/24\n127.0.0.1\n');
      assert.throws(() => new RadiusServer({ host: '127.0.0.1', port: 0, authenticator,
        radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, knownPrefixesFile: file } }),
      (error: unknown) => error instanceof RangeError && /line 2: not a \/24 or \/56 prefix/.test(error.message));
    } finally {
      await authenticator.close();
    }
  });
});
