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
async function withServe(cap: number, body: (port: number) => Promise<void>): Promise<void> {
  const dir = makeTempDir('serve-cap');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
  const stop = new AbortController();
  let listening: (port: number) => void;
  const port = new Promise<number>((resolve) => { listening = resolve; });
  const errors: string[] = [];
  const exited = runServe(['--port', '0', '--secret', SECRET, '--users', users, '--methods', 'md5',
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
});
