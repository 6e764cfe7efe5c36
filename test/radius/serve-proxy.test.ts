import { strict as assert } from 'node:assert';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFreeRadius } from '../support/freeradius';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { interopServer } from '../support/interop-server';
import { freeUdpPort, makeTempDir } from '../support/programs';
import { runMain, runRadclient } from '../support/cli-run';

/**
 * `eaphost serve --proxy-realm`: eapol_test (the NAS and the supplicant) → serve (UDP, the proxy)
 * → FreeRADIUS 3.2 (UDP, the home server that has the user). The two hops have different shared
 * secrets, so eapol_test's "MPPE keys OK" proves the keys were revealed with the home server's
 * secret and hidden again with the NAS's, and FreeRADIUS's PAP Accept proves User-Password was.
 */
const NAS_SECRET = 'nas-side secret';
const HOME_SECRET = 'home-side-secret';
const USER = { identity: 'alice@home.test', password: 'alice pa55' };
/** FreeRADIUS 3.2.1 signs a PAP Accept only when its reply list holds a Message-Authenticator. */
const SIGNING_USER = { identity: 'sam@home.test', password: 'sam pa55', reply: ['Message-Authenticator = 0x00'] };
/** serve drops an Access-Request without one (BlastRADIUS): radclient computes it. */
const SIGNED = 'Message-Authenticator = 0x00\n';

