/**
 * The ports tests are handed (test/support/programs.ts) are ones fetch() reaches: a test reading
 * a listener's /metrics with fetch() failed once with "bad port", drawn on a port the Fetch
 * standard blocks.
 */
import { strict as assert } from 'node:assert';
import { freeTcpPort, freeUdpPort, testPortAllowed } from './support/programs';

describe('the ports tests are handed', () => {
  it('leave out 10080, which fetch() refuses before it connects ("bad port")', async () => {
    const refused = await fetch('http://127.0.0.1:10080/').then(
      () => 'connected', (error: Error & { cause?: Error }) => error.cause?.message ?? error.message);
    assert.equal(refused, 'bad port');
    assert.equal(testPortAllowed(10080), false);
    assert.equal(testPortAllowed(10079), true);
    assert.equal(testPortAllowed(10081), true);
  });

  it('come from the test range, TCP and UDP alike', async () => {
    for (let i = 0; i < 20; ++i) {
      for (const port of [await freeTcpPort(), await freeUdpPort()]) assert.ok(testPortAllowed(port), `port ${port}`);
    }
  });
});
