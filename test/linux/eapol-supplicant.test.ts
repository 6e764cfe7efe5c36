/**
 * Our supplicant on the wire (`eaphost auth --interface`), against hostapd driver=wired in another
 * network namespace: with hostapd's own EAP server (PEAP-MSCHAPv2, EAP-TLS, EAP-MSCHAPv2), and
 * with hostapd passing EAP through to FreeRADIUS. The oracle for the keys is hostapd's own: with
 * -K it prints the MSK it derived (or received from the RADIUS server) and ours must equal it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, findProgram, makeTempDir } from '../support/programs';
import { hostapdKeyDumps, startWiredHostapd } from '../support/wired-8021x';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';

const MAIN = resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

interface CliResult { code: number | null; json: Record<string, unknown>; stderr: string }

/** `eaphost auth --interface …` in the supplicant's namespace, --json. */
function authOnWire(link: WiredLink, args: string[]): Promise<CliResult> {
  const [program, argv] = inNamespace(link.supplicant.ns, process.execPath,
    [MAIN, 'auth', '--interface', link.supplicant.ifname, '--start-period', '1000', '--json', '--show-keys', ...args]);
  return new Promise((done, fail) => {
    const child = spawn(program, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        done({ code, json: JSON.parse(stdout.trim().split('\n').pop() ?? ''), stderr });
      } catch {
        fail(new Error(`eaphost auth printed no JSON (exit ${code}): ${stdout}\n${stderr}`));
      }
    });
  });
}

/** Random credentials: tests nobody chose in advance. */
function someone(): { identity: string; password: string } {
  return { identity: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(9).toString('base64') };
}

