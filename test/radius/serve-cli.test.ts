/**
 * `eaphost serve` options that bound its resources: --max-conversations reaches the RADIUS server
 * (the eviction itself is proven on RadiusServer), and a bad value is bad usage.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runServe } from '../../lib/cli/serve';
import { makeTempDir } from '../support/programs';

describe('eaphost serve --max-conversations', function () {
  this.timeout(30_000);

  async function serve(extra: string[], stopAfterListening: boolean): Promise<{ code: number; out: string[]; err: string[] }> {
    const dir = makeTempDir('serve-cli');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ alice: { password: 'pw' } }));
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    try {
      const code = await runServe(['--port', '0', '--secret', 's3cret', '--users', users, '--methods', 'md5', ...extra],
        (line) => { out.push(line); if (stopAfterListening && line.startsWith('listening on ')) stop.abort(); },
        (line) => err.push(line), stop.signal);
      return { code, out, err };
    } finally {
      dir.remove();
    }
  }

  for (const bad of ['0', '-5', '2.5', 'many']) {
    it(`--max-conversations ${bad} is bad usage (exit 2), naming the flag`, async () => {
      const { code, err } = await serve(['--max-conversations', bad], false);
      assert.equal(code, 2);
      assert.match(err.join('\n'), /--max-conversations/);
    });
  }

  it('a positive cap is accepted and the server listens', async () => {
    const { code, out } = await serve(['--max-conversations', '3'], true);
    assert.equal(code, 0);
    assert.match(out.join('\n'), /^listening on 127\.0\.0\.1:\d+/m);
  });
});
