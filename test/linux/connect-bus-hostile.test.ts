/**
 * `eaphost connect` against a system bus that misbehaves: one that never finishes the
 * authentication exchange, one that sends garbage after it, one that drops the connection while
 * a call waits, one that finishes SASL and then answers nothing. The bus here is a stand-in (a unix socket this test serves, speaking just enough
 * D-Bus: SASL's OK, then answers to Hello and GetId), so each misbehaviour comes exactly when it
 * should; the real NetworkManager cases are in connect-networkmanager.test.ts. What must hold:
 * a typed line and a non-zero exit, never a stack, never "connected", never past the deadline.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Server, Socket, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { makeTempDir } from '../support/programs';

/** dbus-native's own message codec, to frame the stand-in's answers (the package declares no types for it). */
const dbusMessage = require('@homebridge/dbus-native/lib/message') as { marshall(message: object): Buffer };
/** The calls connect makes first, longest first where one name holds another. */
const MEMBERS = ['GetNameOwner', 'GetId', 'Hello', 'AddMatch', 'GetDevices'];

const CLI = resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');
/** D-Bus message types. */
const METHOD_RETURN = 2;

type Behaviour = 'silent' | 'quiet-after-sasl' | 'garbage-length' | 'garbage-header' | 'drop-mid-call';

let served = 0;

interface StandInBus {
  address: string;
  calls: string[];
  reached: Promise<void>;
  /** Date.now() when the client first connected (0 before): its start-up is over by then. */
  reachedAt(): number;
  /** The client has finished SASL and sent its first message (Hello). */
  saslDone: Promise<void>;
  close(): Promise<void>;
}

/** The misbehaving bus: SASL (unless silent), then answers Hello and GetId, then misbehaves as told. */
async function standInBus(dir: string, behaviour: Behaviour): Promise<StandInBus> {
  const path = join(dir, `bus-${behaviour}-${++served}`);
  const calls: string[] = [];
  const sockets = new Set<Socket>();
  let reachedNow = (): void => undefined;
  const reached = new Promise<void>((done) => { reachedNow = done; });
  let saslDoneNow = (): void => undefined;
  const saslDone = new Promise<void>((done) => { saslDoneNow = done; });
  let reachedAt = 0;
  const server: Server = createServer((socket) => {
    if (reachedAt === 0) reachedAt = Date.now();
    reachedNow();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour === 'silent') return;
    let text = '';
    let binary: Buffer | undefined;
    let serial = 1;
    const reply = (to: number, body: string): void => {
      socket.write(dbusMessage.marshall({ type: METHOD_RETURN, serial: serial++, replySerial: to, sender: 'org.freedesktop.DBus',
        destination: ':1.7', signature: 's', body: [body] }));
    };
    socket.on('data', (chunk: Buffer) => {
      if (binary === undefined) {
        text += chunk.toString('latin1');
        if (/AUTH [^\r]*\r\n/.test(text) && !text.includes('OK-SENT')) {
          text += 'OK-SENT';
          socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
          if (behaviour === 'garbage-length') {
            // A little-endian method return announcing a body of 4 GiB - 16.
            const header = Buffer.alloc(16);
            header.write('l', 0, 'latin1');
            header[1] = METHOD_RETURN;
            header[3] = 1;
            header.writeUInt32LE(0xfffffff0, 4);
            header.writeUInt32LE(1, 8);
            header.writeUInt32LE(0, 12);
            socket.write(header);
          } else if (behaviour === 'garbage-header') {
            // Lengths that fit, a header-field array that is nonsense.
            const junk = Buffer.alloc(64, 0xee);
            junk.write('l', 0, 'latin1');
            junk.writeUInt32LE(8, 4);
            junk.writeUInt32LE(2, 8);
            junk.writeUInt32LE(40, 12);
            socket.write(junk);
          }
        }
        const begin = text.indexOf('BEGIN\r\n');
        if (begin < 0) return;
        binary = Buffer.from(text.slice(begin + 7).replace('OK-SENT', ''), 'latin1');
      } else {
        binary = Buffer.concat([binary, chunk]);
      }
      while (binary.length >= 16) {
        const fields = binary.readUInt32LE(12);
        const total = 16 + Math.ceil(fields / 8) * 8 + binary.readUInt32LE(4);
        if (binary.length < total) break;
        // The member, as the stand-in needs it: which of the calls connect makes this message names.
        const frame = binary.subarray(0, total);
        const message = { serial: frame.readUInt32LE(8), member: MEMBERS.find((member) => frame.includes(member)) ?? '?' };
        binary = binary.subarray(total);
        calls.push(message.member);
        saslDoneNow();
        if (behaviour === 'quiet-after-sasl') continue;  // SASL's OK, then not a word
        if (message.member === 'Hello') reply(message.serial, ':1.7');
        else if (message.member === 'GetId') reply(message.serial, '0123456789abcdef0123456789abcdef');
        else if (behaviour === 'drop-mid-call') socket.destroy();
      }
    });
  });
  await new Promise<void>((done) => server.listen(path, done));
  return {
    address: `unix:path=${path}`,
    calls,
    reached,
    reachedAt: () => reachedAt,
    saslDone,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; elapsedMs: number;
  /** Date.now() when the process had ended. */
  endedAt: number }

