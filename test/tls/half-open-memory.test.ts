/**
 * What a half-open PEAP conversation costs the authenticator (Identity and ClientHello
 * answered, then abandoned, as a flood leaves them), and that the memory goes back once they
 * end. Nothing here is timed. The bound is on the native side (RSS less V8's committed heap),
 * measured per conversation over 1,500 of them after a warm-up.
 *
 * GnuTLS's own state for a server handshake in progress is ≈ 17 KB (bench/half-open-flood.ts
 * gives the breakdown); what this project adds is ≈ 5.5 KB. A GnuTLS priority cache built per
 * session (8 KB) or a conversation keeping its ClientHello and whole flight would break the
 * bound. AddressSanitizer's redzones and quarantine inflate every allocation, and its allocator
 * ignores malloc_trim: its lane checks the bound at four times the limit, and not the return.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const KB = 1024;
const underAsan = process.env.ASAN_OPTIONS !== undefined;
const NATIVE_LIMIT = (underAsan ? 4 : 1) * 30 * KB;

interface Sample { rss: number; v8: number }

describe('half-open PEAP conversations: memory per conversation and after they end', () => {
  it('holds under 30 KB of native memory per half-open conversation and gives most back once they end', async function () {
    this.timeout(10 * 60 * 1000);
    const count = 1500;
    const probe = path.join(__dirname, '..', 'fixtures', 'half-open-child.js');
    // A failing probe rejects with its stderr in the error.
    const { stdout } = await run(process.execPath, ['--expose-gc', probe, String(count)], { maxBuffer: 1 << 20 });
    const stats = JSON.parse(stdout.trim().split('\n').pop()!) as
      { count: number; flights: number; before: Sample; held: Sample; after: Sample };
    assert.equal(stats.flights, count + Math.min(300, count), 'every conversation was answered with a PEAP flight');
    const native = (sample: Sample): number => sample.rss - sample.v8;
    const grown = native(stats.held) - native(stats.before);
    const perConversation = grown / count;
    // A conversation that held nothing would make the bound meaningless: GnuTLS alone keeps ≈ 17 KB.
    assert.ok(perConversation > 8 * KB,
      `a half-open conversation must cost measurable memory (${(perConversation / KB).toFixed(1)} KB): the probe is broken`);
    assert.ok(perConversation < NATIVE_LIMIT,
      `a half-open PEAP conversation holds ${(perConversation / KB).toFixed(1)} KB of native memory; the limit is ` +
      `${NATIVE_LIMIT / KB} KB (20,000 of them would hold ${((perConversation * 20000) / 2 ** 20).toFixed(0)} MB)`);
    if (!underAsan) {
      const kept = (native(stats.after) - native(stats.before)) / grown;
      assert.ok(kept < 0.25,
        `${(100 * kept).toFixed(0)}% of the native memory ${count} half-open conversations held is still resident after ` +
        'they ended (limit 25%): the heap is not handed back');
    }
  });
});
