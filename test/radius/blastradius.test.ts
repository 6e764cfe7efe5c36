import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadiusClient, RadiusServer } from '../../lib/radius';
import { RadiusMessageAuthenticatorMissingError } from '../../lib/radius/errors';
import { md5RadiusServerHooks, startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { runRadclient, eaphostCommand } from '../support/cli-run';
import { unsignedReplyServer } from '../support/unsigned-reply-server';
import { waitFor } from '../support/radius-probe';

const runRadiusAuth = eaphostCommand('auth');

/**
 * BlastRADIUS (CVE-2024-3596): a reply whose only integrity check is the MD5 Response
 * Authenticator can be forged, so the client drops replies without Message-Authenticator, and
 * `eaphost serve` drops requests without one. The replies below are signed here with node:crypto,
 * correct in every other respect, so only the missing attribute can be why they are refused.
 */
const SECRET = 'blast-secret';

/** Answers every Access-Request with an Access-Reject signed by Response Authenticator only. */
const vulnerableServer = () => unsignedReplyServer(3, SECRET);

const radclient = (port: number, attributes: string) => runRadclient(port, SECRET, 'auth', attributes, 1);

// radclient sends a Message-Authenticator only when the input asks for one; these do not.
const PAP_WITHOUT_MESSAGE_AUTHENTICATOR = 'User-Name = "frank"\nUser-Password = "pw"\n';
const EAP_WITHOUT_MESSAGE_AUTHENTICATOR = 'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\n';

describe('BlastRADIUS (CVE-2024-3596): Message-Authenticator required both ways', function () {
  this.timeout(60_000);

  describe('client side', () => {
    let fake: Awaited<ReturnType<typeof vulnerableServer>>;
    before(async () => { fake = await vulnerableServer(); });
    after(async () => { await fake?.close(); });

    it('drops a correctly signed Access-Reject that lacks Message-Authenticator, and says why', async () => {
      const client = new RadiusClient({ timeoutMs: 600, tries: 2, secretProbe: false });
      try {
        await assert.rejects(
          client.accessRequest({ host: '127.0.0.1', port: fake.port, secret: SECRET },
            [{ type: 1, value: Buffer.from('frank') }]),
          (error: Error) => error instanceof RadiusMessageAuthenticatorMissingError && /CVE-2024-3596/.test(error.message));
        // Both tries were answered. A reply in time is dropped for its missing attribute (the
        // error above needs one); one that a loaded machine delivers after the last try ended
        // finds no request out, and is a stray. None is accepted or blamed on the secret.
        await waitFor(() => fake.answered() === 2 &&
          client.stats.repliesWithoutMessageAuthenticator + client.stats.repliesStray === 2, 10_000);
        assert.ok(client.stats.repliesWithoutMessageAuthenticator >= 1);
        assert.equal(client.stats.repliesAccepted, 0);
        assert.equal(client.stats.repliesUnauthenticated, 0, 'the secret was right: not blamed on it');
      } finally {
        await client.close();
      }
    });

    it('the same reply is accepted only when the check is turned off', async () => {
      const client = new RadiusClient({ timeoutMs: 600, tries: 2, secretProbe: false, requireMessageAuthenticator: false });
      try {
        const { reply } = await client.accessRequest({ host: '127.0.0.1', port: fake.port, secret: SECRET },
          [{ type: 1, value: Buffer.from('frank') }]);
        assert.equal(reply.code, 3);
      } finally {
        await client.close();
      }
    });

    it('`eaphost auth --radius` exits 3 with a BlastRADIUS reason instead of acting on the reply', async () => {
      const out: string[] = [];
      const code = await runRadiusAuth(['--radius', `127.0.0.1:${fake.port}`, '--secret', SECRET, '--method', 'md5',
        '--identity', 'frank', '--password', 'pw', '--timeout', '800', '--json'], (line) => out.push(line), () => undefined);
      assert.equal(code, 3);
      const result = JSON.parse(out[0]);
      assert.equal(result.result, 'no-message-authenticator');
      assert.match(result.reason, /without Message-Authenticator/);
      assert.ok(fake.answered() >= 1);
    });
  });

  describe('server side', () => {
    let server: RadiusServer;
    let port: number;
    md5RadiusServerHooks(SECRET, (started, listening) => { server = started; port = listening; });

    it('refuses radclient\'s requests without Message-Authenticator (PAP and EAP), and counts them', async () => {
      const before = server.stats.droppedNoMessageAuthenticator;
      const pap = await radclient(port, PAP_WITHOUT_MESSAGE_AUTHENTICATOR);
      assert.notEqual(pap.code, 0, pap.output);
      assert.doesNotMatch(pap.output, /Received Access-/);
      const eap = await radclient(port, EAP_WITHOUT_MESSAGE_AUTHENTICATOR);
      assert.notEqual(eap.code, 0, eap.output);
      assert.equal(server.stats.droppedNoMessageAuthenticator, before + 2);
      assert.equal(server.stats.requests, 0);
      // The same EAP request with a Message-Authenticator is answered.
      const signed = await radclient(port, `${EAP_WITHOUT_MESSAGE_AUTHENTICATOR}Message-Authenticator = 0x00\n`);
      assert.match(signed.output, /Received Access-Challenge/);
    });

    it('`eaphost serve` refuses them, reports the count on exit; --no-require-message-authenticator answers a bare request', async () => {
      const dir = makeTempDir('blast-serve');
      const usersFile = join(dir.path, 'users.json');
      writeFileSync(usersFile, JSON.stringify({ frank: { password: 'pw' } }));
      try {
        const strict = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'md5', '--pap']);
        const strictPort = strict.port;
        const refused = await radclient(strictPort, PAP_WITHOUT_MESSAGE_AUTHENTICATOR);
        assert.doesNotMatch(refused.output, /Received Access-/);
        assert.equal(await strict.stop(), 0);
        assert.match(strict.output(), /dropped 1 requests without Message-Authenticator/);

        const lenient = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'md5', '--pap',
          '--no-require-message-authenticator']);
        const lenientPort = lenient.port;
        const answered = await radclient(lenientPort, PAP_WITHOUT_MESSAGE_AUTHENTICATOR);
        await lenient.stop();
        // Answered: serve answers PAP from its users file (frank's password is right), and signs
        // its reply with a Message-Authenticator all the same.
        assert.match(answered.output, /Received Access-Accept/);
        assert.match(answered.output, /Message-Authenticator = 0x[0-9a-f]{32}/);
      } finally {
        dir.remove();
      }
    });
  });
});