describe('802.1X supplicant on the wire: eaphost auth --interface against hostapd driver=wired', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  let files: { dir: string; remove(): void };

  before(async () => {
    findProgram(['hostapd'], 'hostapd');
    pki = await makeInteropPki();
    const dir = makeTempDir('eapol-auth');
    files = { dir: dir.path, remove: dir.remove };
  });
  after(() => {
    pki?.remove();
    files?.remove();
  });

  function secretFile(name: string, value: string): string {
    const file = join(files.dir, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    return file;
  }

  describe('hostapd\'s own EAP server', () => {
    let link: WiredLink;
    let hostapd: Daemon;
    const user = someone();
    const mschap = someone();

    before(async () => {
      link = await makeWiredLink();
      hostapd = await startWiredHostapd({
        ns: link.authenticator.ns, ifname: link.authenticator.ifname,
        certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
        users: [
          { ...user, methods: ['PEAP'], phase2: ['MSCHAPV2'] },
          { ...mschap, methods: ['MSCHAPV2'] },
          { identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] },
        ],
      });
    });
    after(async () => {
      await hostapd?.stop();
      await link?.remove();
    });
    // hostapd keeps a station that logged off out for a few seconds: each run is a new station.
    beforeEach(async () => { await link.newSupplicantAddress(); });

    it('PEAP-MSCHAPv2 succeeds, and our MSK is the one hostapd derived', async () => {
      const mark = hostapd.log().length;
      const run = await authOnWire(link, ['--method', 'peap', '--identity', user.identity, '--password-file',
        secretFile('peap', user.password), '--ca', pki.files.ca, '--server-name', SERVER_NAME]);
      assert.equal(run.code, 0, run.stderr + JSON.stringify(run.json));
      assert.equal(run.json.success, true);
      assert.equal(run.json.mode, 'eapol');
      assert.equal(run.json.eapType, 25);
      assert.match(String(run.json.authenticator), /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      // The conversation's headers: hostapd asks for the identity first and ends with EAP-Success;
      // each round trip is one of its requests.
      const packets = run.json.conversation as { direction: string; code: number; type: number | null }[];
      assert.deepEqual([packets[0].direction, packets[0].code, packets[0].type], ['in', 1, 1]);
      assert.deepEqual([packets[packets.length - 1].direction, packets[packets.length - 1].code], ['in', 3]);
      assert.equal(packets.filter((p) => p.direction === 'in' && p.code === 1).length, run.json.roundTrips);
      const msk = Buffer.from(String(run.json.msk), 'hex');
      assert.equal(msk.length, 64);
      assert.ok(hostapdKeyDumps(await hostapd.logUntil(mark, /EAP-PEAP: Derived key - hexdump.*\n/), 'EAP-PEAP: Derived key').some((dump) => dump.equals(msk)),
        'hostapd derived no MSK equal to ours');
    });

    it('EAP-TLS succeeds, and our MSK is the one hostapd derived', async () => {
      const mark = hostapd.log().length;
      const run = await authOnWire(link, ['--method', 'tls', '--identity', CLIENT_IDENTITY, '--cert', pki.files.clientCert,
        '--key', pki.files.clientKey, '--key-password-file', secretFile('key', CLIENT_KEY_PASSWORD), '--ca', pki.files.ca,
        '--server-name', SERVER_NAME]);
      assert.equal(run.code, 0, run.stderr + JSON.stringify(run.json));
      assert.equal(run.json.eapType, 13);
      const msk = Buffer.from(String(run.json.msk), 'hex');
      assert.ok(hostapdKeyDumps(await hostapd.logUntil(mark, /EAP-TLS: Derived key - hexdump.*\n/), 'EAP-TLS: Derived key').some((dump) => dump.equals(msk)),
        'hostapd derived no MSK equal to ours');
    });

    it('EAP-MSCHAPv2 succeeds', async () => {
      const run = await authOnWire(link, ['--method', 'mschapv2', '--identity', mschap.identity, '--password-file',
        secretFile('mschap', mschap.password)]);
      assert.equal(run.code, 0, run.stderr + JSON.stringify(run.json));
      assert.equal(run.json.eapType, 26);
    });

    it('a wrong password fails with exit 1', async () => {
      const run = await authOnWire(link, ['--method', 'peap', '--identity', user.identity, '--password-file',
        secretFile('wrong', `${user.password}x`), '--ca', pki.files.ca, '--server-name', SERVER_NAME]);
      assert.equal(run.code, 1, run.stderr + JSON.stringify(run.json));
      assert.equal(run.json.success, false);
      assert.equal(run.json.result, 'reject');
    });
  });

  describe('hostapd passing EAP through to FreeRADIUS', () => {
    let link: WiredLink;
    let hostapd: Daemon;
    let radius: FreeRadiusInstance;
    const user = someone();
    const secret = randomBytes(12).toString('hex');

    before(async () => {
      link = await makeWiredLink();
      radius = await startFreeRadius({
        secret, users: [user], netns: link.authenticator.ns,
        certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
      });
      hostapd = await startWiredHostapd({
        ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port: radius.port, secret },
      });
    });
    after(async () => {
      await hostapd?.stop();
      await radius?.stop();
      await link?.remove();
    });
    beforeEach(async () => { await link.newSupplicantAddress(); });

    it('PEAP-MSCHAPv2 succeeds, and our MSK is the one FreeRADIUS sent hostapd', async () => {
      const mark = hostapd.log().length;
      const run = await authOnWire(link, ['--method', 'peap', '--identity', user.identity, '--password-file',
        secretFile('fr', user.password), '--ca', pki.files.ca, '--server-name', SERVER_NAME]);
      assert.equal(run.code, 0, run.stderr + JSON.stringify(run.json) + radius.log().slice(-2000));
      const msk = Buffer.from(String(run.json.msk), 'hex');
      // RFC 2548 / RFC 3079: MS-MPPE-Recv-Key is the MSK's first 32 bytes, MS-MPPE-Send-Key the next 32.
      const said = await hostapd.logUntil(mark, /MS-MPPE-Recv-Key - hexdump[^]*MS-MPPE-Send-Key - hexdump.*\n|MS-MPPE-Send-Key - hexdump[^]*MS-MPPE-Recv-Key - hexdump.*\n/);
      const recv = hostapdKeyDumps(said, 'MS-MPPE-Recv-Key');
      const send = hostapdKeyDumps(said, 'MS-MPPE-Send-Key');
      assert.ok(recv.length > 0 && recv.length === send.length, 'hostapd printed the MPPE keys it received');
      assert.ok(recv.some((key, i) => Buffer.concat([key, send[i]]).equals(msk)), 'FreeRADIUS sent no MSK equal to ours');
    });

    it('a wrong password fails with exit 1', async () => {
      const run = await authOnWire(link, ['--method', 'peap', '--identity', user.identity, '--password-file',
        secretFile('frwrong', `${user.password}x`), '--ca', pki.files.ca, '--server-name', SERVER_NAME]);
      assert.equal(run.code, 1, run.stderr + JSON.stringify(run.json));
    });
  });
});
