/**
 * The EAPOL port under bad input: frames that break the format (version, type, body length
 * against the frame, EAP length against the body) are counted and dropped, never handed on; a
 * flood of EAPOL-Starts from many MACs stays within the port's bounds on stations and half-open
 * conversations, each Start costing a Request/Identity and no station. The frames are written raw by Python's AF_PACKET socket in the other namespace,
 * so nothing of ours shapes them.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { openEapolPort, EapolError } from '../../lib/eapol';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { findProgram, runProgram } from '../support/programs';

const CHILD = resolve(__dirname, '..', 'support', 'eapol-port-child.js');

// Raw frames from the supplicant's end: Ethernet header to the PAE group from a source given per
// frame, then the EAPOL bytes as given (no checking: that is the point).
const INJECT = `
import os, socket, struct, sys, json
ifname, plan = sys.argv[1], json.loads(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
group = bytes.fromhex('0180c2000003')
for source, eapol_hex in plan['frames']:
    s.send(group + bytes.fromhex(source) + b'\\x88\\x8e' + bytes.fromhex(eapol_hex))
for i in range(plan['starts']):
    source = bytes([0x02]) + os.urandom(5)
    s.send(group + source + b'\\x88\\x8e' + bytes([2, 1, 0, 0]))
`;

async function inject(link: WiredLink, frames: [string, string][], starts: number): Promise<void> {
  const [program, args] = inNamespace(link.supplicant.ns, findProgram(['python3'], 'python3'),
    ['-c', INJECT, link.supplicant.ifname, JSON.stringify({ frames, starts })]);
  const run = await runProgram(program, args, { timeoutMs: 30_000 });
  assert.equal(run.code, 0, run.stderr);
}

interface Counters {
  port: { received: number; malformed: number; ignored: number; sent: number; overflow: number; kernelDrops: number };
  authenticator: {
    supplicants: number; halfOpen: number; refusedSupplicants: number; refusedHalfOpen: number; refusedStartRate: number;
    identityRequests: number; refusedIdentityRate: number; ignoredStarts: number;
  };
  peak: { supplicants: number; halfOpen: number };
}

/** The port child in the authenticator's namespace; `finish()` asks it for its counters. */
async function portChild(link: WiredLink, maxSupplicants: number, maxHalfOpen: number): Promise<{ finish(): Promise<Counters> }> {
  const [program, args] = inNamespace(link.authenticator.ns, process.execPath,
    [CHILD, link.authenticator.ifname, String(maxSupplicants), String(maxHalfOpen)]);
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => { err += chunk; });
  const lines = new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('ready\n')) ready(); });
    child.on('exit', (code) => fail(new Error(`port child exited with ${code}: ${err}`)));
  });
  await lines;
  return {
    finish: () => new Promise((done, fail) => {
      child.removeAllListeners('exit');
      child.on('exit', () => {
        const last = out.trim().split('\n').pop() ?? '';
        try { done(JSON.parse(last) as Counters); } catch { fail(new Error(`no counters from the port child: ${out}${err}`)); }
      });
      child.stdin.write('stats\n');
    }),
  };
}

describe('EAPOL port: malformed frames and floods', function () {
  this.timeout(60_000);
  let link: WiredLink;

  beforeEach(async () => { link = await makeWiredLink(); });
  afterEach(async () => { await link?.remove(); });

  it('counts and drops every malformed frame, and still takes the good ones', async () => {
    const port = await portChild(link, 16, 4);
    const from = '020000000001';
    const malformed: [string, string][] = [
      [from, '00010000'],                // version 0
      [from, '09010000'],                // version 9
      [from, '02c80000'],                // packet type 200
      [from, '02000040' + '02010008'],   // body length 64, 4 bytes there
      [from, '02000008' + '0201ffff01616263'],  // EAP length 65535 in an 8-byte body
      [from, '02000004' + '02010002'],   // EAP length 2: shorter than the EAP header
      [from, '0200'],                    // cut inside the EAPOL header
    ];
    const good: [string, string][] = [['020000000002', '02010000'], ['020000000003', '02020000']];
    await inject(link, [...malformed, ...good], 0);
    await new Promise((done) => setTimeout(done, 300));
    const counters = await port.finish();
    assert.equal(counters.port.malformed, malformed.length);
    assert.equal(counters.port.received, good.length);
    // The Start was answered with a Request/Identity: the port still works.
    assert.ok(counters.port.sent >= 1, JSON.stringify(counters));
  });

  it('a flood of EAPOL-Starts from 3000 MACs stays within the station and half-open bounds', async () => {
    const port = await portChild(link, 64, 8);
    await inject(link, [], 3000);
    await new Promise((done) => setTimeout(done, 500));
    const counters = await port.finish();
    assert.ok(counters.peak.supplicants <= 64, JSON.stringify(counters));
    assert.ok(counters.peak.halfOpen <= 8, JSON.stringify(counters));
    assert.ok(counters.authenticator.supplicants <= 64 && counters.authenticator.halfOpen <= 8, JSON.stringify(counters));
    // A Start from a MAC the port does not know is answered with a Request/Identity (or refused
    // past the rate) and nothing more: no station, no conversation until it is answered.
    const { identityRequests, refusedIdentityRate, ignoredStarts } = counters.authenticator;
    assert.ok(identityRequests > 0, JSON.stringify(counters));
    assert.ok(identityRequests + refusedIdentityRate + ignoredStarts <= counters.port.received - counters.port.overflow,
      JSON.stringify(counters));
    assert.equal(counters.peak.supplicants, 0, JSON.stringify(counters));
    // Every frame is accounted for: taken, dropped by the kernel (receive queue full) or by our
    // bounded queue to the event loop; none is buffered without end.
    assert.equal(counters.port.received + counters.port.kernelDrops, 3000, JSON.stringify(counters));
    assert.ok(counters.port.overflow <= counters.port.received, JSON.stringify(counters));
  });

  it('an interface that does not exist is a typed error that says so', () => {
    assert.throws(() => openEapolPort(`nx${process.pid}`), (error: unknown) =>
      error instanceof EapolError && error.code === 'ERR_EAPOL_NO_INTERFACE' && /no interface named/.test(error.message));
  });
});
