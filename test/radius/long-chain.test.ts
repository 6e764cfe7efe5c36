import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { CliRun, runCli, secretFlag } from '../support/cli-run';
import { startHostapd } from '../support/hostapd';
import { makeTempDir } from '../support/programs';
import { makeChain } from '../support/long-chain';
import type { Chain } from '../support/long-chain';

/**
 * A server that sends a long chain, against hostapd (OpenSSL; its server_cert is a chain file,
 * leaf first, sent whole): the peer reads a Certificate message longer than a TLS record (GnuTLS
 * answers "again" after each record, with the rest still queued: the peer used to stop there and
 * acknowledge, and the server's next empty request ended the run), verifies at most 16
 * certificates and refuses a longer chain as such, naming the count, while auth
 * --show-server-cert and the audit show every certificate sent. The chains are made here by the
 * openssl command, one P-256 key for every certificate; what is shown is compared with the files.
 */
const SECRET = 'chain-secret';
const USER = { identity: 'dora', password: 'd0ra pass' };
const NAME = 'radius.chain.invalid';

describe('a long server chain, sent by hostapd', function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof makeTempDir>;
  before(() => { dir = makeTempDir('long-chain'); });
  after(() => dir?.remove());

  const withServer = async (chain: Chain, body: (args: string[]) => Promise<void>): Promise<void> => {
    const hostapd = await startHostapd({ secret: SECRET, users: [{ identity: USER.identity, password: USER.password, methods: ['PEAP'],
      phase2: ['MSCHAPV2'] }], certificates: { ca: chain.root, serverCert: chain.chainFile, serverKey: chain.key } });
    try {
      await body(['--radius', `127.0.0.1:${hostapd.port}`, ...secretFlag('secret', SECRET), '--method', 'peap',
        '--identity', USER.identity, ...secretFlag('password', USER.password), '--ca', chain.root, '--server-name', NAME]);
    } finally {
      await hostapd.stop();
    }
  };
  const run = (argv: string[]): Promise<CliRun> => runCli(main, argv);
  const fingerprints = (files: string[]) => files.map((file) => new X509Certificate(readFileSync(file)).fingerprint256);

  it('16 certificates in a Certificate message past 16 KiB: read across its records, verified, accepted', async () => {
    const chain = await makeChain(join(dir.path, 'sixteen'), 16, 1200, NAME);
    const der = chain.files.reduce((sum, file) => sum + new X509Certificate(readFileSync(file)).raw.length, 0);
    assert.ok(der > 16_384, `the chain is ${der} bytes: more than one TLS record`);
    await withServer(chain, async (args) => {
      const accepted = await run(['auth', ...args, '--show-server-cert', '--json']);
      const result = JSON.parse(accepted.out[accepted.out.length - 1]);
      assert.equal(accepted.code, 0, [...accepted.out, ...accepted.err].join('\n'));
      assert.deepEqual(result.serverCertificates.map((c: { sha256: string }) => c.sha256), fingerprints(chain.files));
    });
  });

  it('100 certificates: every one read and shown, refused as longer than 16, the audit naming all 100', async () => {
    const chain = await makeChain(join(dir.path, 'hundred'), 100, 0, NAME);
    await withServer(chain, async (args) => {
      const saved = join(dir.path, 'presented.pem');
      const refused = await run(['auth', ...args, '--show-server-cert', '--save-server-cert', saved]);
      assert.equal(refused.code, 1, [...refused.out, ...refused.err].join('\n'));
      const err = refused.err.join('\n');
      assert.match(err, /its chain is longer than 16 certificates \(100 sent\)/);
      assert.doesNotMatch(err, /unknown CA|issuer/);
      const text = refused.out.join('\n');
      assert.match(text, /server certificate chain \(100 certificates, leaf first\)/);
      const expected = fingerprints(chain.files);
      for (const fingerprint of [expected[0], expected[50], expected[99]]) assert.ok(text.includes(fingerprint), fingerprint);
      const pem = readFileSync(saved, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/).filter((block) => block.trim() !== '');
      assert.deepEqual(pem.map((block) => new X509Certificate(block).fingerprint256), expected);

      const audited = await run(['audit', ...args]);
      assert.match(audited.out.join('\n'), new RegExp(`^chain: +100 certificates sent, leaf first: CN=${NAME.replace(/\./g, '\\.')}$`, 'm'),
        audited.out.join('\n'));
    });
  });
});
