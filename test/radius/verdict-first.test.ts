import { strict as assert } from 'node:assert';
import { createAuthenticator } from '../../lib';
import { RadiusConversationRecord, RadiusServer } from '../../lib/radius';
import { runEapolTestBlocking } from '../support/eapol-test';
import { waitFor } from '../support/radius-probe';

/**
 * A verdict never waits for the event loop, even when the server keeps a log (onConversationEnd,
 * `eaphost serve --log`) and remembers sessions: the engine sends each Access-Accept and Reject
 * from its own thread, then hands JS the record. The truth is a real client's: wpa_supplicant's
 * eapol_test, run with this thread blocked until it exits (spawnSync), so no turn of the event
 * loop runs while it authenticates. It exits with SUCCESS only once the Access-Accept came and the
 * MPPE keys in it equal the MSK it derived; a Reject it reports as FAILURE before its timeout. The
 * records arrive once the loop turns again, after both verdicts.
 */
describe('RadiusServer: a verdict goes out before its record', function () {
  this.timeout(60_000);

  it('eapol_test gets its EAP-MSCHAPv2 Accept and Reject with the event loop blocked; the records come after', async () => {
    const secret = 'verdict-first-secret';
    const identity = 'vera';
    const password = 'first-of-all';
    await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    const records: RadiusConversationRecord[] = [];
    const server = new RadiusServer({ port: 0, secret, authenticator, sessions: true,
      onConversationEnd: (record) => { records.push(record); } });
    const { port } = await server.listen();
    try {
      const timeoutSeconds = 4;
      const blocked = Date.now();
      const accept = runEapolTestBlocking({ host: '127.0.0.1', port, secret, identity, password, method: 'MSCHAPV2', timeoutSeconds });
      const reject = runEapolTestBlocking({ host: '127.0.0.1', port, secret, identity, password: 'not-the-password',
        method: 'MSCHAPV2', timeoutSeconds });
      const blockedMs = Date.now() - blocked;
      // Nothing above let the event loop turn: no record can have been handed over yet.
      assert.equal(records.length, 0, 'a record reached JS while the event loop was blocked');
      assert.ok(accept.success, `eapol_test: no Access-Accept with the event loop blocked\n${accept.stdout.slice(-2000)}`);
      assert.equal(accept.mppeKeysOk, 1, 'the Accept\'s MPPE keys are eapol_test\'s MSK');
      assert.equal(reject.success, false);
      assert.match(reject.stdout, /Access-Reject/, 'eapol_test got an Access-Reject');
      // Each came well before eapol_test's own timeout: none waited for a retransmission.
      assert.ok(accept.elapsedMs < timeoutSeconds * 1000 / 2, `Accept after ${accept.elapsedMs} ms`);
      assert.ok(reject.elapsedMs < timeoutSeconds * 1000 / 2, `Reject after ${reject.elapsedMs} ms`);
      assert.deepEqual({ accepts: server.stats.accepts, rejects: server.stats.rejects }, { accepts: 1, rejects: 1 });
      // The loop turns again: the records, in verdict order, and the accepted session remembered.
      await waitFor(() => records.length === 2);
      assert.deepEqual(records.map((r) => [r.identity, r.outcome, r.eapType]), [[identity, 'accept', 26], [identity, 'reject', 26]]);
      assert.equal(server.sessions().length, 1);
      assert.ok(blockedMs >= accept.elapsedMs + reject.elapsedMs);
    } finally {
      await server.close();
    }
  });
});
