import { strict as assert } from 'node:assert';
import { ClientEngine, LoadPlan } from '../../lib/radius/client-engine';
import { RadiusClientOutcome, RadiusClientOutcomeKind } from '../../lib/native';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { freeUdpPort } from '../support/programs';

/**
 * The client engine's load runs (ClientEngine.load, the engine's thread making every request from
 * the run's columns): what is counted is FreeRADIUS's verdict on each request (a known user with the
 * right password is accepted only if FreeRADIUS recovers it from the hidden User-Password), an
 * unanswered request reaches JS as an outcome, and a stopped run withdraws what it has out.
 */
const SECRET = 'client-load-secret';
const USERS = [{ identity: 'lr1', password: 'load run 1' }, { identity: 'lr2', password: 'load run 2' }];

/** Requests made in turn from these users: User-Name and the password hidden as User-Password. */
const users = (...list: Array<[string, string]>): LoadPlan['own'] => [
  { type: 1, values: list.map(([identity]) => identity) }, { type: 2, values: list.map(([, password]) => password) },
];

const plan = (own: LoadPlan['own'], more: Partial<LoadPlan> = {}): LoadPlan => ({
  own, attributes: [{ type: 32, value: Buffer.from('eaphost') }], requireMessageAuthenticator: false, tries: 3, timeoutMs: 5000,
  concurrency: 8, ...more,
});

