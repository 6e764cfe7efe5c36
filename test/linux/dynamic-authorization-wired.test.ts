/**
 * `eaphost disconnect` and `eaphost coa` against a NAS with a real session: hostapd driver=wired on
 * a veth pair between two network namespaces this test makes, wpa_supplicant -Dwired authenticated
 * through it (EAP-MD5, hostapd passing EAP to FreeRADIUS, so hostapd keeps the User-Name for its
 * session), and hostapd's Dynamic Authorization Server (RFC 5176) in the authenticator's namespace.
 * The session's Acct-Session-Id and state come from hostapd's own control interface; the verdicts
 * are hostapd's. A Disconnect-ACK must leave the port unauthorized: hostapd no longer lists the
 * station as authorized, and the same request then finds no session (503). On a wire nothing tells
 * the supplicant (802.1X has no deauthentication frame): its next EAPOL-Start authenticates afresh.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { dasConfig } from '../support/hostapd-das';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, findProgram, makeTempDir, runProgram } from '../support/programs';
import { hostapdStation as stationOf, md5Network, startWiredHostapd, startWiredSupplicant } from '../support/wired-8021x';

const MAIN = resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const DAS_PORT = 3799;
const NAS_IDENTIFIER = 'eaphost-wired-nas';

interface CliResult { code: number | null; json: Record<string, unknown>; stderr: string }

describe('RFC 5176 against hostapd driver=wired with an authenticated wpa_supplicant', function () {
  this.timeout(120_000);
  const user = { identity: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(9).toString('base64') };
  const radiusSecret = randomBytes(12).toString('hex');
  const dasSecret = randomBytes(12).toString('hex');
  let files: { path: string; remove(): void };
  let link: WiredLink;
  let radius: FreeRadiusInstance;
  let hostapd: Daemon;
  let supplicant: Daemon | undefined;
  let station: string;
  const hostapdControl = () => join(files.path, 'hostapd-ctrl');
  const supplicantControl = () => join(files.path, 'wpa-ctrl');

  before(async () => {
    findProgram(['wpa_supplicant'], 'wpasupplicant');
    files = makeTempDir('das-wired');
    writeFileSync(join(files.path, 'das-secret'), `${dasSecret}\n`, { mode: 0o600 });
    link = await makeWiredLink();
    radius = await startFreeRadius({ secret: radiusSecret, users: [user], netns: link.authenticator.ns });
    hostapd = await startWiredHostapd({
      ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port: radius.port, secret: radiusSecret },
      extraConfig: [`ctrl_interface=${hostapdControl()}`,
        ...dasConfig(DAS_PORT, { secret: dasSecret }).filter((line) => !line.startsWith('nas_identifier=')),
      ],
    });
  });
  after(async () => {
    await supplicant?.stop();
    await hostapd?.stop();
    await radius?.stop();
    await link?.remove();
    files?.remove();
  });

  /** wpa_supplicant authenticates a new station (a new MAC address) and stays up. */
  async function authenticate(): Promise<void> {
    await supplicant?.stop();
    station = await link.newSupplicantAddress();
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, supplicantControl(), md5Network(user));
  }

  /** hostapd's view of the station (its control interface's STA command); null when it has none. */
  const hostapdStation = () => stationOf(hostapdControl(), link.authenticator.ifname, station);

  /** `eaphost <command> --nas 127.0.0.1 …` in the authenticator's namespace, where hostapd's DAS takes requests from 127.0.0.1. */
  async function eaphost(command: 'disconnect' | 'coa', args: string[]): Promise<CliResult> {
    const [program, argv] = inNamespace(link.authenticator.ns, process.execPath,
      [MAIN, command, '--nas', '127.0.0.1', '--secret-file', join(files.path, 'das-secret'), '--json', ...args]);
    const run = await runProgram(program, argv, { timeoutMs: 30_000 });
    try {
      return { code: run.code, json: JSON.parse(run.stdout.trim().split('\n').pop() ?? ''), stderr: run.stderr };
    } catch {
      throw new Error(`eaphost ${command} printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
    }
  }

  it('Disconnect-Request naming the session (User-Name, Calling-Station-Id, Acct-Session-Id): ACK, the port is unauthorized', async () => {
    await authenticate();
    const before = await hostapdStation();
    assert.ok(before, `hostapd lists the station ${station}`);
    assert.match(before.flags, /\[AUTHORIZED\]/, 'the port is authorized before');
    assert.equal(before.dot1xAuthSessionUserName, user.identity);
    const sessionId = before.dot1xAuthSessionId;
    assert.match(sessionId, /^[0-9A-F]{16}$/);
    const mark = hostapd.log().length;

    const run = await eaphost('disconnect', ['--identity', user.identity, '--calling-station-id', station, '--session-id', sessionId]);
    assert.equal(run.code, 0, run.stderr + JSON.stringify(run.json) + hostapd.log().slice(mark));
    assert.deepEqual([run.json.success, run.json.result, run.json.code, run.json.errorCause], [true, 'acknowledged', 'Disconnect-ACK', null]);
    await hostapd.logUntil(mark, new RegExp(`RADIUS DAS: Found a matching session ${station} - disconnecting`));
    await hostapd.logUntil(mark, new RegExp(`AP-STA-DISCONNECTED ${station}`));
    const after = await hostapdStation();
    assert.ok(after === null || !/\[AUTHORIZED\]/.test(after.flags), `the port is unauthorized after: ${JSON.stringify(after)}`);

    // The session is gone: the same request now finds none.
    const again = await eaphost('disconnect', ['--identity', user.identity, '--calling-station-id', station, '--session-id', sessionId]);
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual([again.json.result, again.json.errorCause], ['nak', { value: 503, name: 'Session Context Not Found' }]);

    // Nothing on the wire told the supplicant; its next EAPOL-Start makes it authenticate afresh.
    const wpaCli = findProgram(['wpa_cli'], 'wpasupplicant');
    const supplicantMark = supplicant!.log().length;
    const reauth = await runProgram(wpaCli, ['-p', supplicantControl(), '-i', link.supplicant.ifname, 'reauthenticate'], { timeoutMs: 10_000 });
    assert.match(reauth.stdout, /OK/);
    await supplicant!.logUntil(supplicantMark, /CTRL-EVENT-EAP-SUCCESS/);  // wpa_supplicant authenticates again
    const renewed = await hostapdStation();
    assert.ok(renewed && /\[AUTHORIZED\]/.test(renewed.flags), 'authorized again after a new authentication');
  });

  it('a Disconnect-Request for a session on another NAS: NAK 403, the port stays authorized', async () => {
    await authenticate();
    const run = await eaphost('disconnect', ['--calling-station-id', station, '--nas-identifier', NAS_IDENTIFIER]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.json.errorCause, { value: 403, name: 'NAS Identification Mismatch' });
    assert.match((await hostapdStation())?.flags ?? '', /\[AUTHORIZED\]/);
  });

  it("CoA-Request to the session: Debian's hostapd refuses Session-Timeout (401) and ACKs Terms and Conditions filtering", async () => {
    await authenticate();
    const timeout = await eaphost('coa', ['--calling-station-id', station, '--session-timeout', '60']);
    assert.equal(timeout.code, 1, timeout.stderr);
    assert.deepEqual([timeout.json.code, timeout.json.errorCause], ['CoA-NAK', { value: 401, name: 'Unsupported Attribute' }]);
    const mark = hostapd.log().length;
    // Hotspot 2.0 Terms and Conditions filtering (Wi-Fi Alliance vendor 40808, type 9), all bits clear: lifted.
    const lifted = await eaphost('coa', ['--calling-station-id', station, '--identity', user.identity, '--attr', '26:40808:9:octets=0x00000000']);
    assert.equal(lifted.code, 0, lifted.stderr + JSON.stringify(lifted.json) + hostapd.log().slice(mark));
    assert.deepEqual([lifted.json.result, lifted.json.code], ['acknowledged', 'CoA-ACK']);
    await hostapd.logUntil(mark, new RegExp(`HS 2.0: Terms and Conditions filtering not required for ${station}`));
    assert.match((await hostapdStation())?.flags ?? '', /\[AUTHORIZED\]/, 'a CoA leaves the session up');
  });
});
