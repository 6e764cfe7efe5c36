/**
 * Copies of the EAP packet per in-process round trip (issue: at most 4), counted from outside the
 * project: a preloaded library (test/fixtures/eap_copy_counter.c) counts every memcpy/memmove of
 * a whole EAP packet in the process, whoever makes it. Two runs of a child that authenticates N
 * and 3N times through the public API; their difference over the round-trip difference is the
 * copies per round trip, set-up and teardown cancelling out. Release build only: a sanitizer
 * build intercepts these calls itself (the sanitizer lane leaves this file to the linux lane).
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inScratchDir, repoRoot as root } from '../support/scratch';

interface Counted {
  roundTrips: number;
  /** Copies of Requests, Responses, Successes and Failures. */
  copies: [number, number, number, number];
}

// The EAP Types each conversation carries (RFC 3748 §5: Identity 1, Nak 3; MD5-Challenge 4,
// EAP-MSCHAPv2 26): the counter counts no Request or Response of another Type, so bytes that
// only look like a packet (a random challenge value, a pointer's ASLR-drawn bytes, V8's own tables)
// are not a copy.
const TYPES: Record<string, string> = { md5: '1,3,4', mschapv2: '1,3,26' };

function countedRun(counter: string, dir: string, method: string, count: number): Counted {
  const report = path.join(dir, `report-${method}-${count}`);
  const child = spawnSync(process.execPath, [path.join(__dirname, '..', 'support', 'copy-count-run.js'), method, String(count)],
    { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: counter, EAP_COPY_REPORT: report, EAP_COPY_TYPES: TYPES[method] },
      timeout: 120_000 });
  assert.equal(child.status, 0, child.stderr);
  const copies = fs.readFileSync(report, 'utf8').trim().split(' ').map(Number);
  assert.equal(copies.length, 4, 'the counter wrote its report');
  return { roundTrips: Number(child.stdout.trim()), copies: copies as Counted['copies'] };
}

function copiesPerRoundTrip(method: string): { perRoundTrip: number; roundTripsPerAuth: number; byCode: string } {
  return inScratchDir('eaphost-copy-counter-', (dir) => {
    const counter = path.join(dir, 'eap_copy_counter.so');
    const build = spawnSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC',
      path.join(root, 'test', 'fixtures', 'eap_copy_counter.c'), '-o', counter, '-ldl'], { encoding: 'utf8' });
    assert.equal(build.status, 0, `the counter did not compile:\n${build.stderr}`);
    const short = countedRun(counter, dir, method, 50);
    const long = countedRun(counter, dir, method, 150);
    const total = (run: Counted) => run.copies.reduce((sum, n) => sum + n, 0);
    const roundTrips = long.roundTrips - short.roundTrips;
    assert.ok(roundTrips > 0);
    const byCode = short.copies.map((n, i) => long.copies[i] - n).join('/');
    return { perRoundTrip: (total(long) - total(short)) / roundTrips, roundTripsPerAuth: roundTrips / 100, byCode };
  });
}

describe('EAP packet copies per in-process round trip, counted at memcpy/memmove', function () {
  this.timeout(240_000);
  // What this tree does (the target is 4): a change that adds a copy fails here. The
  // counter's EAP_COPY_TRACE=1 prints the call stack of each copy. MD5, per authentication: the
  // Identity request (the portable EAPHost's, kept for retransmission checks), the Identity
  // response (GetSendPacket), the challenge (the method's write into the authenticator host's
  // buffer, the peer method's own mutable copy) and the response (the method's write into the
  // peer's buffer, GetSendPacket): 6 in 2 round trips. MS-CHAPv2 adds a round trip of those four
  // copies (the Success request and its acknowledgement): 10 in 3. Methods build their packets in
  // place (no copy of the Type-Data behind a header), the authenticator keeps no copy of its
  // Identity request, and without onPacket JS receives no packet.
  const CEILINGS: Record<string, number> = { md5: 6 / 2, mschapv2: 10 / 3 };

  for (const [method, ceiling] of Object.entries(CEILINGS)) {
    it(`${method}: the counter sees the packet travel, and no more than ${ceiling.toFixed(2)} copies a round trip`, () => {
      const { perRoundTrip, roundTripsPerAuth, byCode } = copiesPerRoundTrip(method);
      console.log(`      ${method}: ${perRoundTrip.toFixed(2)} copies per round trip, ${roundTripsPerAuth} round trips`);
      // A packet crosses the peer, the authenticator and their methods: a counter that sees fewer
      // than one copy a round trip is not seeing them.
      assert.ok(perRoundTrip >= 1, `only ${perRoundTrip} copies a round trip: the counter is not counting`);
      assert.ok(perRoundTrip <= ceiling + 1e-9,
        `${perRoundTrip} copies a round trip (at most ${ceiling.toFixed(2)}; Request/Response/Success/Failure copies ${byCode})`);
    });
  }
});
