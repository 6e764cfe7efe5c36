/**
 * `eaphost serve --max-conversations N` observed from the outside: a RADIUS client (EAP-MD5
 * computed by node:crypto) opens one conversation more than the cap; the least recently active
 * one is evicted, so its next step is refused (Access-Reject, EAP-Failure) while the others
 * authenticate. The same three conversations under a cap of three all succeed: the cap, not
 * the exchange, is what ended the first.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadiusClient, RadiusEapTransport } from '../../lib/radius';
import { makeTempDir } from '../support/programs';
import { identityResponse, md5ChallengeResponse } from './md5-oracle';
import { eaphostCommand } from '../support/cli-run';

const runServe = eaphostCommand('serve');

const SECRET = 'cap-secret';
const USER = { identity: 'carla', password: 'carla pw' };

/** Runs serve in-process until `body` is done; `body` gets its port. */
async function withServe(cap: number, body: (port: number) => Promise<void>, methods = 'md5'): Promise<void> {
  const dir = makeTempDir('serve-cap');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
  const stop = new AbortController();
  let listening: (port: number) => void;
  const port = new Promise<number>((resolve) => { listening = resolve; });
  const errors: string[] = [];
  const exited = runServe(['--port', '0', '--secret', SECRET, '--users', users, '--methods', methods,
    '--max-conversations', String(cap)], (line) => {
    const match = /^listening on 127\.0\.0\.1:(\d+)/.exec(line);
    if (match) listening(Number(match[1]));
  }, (line) => errors.push(line), stop.signal);
  try {
    const ready = await Promise.race([port, exited.then((code) => { throw new Error(`serve exited ${code}: ${errors.join('\n')}`); })]);
    await body(ready);
  } finally {
    stop.abort();
    assert.equal(await exited, 0, errors.join('\n'));
    dir.remove();
  }
}

/** Three conversations begun one after another (the first the least recently active), then each finished. */
async function threeConversations(port: number): Promise<string[]> {
  const client = new RadiusClient({ timeoutMs: 2000, tries: 2, secretProbe: false });
  try {
    const open = [];
    for (let i = 0; i < 3; i++) {
      const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, client });
      const identityRequest = await transport.begin();
      assert.equal(identityRequest.kind, 'request');
      const challenge = await transport.respond(identityResponse(identityRequest.packet![1], USER.identity));
      assert.equal(challenge.kind, 'request', 'serve answered the identity with its MD5 challenge');
      open.push({ transport, challenge: challenge.packet! });
    }
    const outcomes = [];
    for (const { transport, challenge } of open) {
      const verdict = await transport.respond(md5ChallengeResponse(challenge, USER.password));
      outcomes.push(verdict.kind);
      await transport.close();
    }
    return outcomes;
  } finally {
    await client.close();
  }
}

describe('eaphost serve --max-conversations, observed over RADIUS', function () {
  this.timeout(30_000);

  it('a cap of 2: the third conversation evicts the first, whose next step gets Access-Reject; the others succeed', async () => {
    await withServe(2, async (port) => {
      assert.deepEqual(await threeConversations(port), ['failure', 'success', 'success']);
    });
  });

  it('a cap of 3: the same three conversations all succeed', async () => {
    await withServe(3, async (port) => {
      assert.deepEqual(await threeConversations(port), ['success', 'success', 'success']);
    });
  });

  it('a cap of 2: a round trip makes a conversation the most recently active, so the idle one is evicted', async () => {
    // MSCHAPv2 proposed first: a legacy Nak asking for MD5 is a round trip that leaves a
    // conversation open (RFC 3748 §5.3.1), the move that makes it the most recently active.
    await withServe(2, async (port) => {
      const client = new RadiusClient({ timeoutMs: 2000, tries: 2, secretProbe: false });
      const transports: RadiusEapTransport[] = [];
      const proposed = async () => {
        const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, client });
        transports.push(transport);
        const identityRequest = await transport.begin();
        const proposal = await transport.respond(identityResponse(identityRequest.packet![1], USER.identity));
        assert.equal(proposal.kind, 'request');
        assert.equal(proposal.packet![4], 26, 'serve proposed EAP-MSCHAPv2 first');
        return { transport, proposal: proposal.packet! };
      };
      const nakForMd5 = (request: Buffer) => Buffer.from([2, request[1], 0, 6, 3, 4]);
      try {
        const first = await proposed();
        const second = await proposed();
        // The first moves on: the second is now the least recently active.
        const challenge = await first.transport.respond(nakForMd5(first.proposal));
        assert.equal(challenge.kind, 'request');
        assert.equal(challenge.packet![4], 4, 'MD5 proposed after the Nak');
        const third = await proposed();
        // The third's conversation took the second's place.
        assert.equal((await second.transport.respond(nakForMd5(second.proposal))).kind, 'failure');
        assert.equal((await first.transport.respond(md5ChallengeResponse(challenge.packet!, USER.password))).kind, 'success');
        assert.equal((await third.transport.respond(nakForMd5(third.proposal))).kind, 'request');
      } finally {
        for (const transport of transports) await transport.close();
        await client.close();
      }
    }, 'mschapv2,md5');
  });
});