describe('serve --proxy-realm: eapol_test → serve → FreeRADIUS 3.2', function () {
  this.timeout(60_000);
  const home = interopServer((certificates) => startFreeRadius({ secret: HOME_SECRET, users: [USER, SIGNING_USER], certificates }));
  const dir = makeTempDir('serve-proxy');
  let serve: ServeProcess | undefined;
  let silentPort = 0;

  before(async () => {
    silentPort = await freeUdpPort();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ 'local-user': { password: 'local pa55' } }), { mode: 0o600 });
    const secrets = join(dir.path, 'proxy-secrets');
    // A line for every home server, and the home server's own line, which wins.
    writeFileSync(secrets, `# the home servers\nnot-the-home-secret\n127.0.0.1:${home.server.port} ${HOME_SECRET}\n`, { mode: 0o600 });
    serve = await startEaphostServe(0, ['--secret', NAS_SECRET, '--users', users, '--methods', 'md5', '--pap', '--log',
      '--proxy-realm', `home.test=udp://127.0.0.1:${home.server.port}`,
      '--proxy-realm', `silent.test=udp://127.0.0.1:${silentPort}`,
      '--proxy-secret-file', secrets]);
  });
  after(async () => {
    if (serve) assert.equal(await serve.stop(), 0, serve.output());
    dir.remove();
  });

  it('PEAP-MSCHAPv2 through the proxy: Accept, and eapol_test finds the MPPE keys equal to its MSK', async () => {
    const run = await runEapolTest({ host: '127.0.0.1', port: serve!.port, secret: NAS_SECRET, method: 'PEAP', ...USER,
      phase2: 'auth=MSCHAPV2', caCert: home.pki.files.ca, timeoutSeconds: 15 });
    assert.equal(run.success, true, `${run.stdout.slice(-3000)}\n${serve!.output()}\n${home.server.log().slice(-3000)}`);
    assert.equal(run.mppeKeysOk, 1, run.stdout.slice(-2000));
    assert.equal(run.mppeKeysMismatch, 0);
    await serve!.logged(/identity="alice@home\.test" method=peap outcome=accept /);
  });

  it('PAP through the proxy: User-Password hidden again with the home server\'s secret, Accept; a wrong one, Reject', async () => {
    const accept = await runRadclient(serve!.port, NAS_SECRET, 'auth',
      `User-Name = "${SIGNING_USER.identity}"\nUser-Password = "${SIGNING_USER.password}"\nProxy-State = 0x6e6173\n${SIGNED}`, 10);
    assert.match(accept.output, /Received Access-Accept/, accept.output);
    // The NAS's own Proxy-State comes back as it went; the proxy's own does not.
    assert.match(accept.output, /Proxy-State = 0x6e6173\n/, accept.output);
    assert.doesNotMatch(accept.output, /Proxy-State = 0x65617068/, accept.output);
    const reject = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "${USER.identity}"\nUser-Password = "wrong"\n${SIGNED}`, 10);
    assert.match(reject.output, /Received Access-Reject/, reject.output);
  });

  it('FreeRADIUS\'s PAP Accept without Message-Authenticator: refused by default, an Access-Reject that says why', async () => {
    const run = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "${USER.identity}"\nUser-Password = "${USER.password}"\n${SIGNED}`, 10);
    assert.match(run.output, /Received Access-Reject/, run.output);
    assert.match(run.output, /Reply-Message = "eaphost proxy: home server udp:\/\/127\.0\.0\.1:\d+ replied without Message-Authenticator/, run.output);
  });

  it('a realm with no route: an Access-Reject whose Reply-Message says so, at once', async () => {
    const started = Date.now();
    const run = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "bob@nowhere.test"\nUser-Password = "x"\n${SIGNED}`, 10);
    assert.match(run.output, /Received Access-Reject/, run.output);
    assert.match(run.output, /Reply-Message = "eaphost proxy: no route: realm \\"nowhere\.test\\" is not served here/, run.output);
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    await serve!.logged(/identity="bob@nowhere\.test" .*outcome=reject .*no route/);
  });

  it('a home server that does not answer: an Access-Reject whose Reply-Message says which, after the tries', async () => {
    const started = Date.now();
    const run = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "carol@silent.test"\nUser-Password = "x"\n${SIGNED}`, 15);
    // Not before the client engine's 4.5 s over its three tries.
    assert.ok(Date.now() - started >= 4500, `${Date.now() - started} ms`);
    assert.match(run.output, /Received Access-Reject/, run.output);
    assert.match(run.output, new RegExp(`Reply-Message = "eaphost proxy: home server udp://127\\.0\\.0\\.1:${silentPort} did not answer within 4500 ms \\(3 tries\\)`), run.output);
    await serve!.logged(/identity="carol@silent\.test" .*outcome=reject .*did not answer/);
  });

  it('a User-Name without a realm is answered here, as before', async () => {
    const run = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "local-user"\nUser-Password = "local pa55"\n${SIGNED}`, 10);
    assert.match(run.output, /Received Access-Accept/, run.output);
  });
});

describe('serve --proxy-realm: bad input is a usage error naming the flag', function () {
  this.timeout(20_000);
  const dir = makeTempDir('serve-proxy-usage');
  after(() => dir.remove());

  async function usage(args: string[]): Promise<string> {
    const users = join(dir.path, 'users.json');
    writeFileSync(users, '{}');
    const run = await runMain(['serve', '--port', '0', '--secret', 's', '--users', users, ...args]);
    assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
    return run.stderr;
  }

  it('a URL that does not parse, an unknown transport, RadSec without credentials, a realm given twice, a secret file with a bad line', async () => {
    const secrets = join(dir.path, 'secrets');
    writeFileSync(secrets, 'one-for-all\n', { mode: 0o600 });
    assert.match(await usage(['--proxy-realm', 'a.test=udp//x', '--proxy-secret-file', secrets]), /--proxy-realm a\.test: "udp\/\/x" is not/);
    assert.match(await usage(['--proxy-realm', 'a.test=udp://127.0.0.1:99999', '--proxy-secret-file', secrets]), /--proxy-realm a\.test/);
    assert.match(await usage(['--proxy-realm', 'a.test=ftp://127.0.0.1:2083', '--proxy-secret-file', secrets]),
      /--proxy-realm a\.test: "ftp:\/\/127\.0\.0\.1:2083" is not udp:\/\/HOST:PORT, radsec:\/\/HOST:PORT, dtls:\/\/HOST:PORT or local/);
    assert.match(await usage(['--proxy-realm', 'a.test=radsec://127.0.0.1:2083']),
      /--proxy-realm a\.test: radsec:\/\/127\.0\.0\.1:2083 needs --proxy-radsec-cert, --proxy-radsec-key and --proxy-radsec-ca, or a line for 127\.0\.0\.1:2083 in --proxy-radsec-psk-file/);
    assert.match(await usage(['--proxy-realm', 'a.test=dtls://127.0.0.1:2083', '--proxy-radsec-cert', secrets]),
      /--proxy-radsec-cert needs --proxy-radsec-key FILE too/);
    assert.match(await usage(['--proxy-realm', 'a.test=udp://127.0.0.1:1812', '--proxy-secret-file', secrets, '--proxy-radsec-psk-file', secrets]),
      /--proxy-radsec-psk-file applies with a radsec:\/\/ or dtls:\/\/ --proxy-realm only/);
    const psks = join(dir.path, 'psks');
    writeFileSync(psks, `127.0.0.1:2083 nas ${'ab'.repeat(8)}\n`, { mode: 0o600 });
    assert.match(await usage(['--proxy-realm', 'a.test=radsec://127.0.0.1:2083', '--proxy-radsec-psk-file', psks]),
      /--proxy-radsec-psk-file \S+ line 1: psk\.key is 8 bytes: RFC 9813 refuses a PSK shorter than 16 bytes/);
    writeFileSync(psks, `127.0.0.1:2083 nas ${'ab'.repeat(32)}\n127.0.0.1:2083 nas ${'cd'.repeat(32)}\n`, { mode: 0o600 });
    assert.match(await usage(['--proxy-realm', 'a.test=radsec://127.0.0.1:2083', '--proxy-radsec-psk-file', psks]),
      /--proxy-radsec-psk-file \S+ line 2: expected "HOST:PORT IDENTITY HEXKEY" lines \(each server once\)/);
    assert.match(await usage(['--proxy-realm', 'a.test=local', '--proxy-realm', 'A.test=udp://127.0.0.1:1812', '--proxy-secret-file', secrets]),
      /--proxy-realm: realm "A\.test" is given twice/);
    assert.match(await usage(['--proxy-realm', 'a.test=udp://127.0.0.1:1812']), /--proxy-secret-file is required/);
    assert.match(await usage(['--proxy-allow-unsigned-replies']), /--proxy-allow-unsigned-replies applies with --proxy-realm only/);
    const bad = join(dir.path, 'bad-secrets');
    writeFileSync(bad, 'one\n127.0.0.1:1812 two three\n', { mode: 0o600 });
    assert.match(await usage(['--proxy-realm', 'a.test=udp://127.0.0.1:1812', '--proxy-secret-file', bad]),
      /--proxy-secret-file .*bad-secrets line 2: expected/);
  });

  it('no --users where a realm is answered here: a usage error saying which', async () => {
    const secrets = join(dir.path, 'secrets-users');
    writeFileSync(secrets, 'one-for-all\n', { mode: 0o600 });
    const bare = async (args: string[]): Promise<string> => {
      const run = await runMain(['serve', '--port', '0', '--secret', 's', ...args]);
      assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
      return run.stderr;
    };
    assert.match(await bare(['--proxy-realm', 'a.test=local', '--proxy-realm', '*=udp://127.0.0.1:1812', '--proxy-secret-file', secrets]),
      /--users is required: --proxy-realm a\.test=local answers that realm here, from --users/);
    assert.match(await bare(['--proxy-discover', '--proxy-realm', 'a.test=local']),
      /--users is required: --proxy-realm a\.test=local answers that realm here, from --users/);
    assert.match(await bare(['--proxy-realm', 'a.test=udp://127.0.0.1:1812', '--proxy-secret-file', secrets]),
      /--users is required: the realms no --proxy-realm names, and User-Names without a realm, are answered here/);
    assert.match(await bare([]), /--users is required\n/);
  });

  it('a secret file others may read is refused, as a PSK file is', async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const open = join(dir.path, `secrets-${mode.toString(8)}`);
      writeFileSync(open, 'one-for-all\n');
      chmodSync(open, mode);
      assert.match(await usage(['--proxy-realm', 'a.test=udp://127.0.0.1:1812', '--proxy-secret-file', open]),
        new RegExp(`--proxy-secret-file \\S+: other users may read or change it \\(mode 0${mode.toString(8)}\\).*chmod 600`));
    }
  });
});