/** `eaphost connect` on the stand-in bus; SIGINT once `interrupt` resolves (the command is running by then). */
function eaphostConnect(busAddress: string, profileFile: string, args: string[], interrupt?: Promise<void>): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, 'connect', '--profile', profileFile, ...args],
      // The test's own environment: the child is node with this build's addon, which under the
      // sanitizers lane needs the sanitizer runtime preloaded as the test process has it.
      { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let interrupted: number | undefined;
    void interrupt?.then(() => {
      interrupted = Date.now();
      child.kill('SIGINT');
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (interrupted !== undefined) stderr += `\n(${Date.now() - interrupted} ms from SIGINT to the end)`;
      const endedAt = Date.now();
      done({ code, signal, stdout, stderr, elapsedMs: endedAt - started, endedAt });
    });
  });
}

describe('eaphost connect on a misbehaving system bus (a stand-in bus: a socket speaking just enough D-Bus)', function () {
  this.timeout(60_000);
  let dir: { path: string; remove(): void };
  let profileFile: string;
  const buses: StandInBus[] = [];

  before(() => {
    dir = makeTempDir('connect-bus');
    profileFile = join(dir.path, 'profile.json');
    writeFileSync(profileFile, JSON.stringify({ version: 1, name: 'Lab', networks: [{ type: 'wired' }],
      eap: [{ method: 'mschapv2' }], credentials: { identity: 'someone', password: 'pw' } }), { mode: 0o600 });
  });
  after(async () => {
    for (const bus of buses) await bus.close();
    dir?.remove();
  });
  const bus = async (behaviour: Behaviour): Promise<StandInBus> => {
    const made = await standInBus(dir.path, behaviour);
    buses.push(made);
    return made;
  };

  // Not waiting for the 10 s deadline: timed from the child reaching the bus, so that its
  // start-up on a loaded machine does not count.
  const endedWellBeforeDeadline = (run: Run, reachedBus: StandInBus): boolean =>
    reachedBus.reachedAt() > 0 && run.endedAt - reachedBus.reachedAt() < 5000;

  const noStack = (run: Run): void => {
    assert.doesNotMatch(run.stderr, /ERR_OUT_OF_RANGE|RangeError|TypeError|\n\s+at /, run.stderr);
    assert.equal(run.signal, null, 'ended by itself, not killed');
  };

  // A run with --timeout 2000 --json that the deadline ended: exit 3, the timeout's outcome, at
  // 2 to 4 s by the outcome's own time (the process's start-up, seconds under the sanitizers on a
  // loaded machine, is not the deadline's concern); that the process then ended by itself is
  // noStack's check (the guard kills it at 30 s).
  const timedOutAtDeadline = (run: Run): void => {
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    const printed = JSON.parse(run.stdout) as { category: string; connected: boolean; message: string; elapsedMs: number };
    assert.equal(printed.category, 'timeout');
    assert.equal(printed.connected, false);
    assert.match(printed.message, /reaching the system bus/);
    assert.ok(printed.elapsedMs >= 2000 && printed.elapsedMs < 4000, `${printed.elapsedMs} ms`);
  };

  it('a bus that never finishes SASL: the one deadline ends it (timeout, exit 3) at --timeout', async () => {
    const silent = await bus('silent');
    const run = await eaphostConnect(silent.address, profileFile, ['--timeout', '2000', '--json']);
    noStack(run);
    timedOutAtDeadline(run);
  });

  it('Ctrl-C during a stalled SASL is not swallowed: exit 3 at once, not at the deadline', async () => {
    const silent = await bus('silent');
    // SIGINT once the command holds its connection to the bus: its handlers are in place by then.
    const run = await eaphostConnect(silent.address, profileFile, ['--timeout', '20000'], silent.reached);
    noStack(run);
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /stopped before the attempt ended/);
    const took = Number(/\((\d+) ms from SIGINT to the end\)/.exec(run.stderr)?.[1]);
    assert.ok(took < 3000, `${took} ms from SIGINT to the end, of a 20 s deadline`);
  });

  it('a bus that finishes SASL and then answers nothing: timeout at the deadline, and the process exits (exit 3)', async () => {
    const quiet = await bus('quiet-after-sasl');
    const run = await eaphostConnect(quiet.address, profileFile, ['--timeout', '2000', '--json']);
    noStack(run);
    assert.ok(quiet.calls.includes('Hello'), `the stand-in heard ${quiet.calls.join(',') || 'nothing'}: SASL did not finish`);
    timedOutAtDeadline(run);
  });

  it('Ctrl-C on a bus that finished SASL and answers nothing: the first one ends the process (exit 3)', async () => {
    const quiet = await bus('quiet-after-sasl');
    const run = await eaphostConnect(quiet.address, profileFile, ['--timeout', '20000'], quiet.saslDone);
    noStack(run);
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /stopped before the attempt ended/);
    assert.doesNotMatch(run.stderr, /still taking the attempt down/);
    const took = Number(/\((\d+) ms from SIGINT to the end\)/.exec(run.stderr)?.[1]);
    assert.ok(took < 3000, `${took} ms from SIGINT to the end, of a 20 s deadline`);
  });

  for (const behaviour of ['garbage-length', 'garbage-header'] as const) {
    it(`${behaviour === 'garbage-length' ? 'a 4 GiB length' : 'a nonsense header'} right after SASL: one typed line, no stack, not exit 0`, async () => {
      const garbage = await bus(behaviour);
      const run = await eaphostConnect(garbage.address, profileFile, ['--timeout', '10000']);
      noStack(run);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /^eaphost connect: .*(not D-Bus|announced a message of 4294967280 bytes)/m, run.stderr);
      assert.ok(endedWellBeforeDeadline(run, garbage), `${run.endedAt - garbage.reachedAt()} ms after reaching the bus`);
    });
  }

  it('the bus dropping while a call waits: the call fails, a line says so, exit 3, never "connected"', async () => {
    const dropping = await bus('drop-mid-call');
    const run = await eaphostConnect(dropping.address, profileFile, ['--timeout', '10000']);
    noStack(run);
    assert.ok(dropping.calls.includes('GetNameOwner'), dropping.calls.join(','));
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stdout, /^connected/m);
    assert.match(run.stderr, /^eaphost connect: .*system bus/m);
    assert.ok(endedWellBeforeDeadline(run, dropping), `${run.endedAt - dropping.reachedAt()} ms after reaching the bus`);
  });
});
