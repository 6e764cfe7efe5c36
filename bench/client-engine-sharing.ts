/**
 * Disconnect-Requests, CoA-Requests (to our Dynamic Authorization Server, in a process of its own)
 * and Accounting-Requests (to FreeRADIUS, answering without recording) per second through the shared client engine
 * (disconnectRequest, coaRequest, accountingRequest: one socket and thread per address family
 * for the whole process) beside the way they went before, an engine per request: a fresh native
 * client engine (a thread and a socket) opened, given its target, sent the same request and
 * closed each time, through the binding directly. Rounds alternate (shared, fresh, shared, …) in
 * one run; the ratio is the median round's shared rate over the median fresh one. The fresh side
 * skips the library's checks and encodings the shared side pays, so the ratio is a floor.
 * Target: at least 5x with requests out together (16 in flight); one at a time, each request
 * waits out its peer's round trip on either side, and the ratio is shown beside, unchecked.
 * Exits 1 below the target.
 *
 *   node dist/bench/client-engine-sharing.js [--seconds 1.5] [--rounds 3] [--in-flight 1,16]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binding, RadiusClientOutcomeKind } from '../lib/native';
import { accountingRequest, coaRequest, disconnectRequest } from '../lib/radius';
import { closeSharedClientEngine } from '../lib/radius/client-engine';
import { startFreeRadius } from '../test/support/freeradius';

const SECRET = 'bench-secret';
const STATION = '02-00-00-00-00-01';

interface Kind {
  name: string;
  shared(n: number): Promise<unknown>;
  fresh(n: number): Promise<unknown>;
}

const u32 = (value: number): Buffer => { const out = Buffer.alloc(4); out.writeUInt32BE(value >>> 0); return out; };
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

/** One request on an engine of its own, opened and closed around it, as udp-exchange.ts did. */
async function fresh(port: number, code: number, attributes: { type: number; value: Buffer }[], answerCodes: number[],
  messageAuthenticator: boolean): Promise<number> {
  let answered!: (code: number) => void;
  let failed!: (error: Error) => void;
  const done = new Promise<number>((resolve, reject) => { answered = resolve; failed = reject; });
  const native = binding.radiusClientOpen({ host: '0.0.0.0', onEvents: (events) => {
    for (const outcome of events.outcomes ?? []) {
      if (outcome.kind === RadiusClientOutcomeKind.Reply) answered(outcome.code!);
      else failed(new Error(`no reply (kind ${outcome.kind})`));
    }
  } });
  try {
    const target = native.target({ address: '127.0.0.1', port, secret: Buffer.from(SECRET) });
    native.ref();
    native.send({ id: 1, target, code, attributes, messageAuthenticator, requireMessageAuthenticator: false, secretProbe: false,
      answerCodes, tries: 3, timeoutMs: 6000 });
    setImmediate(() => native.flush());
    return await done;
  } finally {
    native.unref();
    native.close();
  }
}

/** The DAS in a child process: resolves with its port and a way to stop it. */
function startDas(): Promise<{ port: number; stop(): void }> {
  const lib = join(__dirname, '..', 'lib', 'radius');
  const program = `const { DynamicAuthorizationServer } = require(${JSON.stringify(lib)});
    const server = new DynamicAuthorizationServer({ port: 0, replayCacheSize: 1 << 20,
      clients: [{ network: '127.0.0.1', secret: ${JSON.stringify(SECRET)} }], handle: () => ({ done: true }) });
    server.listen().then(({ port }) => console.log(port));`;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve({ port: Number(chunk.toString().trim()), stop: () => child.kill() }));
  });
}

/** Each request's number, never the same twice in a run. */
let serial = 0;

interface Round {
  /** Requests per second. */
  rate: number;
  /** This process's CPU (JS and every engine thread; the peers run in processes of their own) per request, µs. */
  cpuUs: number;
}

