import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { main } from '../../lib/cli/main';
import { secretFlag } from '../support/cli-run';

/**
 * `eaphost acct` and `eaphost ping` say what is wrong with a reply that fails verification, as
 * `eaphost auth` does: a wrong Response Authenticator (the server signs with another secret) is
 * "check the shared secret"; a correct Response Authenticator beside a Message-Authenticator that
 * does not verify is a forgery or a broken server, worded so, never the secret. FreeRADIUS drops
 * requests signed with another secret instead of answering them, so the replies here come from a
 * loopback server that signs them by hand with node:crypto (RFC 2866 §3 / RFC 2865 §3 Response
 * Authenticator, RFC 3579 §3.2 Message-Authenticator): an independent signer.
 */
const SECRET = 'udp-reply-secret';

type Forgery = 'other-secret' | 'forged-message-authenticator';

/** The answer to `request` (Accounting-Response for Accounting-Request, Access-Accept for Status-Server). */
function reply(request: Buffer, forgery: Forgery): Buffer {
  const secret = Buffer.from(forgery === 'other-secret' ? 'not-the-secret' : SECRET);
  const packet = Buffer.concat([Buffer.alloc(20), Buffer.from([80, 18]), Buffer.alloc(16)]);
  packet[0] = request[0] === 4 ? 5 : 2;
  packet[1] = request[1];
  packet.writeUInt16BE(packet.length, 2);
  request.copy(packet, 4, 4, 20);
  const hmac = forgery === 'forged-message-authenticator' ? randomBytes(16) : createHmac('md5', secret).update(packet).digest();
  hmac.copy(packet, 22);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

/** The CLI in process: its exit code and what it printed on each stream. */
async function run(argv: string[]) {
  const printed = { out: [] as string[], err: [] as string[] };
  return { code: await main(argv, (line) => printed.out.push(line), (line) => printed.err.push(line)), ...printed };
}

describe('eaphost acct and eaphost ping: a reply that fails verification, in words', function () {
  this.timeout(20_000);
  let server: Socket;
  let port: number;
  let forgery: Forgery;
  let answered = 0;

  before(async () => {
    server = createSocket('udp4').on('message', (message, remote) => {
      answered++;
      server.send(reply(message, forgery), remote.port, remote.address);
    });
    port = await new Promise<number>((resolve) => server.bind(0, '127.0.0.1', () => resolve(server.address().port)));
  });
  after(() => server?.close());

  const commands = () => ({
    acct: ['acct', 'start', '--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--identity', 'gus', '--timeout', '600'],
    ping: ['ping', '--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--timeout', '600'],
  });

  for (const command of ['acct', 'ping'] as const) {
    it(`${command}: replies signed with another secret are "check the shared secret"`, async () => {
      forgery = 'other-secret';
      const before = answered;
      const result = await run(commands()[command]);
      assert.ok(answered > before, 'the server answered');
      assert.equal(result.code, 3, [...result.out, ...result.err].join('\n'));
      assert.equal(result.err.join('\n'), `RADIUS server 127.0.0.1:${port} answered, but all ${answered - before} replies ` +
        'failed Response Authenticator verification: check the shared secret');
    });

    it(`${command}: a forged Message-Authenticator beside a correct Response Authenticator is said to be forged, not the secret`, async () => {
      forgery = 'forged-message-authenticator';
      const before = answered;
      const result = await run(commands()[command]);
      assert.equal(result.code, 3, [...result.out, ...result.err].join('\n'));
      const what = command === 'acct' ? 'accounting against' : 'Status-Server to';
      assert.equal(result.err.join('\n'), `${what} 127.0.0.1:${port} failed: RADIUS server 127.0.0.1:${port} answered with a correct Response Authenticator ` +
        `(the shared secret matches) but a Message-Authenticator that does not verify (${answered - before} replies dropped): ` +
        'the reply was forged or altered on the way (BlastRADIUS, CVE-2024-3596), or the server computes it wrongly');
      assert.doesNotMatch(result.err.join('\n'), /check the shared secret/);
    });
  }
});
