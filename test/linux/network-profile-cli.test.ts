import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { NetworkProfile, writeEapConfig, writeNetworkManager } from '../../lib/profile';
import { parseNetworkProfileJson } from '../../lib/profile/network-profile';
import { readEapConfig } from '../../lib/profile/geant-eap-config';
import { runMain } from '../support/cli-run';
import { uninstrumentedEnv } from '../support/child-env';
import { findProgram, makeTempDir } from '../support/programs';

/** `eaphost profile`: conversions through the CLI, notes on stderr, and --install into a keyfile directory nmcli reads. */
describe('eaphost profile', () => {
  const dir = makeTempDir('profile-cli');
  after(() => dir.remove());
  const ca = createEphemeralCa('radius.example.invalid');
  const profile: NetworkProfile = {
    version: 1, name: 'Example', networks: [{ type: 'wifi', ssid: 'eduroam' }, { type: 'wifi', ssid: 'example-secure' }],
    eap: [{ method: 'peap', ca: [ca.ca], serverNames: ['radius.example.invalid'], tls: { min: '1.2' } }],
    credentials: { identity: 'user@example.invalid', password: 'secret pw' },
  };
  const source = join(dir.path, 'profile.eap-config');
  before(() => writeFileSync(source, writeEapConfig(profile, { secrets: true }).text));
  /** stderr without the notes about the profile (the PEAP profile's MSCHAPv2 readiness note): the refusal alone. */
  const refusal = (stderr: string): string => stderr.split('\n').filter((line) => !line.startsWith('note: ')).join('\n');
  /** The keyfiles' names (the id, then the connection's UUID) for the tests that put something there first. */
  const keyfileNames = (): string[] => writeNetworkManager(readEapConfig(readFileSync(source, 'utf8')).profile).files.map((file) => file.name);

  it('eap-config to JSON: the model back, the password only with --secrets', async () => {
    const plain = await runMain(['profile', '--from', source, '--to', 'json']);
    assert.equal(plain.code, 0, plain.stderr);
    const read = parseNetworkProfileJson(plain.stdout);
    assert.deepEqual(read.networks.map((n) => n.type === 'wifi' && n.ssid), ['eduroam', 'example-secure']);
    assert.equal(read.credentials?.password, undefined);
    const secret = await runMain(['profile', '--from', source, '--to', 'json', '--secrets']);
    assert.equal(parseNetworkProfileJson(secret.stdout).credentials?.password, 'secret pw');
  });

  it('notes what the target cannot carry, and asks for --out-dir when there are several documents', async () => {
    const wlan = await runMain(['profile', '--from', join(dir.path, 'profile.json'), '--to', 'wlan']);
    assert.equal(wlan.code, 2);
    writeFileSync(join(dir.path, 'profile.json'), JSON.stringify(profile));
    const several = await runMain(['profile', '--from', join(dir.path, 'profile.json'), '--to', 'wlan']);
    assert.equal(several.code, 2);
    assert.match(several.stderr, /--out-dir/);
    const out = join(dir.path, 'wlan');
    const written = await runMain(['profile', '--from', join(dir.path, 'profile.json'), '--to', 'wlan', '--out-dir', out]);
    assert.equal(written.code, 0, written.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['eduroam.xml', 'example-secure.xml']);
    assert.match(written.stderr, /note: eap\[0\]\.tls: /);
  });

  it('a readiness note for each EAP configuration that needs MSCHAPv2 (NTLM against AD), none for TTLS-PAP or EAP-TLS', async () => {
    const file = join(dir.path, 'readiness.json');
    writeFileSync(file, JSON.stringify({
      ...profile, eap: [
        profile.eap[0], { ...profile.eap[0], method: 'ttls', phase2: 'pap' }, { ...profile.eap[0], method: 'ttls' },
        { ...profile.eap[0], method: 'teap', innerMethod: 'tls', teapSecondaryInnerMethod: 'mschapv2' },
      ],
    }));
    const run = await runMain(['profile', '--from', file, '--to', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const notes = run.stderr.split('\n').filter((line) => line.includes('NTLM'));
    assert.deepEqual(notes.map((line) => /: (eap\[\d\]): /.exec(line)?.[1]), ['eap[0]', 'eap[2]', 'eap[3]'], run.stderr);
    assert.match(notes[0], /^note: .*readiness\.json: eap\[0\]: peap with the inner EAP-MSCHAPv2: .*EAP-TLS .*TEAP/);
    assert.match(notes[1], /ttls with phase 2 mschapv2/);
    // The profile itself is written as it was.
    assert.equal(parseNetworkProfileJson(run.stdout).eap.length, 4);
  });

  it('--out-dir gives each document its own file when names sanitise alike (wlan: a/b, a\\b, a_b)', async () => {
    const ssids = ['a/b', 'a\\b', 'a_b'];
    const file = join(dir.path, 'alike.json');
    writeFileSync(file, JSON.stringify({ ...profile, networks: ssids.map((ssid) => ({ type: 'wifi', ssid })) }));
    const out = join(dir.path, 'alike-wlan');
    const run = await runMain(['profile', '--from', file, '--to', 'wlan', '--out-dir', out]);
    assert.equal(run.code, 0, run.stderr);
    const written = readdirSync(out);
    assert.equal(written.length, ssids.length, written.join(', '));
    // Each file holds its own network: the SSID's bytes as the WLAN profile's hex.
    const held = written.map((name) => /<hex>([0-9A-F]+)<\/hex>/.exec(readFileSync(join(out, name), 'utf8'))![1]);
    assert.deepEqual(held.sort(), ssids.map((ssid) => Buffer.from(ssid).toString('hex').toUpperCase()).sort());
  });

  it('--install writes mode 0600 keyfiles that nmcli reads, then asks NetworkManager to reload (a typed failure without a daemon)', async () => {
    const connections = join(dir.path, 'system-connections');
    const run = await runMain(['profile', '--from', source, '--install', '--secrets', '--connections-dir', connections]);
    const files = readdirSync(connections).sort();
    assert.equal(files.length, 2);
    assert.match(files[0], /^eduroam-[0-9a-f-]{36}\.nmconnection$/);
    assert.match(files[1], /^example-secure-[0-9a-f-]{36}\.nmconnection$/);
    for (const file of files) {
      assert.equal(statSync(join(connections, file)).mode & 0o777, 0o600);
      const read = spawnSync(findProgram(['nmcli'], 'network-manager'), ['--offline', 'connection', 'modify', 'connection.autoconnect', 'no'],
        { input: readFileSync(join(connections, file)), encoding: 'utf8', env: uninstrumentedEnv(), timeout: 20_000 });
      if (read.error) throw read.error;
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stdout, /^password=secret pw$/m);
      // The UUID in the name is the connection's, as NetworkManager reads it.
      assert.match(read.stdout, new RegExp(`^uuid=${file.slice(-49, -13)}$`, 'm'));
    }
    // This machine runs no NetworkManager daemon: the reload's failure is reported, not hidden.
    const daemon = spawnSync(findProgram(['nmcli'], 'network-manager'), ['general', 'status'],
      { encoding: 'utf8', env: uninstrumentedEnv(), timeout: 20_000 });
    if (daemon.status === 0) assert.equal(run.code, 0, run.stderr);
    else {
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /nmcli connection reload failed/);
    }
  });

  it("--install runs the system's nmcli, not one put first on PATH, and gives it no secret of our environment", async () => {
    // A stand-in first on PATH that would write down its environment, were it run.
    const first = join(dir.path, 'path-first');
    mkdirSync(first);
    const ran = join(dir.path, 'path-nmcli-ran');
    writeFileSync(join(first, 'nmcli'), `#!/bin/sh\nenv > '${ran}'\n`, { mode: 0o755 });
    // A system bus that accepts and never answers: the real nmcli waits on it while its process is read.
    let seen: { exe: string; environment: string[] } | undefined;
    const bus = createServer((socket) => {
      const child = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).find((pid) => {
        try {
          return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === process.pid &&
            readlinkSync(`/proc/${pid}/exe`).endsWith('/nmcli');
        } catch {
          return false;  // gone meanwhile
        }
      });
      if (child) {
        seen = { exe: readlinkSync(`/proc/${child}/exe`), environment: readFileSync(`/proc/${child}/environ`, 'utf8').split('\0') };
      }
      socket.destroy();
    });
    const busPath = join(dir.path, 'system_bus_socket');
    await new Promise<void>((resolve) => bus.listen(busPath, resolve));
    const saved = { ...process.env };
    Object.assign(process.env, { PATH: `${first}:${process.env.PATH}`, EAPHOST_PASSWORD: 'env-password', EAPHOST_SECRET: 'env-secret',
      DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${busPath}` });
    let run: Awaited<ReturnType<typeof runMain>>;
    try {
      run = await runMain(['profile', '--from', source, '--install', '--connections-dir', join(dir.path, 'nmcli-connections')]);
    } finally {
      for (const name of ['PATH', 'EAPHOST_PASSWORD', 'EAPHOST_SECRET', 'DBUS_SYSTEM_BUS_ADDRESS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await new Promise((resolve) => bus.close(resolve));
    }
    assert.throws(() => statSync(ran), /ENOENT/, 'the nmcli first on PATH never ran');
    assert.ok(seen, `the system's nmcli asked the system bus it was given: ${run.stderr}`);
    assert.equal(realpathSync(seen.exe), realpathSync('/usr/bin/nmcli'));
    assert.deepEqual(seen.environment.filter((entry) => /^EAPHOST_|^PATH=/.test(entry)), []);
    assert.ok(seen.environment.includes(`DBUS_SYSTEM_BUS_ADDRESS=unix:path=${busPath}`), seen.environment.join(' '));
    // A reload that fails is the system's failure, not a usage error: exit 1, and no usage hint.
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /nmcli connection reload failed/);
    assert.doesNotMatch(run.stderr, /--help for usage/);
  });

  describe('files that carry the password: a new 0600 file, renamed into place, never written through a link', () => {
    const secretText = (file: string): string => readFileSync(file, 'utf8');

    it('--secrets --out onto an existing 0644 (or 0666) file leaves a 0600 file', async () => {
      for (const mode of [0o644, 0o666]) {
        const out = join(dir.path, `existing-${mode.toString(8)}.json`);
        writeFileSync(out, 'old\n', { mode });
        chmodSync(out, mode);
        const run = await runMain(['profile', '--from', source, '--to', 'json', '--secrets', '--out', out]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(statSync(out).mode & 0o777, 0o600);
        assert.match(secretText(out), /secret pw/);
      }
    });

    it('--secrets --out onto a symbolic link replaces the link, and the file it pointed to keeps its content', async () => {
      const victim = join(dir.path, 'victim.txt');
      writeFileSync(victim, 'untouched\n', { mode: 0o644 });
      const link = join(dir.path, 'link.json');
      symlinkSync(victim, link);
      const run = await runMain(['profile', '--from', source, '--to', 'json', '--secrets', '--out', link]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
      assert.equal(lstatSync(link).isSymbolicLink(), false);
      assert.equal(lstatSync(link).mode & 0o777, 0o600);
      assert.match(secretText(link), /secret pw/);
    });

    it('--out onto a FIFO or a device node (/dev/null) is refused, and the node is left exactly as it was', async () => {
      const fifoDir = join(dir.path, 'fifo-out');
      mkdirSync(fifoDir);
      const fifo = join(fifoDir, 'profile.json');
      execFileSync('mkfifo', [fifo]);
      const fifoBefore = lstatSync(fifo);
      const intoFifo = await runMain(['profile', '--from', source, '--to', 'json', '--secrets', '--out', fifo]);
      assert.equal(intoFifo.code, 2, intoFifo.stderr);
      assert.equal(refusal(intoFifo.stderr), `eaphost profile: ${fifo} is a FIFO, not a regular file: refused, and left as it is`);
      const fifoAfter = lstatSync(fifo);
      assert.ok(fifoAfter.isFIFO());
      assert.deepEqual([fifoAfter.ino, fifoAfter.mode], [fifoBefore.ino, fifoBefore.mode]);
      assert.deepEqual(readdirSync(fifoDir), ['profile.json'], 'no temporary file left beside it');
      // Only once a FIFO is refused is /dev/null tried: a writer that replaced nodes would replace the real one.
      const nullBefore = lstatSync('/dev/null');
      const intoNull = await runMain(['profile', '--from', source, '--to', 'json', '--out', '/dev/null']);
      const nullAfter = lstatSync('/dev/null');
      assert.ok(nullAfter.isCharacterDevice());
      assert.deepEqual([nullAfter.ino, nullAfter.mode, nullAfter.rdev], [nullBefore.ino, nullBefore.mode, nullBefore.rdev]);
      assert.equal(intoNull.code, 2, intoNull.stderr);
      assert.equal(refusal(intoNull.stderr), 'eaphost profile: /dev/null is a character device, not a regular file: refused, and left as it is');
      assert.deepEqual(readdirSync('/dev').filter((name) => name.startsWith('.null.')), [], 'no temporary file left in /dev');
    });

    it('--out-dir onto a device node or a regular file is refused by what is there, which is left as it was', async () => {
      const nullBefore = lstatSync('/dev/null');
      const intoNull = await runMain(['profile', '--from', source, '--to', 'networkmanager', '--out-dir', '/dev/null']);
      assert.equal(intoNull.code, 2, intoNull.stderr);
      assert.equal(refusal(intoNull.stderr), 'eaphost profile: /dev/null is a character device, not a directory: refused, and left as it is');
      const nullAfter = lstatSync('/dev/null');
      assert.deepEqual([nullAfter.ino, nullAfter.mode, nullAfter.rdev], [nullBefore.ino, nullBefore.mode, nullBefore.rdev]);
      const file = join(dir.path, 'a-file');
      writeFileSync(file, 'kept\n');
      const intoFile = await runMain(['profile', '--from', source, '--to', 'networkmanager', '--out-dir', file]);
      assert.equal(intoFile.code, 2, intoFile.stderr);
      assert.equal(refusal(intoFile.stderr), `eaphost profile: ${file} is a regular file, not a directory: refused, and left as it is`);
      assert.equal(readFileSync(file, 'utf8'), 'kept\n');
      const under = await runMain(['profile', '--from', source, '--to', 'networkmanager', '--out-dir', join(file, 'below')]);
      assert.equal(under.code, 2, under.stderr);
      assert.match(refusal(under.stderr), /^eaphost profile: --out-dir .*a-file\/below: cannot make it \(ENOTDIR\)/);
    });

    it('--secrets --out-dir onto existing 0644 files leaves 0600 files', async () => {
      const out = join(dir.path, 'nm-out');
      mkdirSync(out);
      for (const name of keyfileNames()) writeFileSync(join(out, name), 'old\n', { mode: 0o644 });
      const run = await runMain(['profile', '--from', source, '--to', 'networkmanager', '--secrets', '--out-dir', out]);
      assert.equal(run.code, 0, run.stderr);
      // The old files were replaced, not joined by new ones beside them.
      assert.deepEqual(readdirSync(out).sort(), keyfileNames().sort());
      for (const name of readdirSync(out)) assert.equal(statSync(join(out, name)).mode & 0o777, 0o600, name);
    });

    it('--install --secrets with a leftover 0644 .partial file (or a link there) installs a 0600 keyfile', async () => {
      const connections = join(dir.path, 'leftover-connections');
      mkdirSync(connections);
      const victim = join(dir.path, 'victim-partial.txt');
      writeFileSync(victim, 'untouched\n', { mode: 0o644 });
      const names = keyfileNames();
      writeFileSync(join(connections, `${names[0]}.partial`), 'leftover\n', { mode: 0o644 });
      symlinkSync(victim, join(connections, `${names[1]}.partial`));
      await runMain(['profile', '--from', source, '--install', '--secrets', '--connections-dir', connections]);
      for (const name of names) {
        const file = join(connections, name);
        assert.equal(lstatSync(file).isFile(), true, name);
        assert.equal(statSync(file).mode & 0o777, 0o600, name);
        assert.match(secretText(file), /^password=secret pw$/m);
      }
      assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
    });
  });
});