describe('ClientEngine.load: a load run on the engine\'s thread', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  let engine: ClientEngine;
  const endpoint = () => ({ host: '127.0.0.1', port: server.port, secret: SECRET });
  const unanswered: RadiusClientOutcome[] = [];
  const hooks = { unanswered: (outcome: RadiusClientOutcome) => { unanswered.push(outcome); } };

  before(async () => {
    server = await startFreeRadius({ secret: SECRET, users: USERS });
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    engine = new ClientEngine();
    unanswered.length = 0;
  });
  afterEach(() => engine.close());

  it('users in turn: 2 known users and a wrong password, FreeRADIUS accepts 20 of 30', async () => {
    await engine.load(endpoint(), plan(users(['lr1', 'load run 1'], ['lr2', 'load run 2'], ['lr1', 'wrong']),
      { count: 30 }), hooks);
    const progress = engine.loadProgress();
    assert.deepEqual([progress.started, progress.inFlight, progress.successes, progress.failures], [30, 0, 20, 10]);
    assert.equal(progress.latenciesMs.length, 30);
    assert.ok(progress.latenciesMs.every((latency) => latency > 0));
    assert.equal(engine.loadProgress().latenciesMs.length, 0, 'each latency is taken once');
    assert.equal(unanswered.length, 0);
    const stats = engine.counters();
    assert.deepEqual([stats.requests, stats.repliesAccepted, stats.retransmissions], [30, 30, 0]);
  });

  it('more in flight than one server\'s 256 Identifiers: the rest wait their turn, every one answered', async () => {
    // A reused Identifier can meet FreeRADIUS still finishing its last request: a short interval resends it.
    await engine.load(endpoint(), plan(users(['lr2', 'load run 2']), { count: 700, concurrency: 300, tries: 10, timeoutMs: 3000 }), hooks);
    const progress = engine.loadProgress();
    assert.deepEqual([progress.started, progress.successes, progress.failures, progress.inFlight], [700, 700, 0, 0]);
    assert.ok(engine.counters().identifierWaits > 0);
  });

  it('--rate and --duration: starts paced, none after the duration', async () => {
    const began = performance.now();
    await engine.load(endpoint(), plan(users(['lr1', 'load run 1']), { count: 10, rate: 50 }), hooks);
    assert.ok(performance.now() - began >= 175, 'the 10th start is 180 ms after the first');
    assert.equal(engine.loadProgress().successes, 10);
    const timed = new ClientEngine();
    try {
      const from = performance.now();
      await timed.load(endpoint(), plan(users(['lr1', 'load run 1']), { durationMs: 300, rate: 100, concurrency: 2 }), hooks);
      assert.ok(performance.now() - from >= 295);
      const progress = timed.loadProgress();
      assert.ok(progress.started > 0 && progress.started <= 31, String(progress.started));
      assert.equal(progress.successes, progress.started);
    } finally {
      timed.close();
    }
  });

  it('a silent server: each request an unanswered outcome (a timeout), none counted as answered', async () => {
    const silent = { host: '127.0.0.1', port: await freeUdpPort(), secret: SECRET };
    await engine.load(silent, plan(users(['lr1', 'load run 1']), { count: 3, tries: 2, timeoutMs: 200 }), hooks);
    assert.deepEqual(unanswered.map((outcome) => [outcome.id, outcome.kind, outcome.sent]),
      Array.from({ length: 3 }, () => [0, RadiusClientOutcomeKind.Timeout, 2]));
    const progress = engine.loadProgress();
    assert.deepEqual([progress.started, progress.inFlight, progress.successes, progress.failures], [3, 0, 0, 0]);
  });

  it('a silent server and more requests than Identifiers: those that waited for one time out in turn too', async () => {
    const silent = { host: '127.0.0.1', port: await freeUdpPort(), secret: SECRET };
    // 256 out at once, 44 waiting for an Identifier; each given up after 200 ms. The 44 start as
    // the first 256 are given up, on the engine's clock, which must then wake for them as well.
    const run = engine.load(silent, plan(users(['lr1', 'load run 1']), { count: 300, concurrency: 300, tries: 1, timeoutMs: 200 }), hooks);
    await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    const progress = engine.loadProgress();
    assert.deepEqual([progress.started, progress.inFlight, unanswered.length], [300, 0, 300]);
    await run;
  });

  it('stopped: the requests out are withdrawn, no outcome follows, the run resolves', async () => {
    const silent = { host: '127.0.0.1', port: await freeUdpPort(), secret: SECRET };
    const stop = new AbortController();
    const run = engine.load(silent, plan(users(['lr1', 'load run 1']), { durationMs: 60_000, concurrency: 4, timeoutMs: 30_000 }),
      { ...hooks, signal: stop.signal });
    for (let started = 0; started < 4;) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      started = engine.loadProgress().started;
    }
    stop.abort();
    await run;
    const progress = engine.loadProgress();
    assert.deepEqual([progress.started, progress.inFlight], [4, 0]);
    assert.equal(unanswered.length, 0);
    assert.equal(engine.counters().timeouts, 0);
  });

  it('one run at a time; a run whose longest request cannot be a packet is a RangeError', async () => {
    const silent = { host: '127.0.0.1', port: await freeUdpPort(), secret: SECRET };
    const stop = new AbortController();
    const first = engine.load(silent, plan(users(['lr1', 'load run 1']), { count: 1, timeoutMs: 30_000 }), { ...hooks, signal: stop.signal });
    await assert.rejects(engine.load(endpoint(), plan(users(['lr1', 'load run 1']), { count: 1 }), hooks), /already on/);
    stop.abort();
    await first;
    await assert.rejects(engine.load(endpoint(), plan(users(['lr1', 'load run 1'], ['lr1', 'x'.repeat(129)]), { count: 1 }), hooks),
      (error: Error) => error instanceof RangeError && /128 bytes/.test(error.message));
    await assert.rejects(engine.load(endpoint(), plan(users(['lr1', 'load run 1'], ['x'.repeat(254), 'y']), { count: 1 }), hooks),
      (error: Error) => error instanceof RangeError && /253 bytes/.test(error.message));
    await assert.rejects(engine.load(endpoint(), plan([...users(['lr1', 'load run 1']), { type: 31, values: ['a', 'b'] }]), hooks),
      (error: Error) => error instanceof RangeError && /one length/.test(error.message));
  });
});