/** Requests per second of `make` with `inFlight` out at once, for `seconds`, and their CPU here. */
async function rate(make: (n: number) => Promise<unknown>, inFlight: number, seconds: number): Promise<Round> {
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < deadline) {
      await make(serial++);
      done++;
    }
  }));
  const used = process.cpuUsage(cpu);
  return { rate: done / ((performance.now() - started) / 1000), cpuUs: (used.user + used.system) / done };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '1.5' }, rounds: { type: 'string', default: '3' },
    'in-flight': { type: 'string', default: '1,16' },
  } });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const inFlights = values['in-flight'].split(',').map(Number);
  // Both peers do the least a correct server does: the DAS answers every request (its handler
  // says done), FreeRADIUS answers every Accounting-Request and records nothing. With the
  // distribution's accounting (a detail file and radwtmp written per request) FreeRADIUS took
  // more of this 2-core machine than the client did, and its cost, not the client's, set the rate.
  const freeradius = await startFreeRadius({ secret: SECRET, users: [], accounting: 'answer' });
  const das = await startDas();
  const nas = { host: '127.0.0.1', port: das.port, secret: SECRET };
  const acct = { host: '127.0.0.1', port: freeradius.acctPort!, secret: SECRET };
  const now = (): Buffer => u32(Math.floor(Date.now() / 1000));
  // Each request names a session of its own (Acct-Session-Id), on both sides: none is a replay the
  // DAS answers from memory.
  const session = (n: number) => ({ acctSessionId: `bench-${n}`, callingStationId: STATION });
  const named = (n: number) => [{ type: 44, value: text(`bench-${n}`) }, { type: 31, value: text(STATION) }];
  const kinds: Kind[] = [
    {
      name: 'Disconnect',
      shared: (n) => disconnectRequest(nas, { session: session(n) }),
      fresh: (n) => fresh(das.port, 40, [...named(n), { type: 55, value: now() }], [41, 42], true),
    },
    {
      name: 'CoA',
      shared: (n) => coaRequest(nas, { session: session(n), changes: { sessionTimeout: 60 } }),
      fresh: (n) => fresh(das.port, 43, [...named(n), { type: 27, value: u32(60) }, { type: 55, value: now() }], [44, 45], true),
    },
    {
      name: 'accounting',
      shared: (n) => accountingRequest(acct, [{ type: 40, value: u32(3) }, { type: 44, value: text(`bench-${n}`) }]),
      fresh: (n) => fresh(acct.port, 4, [{ type: 40, value: u32(3) }, { type: 44, value: text(`bench-${n}`) }], [5], false),
    },
  ];
  let failed = false;
  try {
    for (const inFlight of inFlights) {
      for (const kind of kinds) {
        const shared: Round[] = [];
        const each: Round[] = [];
        for (let round = 0; round < rounds; round++) {
          shared.push(await rate(kind.shared, inFlight, seconds));
          each.push(await rate(kind.fresh, inFlight, seconds));
        }
        const ratio = median(shared.map((r) => r.rate)) / median(each.map((r) => r.rate));
        const cpuRatio = median(each.map((r) => r.cpuUs)) / median(shared.map((r) => r.cpuUs));
        const checked = inFlight > 1;
        if (checked && ratio < 5) failed = true;
        const rates = (rounds_: Round[]): string => rounds_.map((r) => r.rate.toFixed(0)).join(', ');
        const cpus = (rounds_: Round[]): string => rounds_.map((r) => r.cpuUs.toFixed(0)).join(', ');
        console.log(`${kind.name.padEnd(10)} ${String(inFlight).padStart(2)} in flight: shared engine ${rates(shared)}/s ` +
          `(${cpus(shared)} µs CPU each); engine per request ${rates(each)}/s (${cpus(each)} µs); ` +
          `${ratio.toFixed(1)}x the rate${!checked ? ' (unchecked)' : ratio < 5 ? ' (below 5x)' : ''}, ${cpuRatio.toFixed(1)}x less CPU`);
      }
    }
  } finally {
    closeSharedClientEngine();
    das.stop();
    await freeradius.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
