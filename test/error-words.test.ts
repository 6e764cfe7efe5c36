/**
 * Errors that say what is wrong: a password with a control character names the field it sits in;
 * a users file, a profile or a password file that is not UTF-8 says "not valid UTF-8" (rather
 * than going on with U+FFFD in place of the bytes); an EAP-Success whose Identifier is not the
 * last response's says so, not only that the authentication timed out.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate } from '../lib';
import type { EapHost } from '../lib';
import { EapTransport, TransportReply } from '../lib/core/transport';
import { createEphemeralCa } from '../lib/core/ephemeral-ca';
import { NetworkProfile } from '../lib/profile';
import { randomCredentials, openSuiteHost } from './helpers';
import { runMain } from './support/cli-run';
import { makeTempDir } from './support/programs';

// Latin-1 "café": 0xE9 alone is no UTF-8 sequence.
const NOT_UTF8 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

describe('errors that say what is wrong', function () {
  this.timeout(30_000);
  const dir = makeTempDir('error-words');
  after(() => dir.remove());
  const ca = createEphemeralCa('radius.example.invalid');
  const profileWith = (password: string): string => {
    const file = join(dir.path, `profile-${randomBytes(4).toString('hex')}.json`);
    const profile: NetworkProfile = {
      version: 1, name: 'Example', networks: [{ type: 'wifi', ssid: 'example' }],
      eap: [{ method: 'peap', ca: [ca.ca], serverNames: ['radius.example.invalid'] }],
      credentials: { identity: 'user@example.invalid', password },
    };
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };

  it('a control character in the password names the field (profile --to networkmanager --secrets)', async () => {
    const run = await runMain(['profile', '--from', profileWith('pass\x01word'), '--to', 'networkmanager', '--secrets',
      '--out-dir', join(dir.path, 'nm')]);
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stderr, /credentials\.password: .*control character/);
  });

  it('a users file that is not UTF-8 says so, naming the file', async () => {
    const users = join(dir.path, 'users-latin1.json');
    writeFileSync(users, Buffer.concat([Buffer.from('{"alice":{"password":"'), NOT_UTF8, Buffer.from('"}}')]));
    const run = await runMain(['auth', '--users', users, '--method', 'md5', '--identity', 'alice', '--password', 'x']);
    assert.equal(run.code, 2, run.stdout);
    assert.ok(run.stderr.includes(`users file ${users} is not valid UTF-8`), run.stderr);
  });

  it('a password file that is not UTF-8 says so, naming the flag and the file', async () => {
    const { identity, password } = randomCredentials();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [identity]: { password } }));
    const passwordFile = join(dir.path, 'password-latin1');
    writeFileSync(passwordFile, NOT_UTF8);
    const run = await runMain(['auth', '--users', users, '--method', 'md5', '--identity', identity, '--password-file', passwordFile]);
    assert.equal(run.code, 2, run.stdout);
    assert.ok(run.stderr.includes(`--password-file ${passwordFile}: not valid UTF-8`), run.stderr);
  });

  it('a profile that is not UTF-8 says so, naming the file', async () => {
    const file = join(dir.path, 'profile-latin1.json');
    writeFileSync(file, Buffer.concat([Buffer.from('{"version":1,"name":"'), NOT_UTF8, Buffer.from('"}')]));
    const run = await runMain(['profile', '--from', file, '--to', 'json']);
    assert.equal(run.code, 2, run.stdout);
    assert.ok(run.stderr.includes(`--from ${file}: not valid UTF-8`), run.stderr);
  });

  describe('an EAP-Success with the wrong Identifier', () => {
    let host: EapHost;
    before(async () => { host = await openSuiteHost(); });
    after(async () => { await host?.close(); });

    /** An EAP-MD5 authenticator written here: Identity, one MD5-Challenge, then EAP-Success with
     *  `successId(lastResponseId)`. */
    function md5Authenticator(successId: (responseId: number) => number): EapTransport {
      return {
        begin: async (): Promise<TransportReply> => ({ kind: 'request', packet: Buffer.from([1, 7, 0, 5, 1]) }),
        respond: async (response: Buffer): Promise<TransportReply> => {
          if (response[4] === 1) {
            const challenge = randomBytes(16);
            return { kind: 'request', packet: Buffer.concat([Buffer.from([1, 8, 0, 22, 4, 16]), challenge]) };
          }
          return { kind: 'success', packet: Buffer.from([3, successId(response[1]), 0, 4]) };
        },
        close: async () => undefined,
      };
    }

    it('is discarded, and the result says which Identifier came and which was due (not only "timed out")', async () => {
      const { identity, password } = randomCredentials();
      const session = await host.beginSession({ method: 'md5', identity, password });
      try {
        const result = await authenticate({ session, transport: md5Authenticator((id) => (id + 1) & 0xff) });
        assert.equal(result.success, false);
        assert.match(result.reason ?? '', /EAP-Success with Identifier 9 .*the last response's Identifier was 8/, result.reason);
      } finally {
        await session.endSession();
      }
    });

    it('the same authenticator with the right Identifier is accepted (the test can tell the two apart)', async () => {
      const { identity, password } = randomCredentials();
      const session = await host.beginSession({ method: 'md5', identity, password });
      try {
        const result = await authenticate({ session, transport: md5Authenticator((id) => id) });
        assert.equal(result.success, true, result.reason);
      } finally {
        await session.endSession();
      }
    });
  });
});
