/** endSession() overlapping another call is refused and leaves the session open (item 4). */
import { strict as assert } from 'assert';
import { EapError } from '../lib';
import { eapPacket, openSuiteHost } from './helpers';

describe('endSession while a call is in flight', () => {
  it('is refused with ERROR_BUSY, the session stays usable, and a later endSession ends it', async () => {
    await using host = await openSuiteHost();
    const session = await host.beginSession({ method: 'md5', identity: 'alice', password: 'pw' });
    const inFlight = session.processReceivedPacket(eapPacket(1, 1, 1));
    await assert.rejects(session.endSession(), (error: EapError) =>
      error instanceof EapError && error.win32Error === 170 && /stays open/.test(error.message));
    assert.equal(session.ended, false);
    assert.equal(await inFlight, 'send');
    // Still a live session: the identity response it queued can be read.
    const response = await session.getSendPacket();
    assert.equal(response[0], 2);
    assert.equal(response.subarray(5).toString('utf8'), 'alice');
    await session.endSession();
    assert.equal(session.ended, true);
  });
});
