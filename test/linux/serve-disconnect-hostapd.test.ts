/**
 * `serve` (the RadiusServer API) ending a session it authenticated: hostapd driver=wired is the NAS
 * on a veth pair between two network namespaces this test makes, its RADIUS client pointed at our
 * server (a child process in the NAS's namespace, test/support/das-serve-child.ts) and its Dynamic
 * Authorization Server on; wpa_supplicant -Dwired authenticates with EAP-MD5 through it. The
 * server then sends a Disconnect-Request naming the session as hostapd's Access-Request did
 * (User-Name, Calling-Station-Id, Acct-Session-Id, NAS-Identifier, NAS-IP-Address), to the
 * NAS-IP-Address hostapd gave. hostapd is the judge: it must ACK, log the match and drop the
 * station's authorization.
 */
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { dasConfig } from '../support/hostapd-das';
import { inNamespace, makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, findProgram, makeTempDir, quoteConfigString, runProgram, startDaemon } from '../support/programs';
import { someone, startWiredHostapd } from '../support/wired-8021x';

const CHILD = resolve(__dirname, '..', 'support', 'das-serve-child.js');

describe('RadiusServer.disconnect() to hostapd (driver=wired) as the NAS, for a session it authenticated', function () {
  this.timeout(120_000);
  const user = someone();
  const radiusSecret = randomBytes(12).toString('hex');
  const dasSecret = randomBytes(12).toString('hex');
  let files: { path: string; remove(): void };
  let link: WiredLink;
  let server: ChildProcess | undefined;
  let lines: Interface;
  let hostapd: Daemon;
  let supplicant: Daemon | undefined;
  const hostapdControl = (): string => join(files.path, 'hostapd-ctrl');

  /** One request to the child and its one-line answer. */
  async function ask(request: object): Promise<Record<string, unknown>> {
    const answer = new Promise<string>((done) => lines.once('line', done));
    server!.stdin!.write(`${JSON.stringify(request)}\n`);
    return JSON.parse(await answer) as Record<string, unknown>;
  }

  before(async () => {
    files = makeTempDir('serve-disconnect');
    link = await makeWiredLink();
    const [program, args] = inNamespace(link.authenticator.ns, process.execPath, [CHILD, user.identity, user.password, radiusSecret]);
    server = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    lines = createInterface({ input: server.stdout! });
    const { port } = JSON.parse(await new Promise<string>((done) => lines.once('line', done))) as { port: number };
    hostapd = await startWiredHostapd({
      ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port, secret: radiusSecret },
      extraConfig: [`ctrl_interface=${hostapdControl()}`, ...dasConfig(3799, { secret: dasSecret })],
    });
  });
  after(async () => {
    await supplicant?.stop();
    await hostapd?.stop();
    server?.stdin?.end();
    if (server && server.exitCode === null) await new Promise((done) => server!.once('exit', done));
    await link?.remove();
    files?.remove();
  });

  async function hostapdStation(station: string): Promise<string> {
    const run = await runProgram(findProgram(['hostapd_cli'], 'hostapd'), ['-p', hostapdControl(), '-i', link.authenticator.ifname,
      'sta', station], { timeoutMs: 10_000 });
    return run.stdout;
  }

  it('remembers the session as hostapd named it, and hostapd ACKs its Disconnect-Request and unauthorizes the station', async () => {
    const station = await link.newSupplicantAddress();
    const dir = makeTempDir('serve-disconnect-wpa');
    const config = join(dir.path, 'wpa.conf');
    writeFileSync(config, ['ap_scan=0', 'network={', 'key_mgmt=IEEE8021X', 'eapol_flags=0', 'eap=MD5',
      `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(user.password)}`, '}', ''].join('\n'));
    const [program, args] = inNamespace(link.supplicant.ns, findProgram(['wpa_supplicant'], 'wpasupplicant'),
      ['-Dwired', `-i${link.supplicant.ifname}`, '-c', config]);
    supplicant = await startDaemon('wpa_supplicant (wired)', program, args, 'CTRL-EVENT-EAP-SUCCESS', 20_000, dir);
    const before = await hostapdStation(station);
    assert.match(before, /flags=.*\[AUTHORIZED\]/, before);
    const hostapdSessionId = /dot1xAuthSessionId=([0-9A-F]+)/.exec(before)?.[1];

    const { sessions } = await ask({ op: 'sessions' }) as { sessions: Record<string, string>[] };
    assert.equal(sessions.length, 1, JSON.stringify(sessions));
    const [session] = sessions;
    assert.deepEqual([session.userName, session.callingStationId?.toLowerCase().replace(/-/g, ':'), session.nasIdentifier,
      session.nasIpAddress, session.client], [user.identity, station, 'eaphost-wired', '127.0.0.1', '127.0.0.1']);
    assert.equal(session.acctSessionId, hostapdSessionId, "the Acct-Session-Id hostapd's Access-Request carried is its session's");

    const mark = hostapd.log().length;
    const wrong = await ask({ op: 'disconnect', selector: { callingStationId: session.callingStationId }, nasSecret: `${dasSecret}x` });
    // hostapd drops a request it cannot verify: no answer.
    assert.equal(wrong.code, 'ERR_RADIUS_TIMEOUT', JSON.stringify(wrong));
    const reply = await ask({ op: 'disconnect', selector: { callingStationId: session.callingStationId }, nasSecret: dasSecret });
    assert.deepEqual(reply, { acknowledged: true, codeName: 'Disconnect-ACK', errorCauses: [] }, hostapd.log().slice(mark));
    // hostapd's log reaches this process through a pipe of its own, the ACK through the child's:
    // the line may come a moment after the ACK.
    await hostapd.logUntil(mark, new RegExp(`RADIUS DAS: Found a matching session ${station} - disconnecting`));
    const after = await hostapdStation(station);
    assert.doesNotMatch(after, /\[AUTHORIZED\]/, after);
    // An ACK forgets the session: there is nothing left to disconnect.
    const again = await ask({ op: 'disconnect', selector: { callingStationId: session.callingStationId }, nasSecret: dasSecret });
    assert.equal(again.code, 'ERR_SESSION_NOT_FOUND');
  });
});
