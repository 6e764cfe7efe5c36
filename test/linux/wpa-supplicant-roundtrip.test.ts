import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { writeWpaSupplicant } from '../../lib/profile';
import { checkNetworkProfile } from '../../lib/profile/network-profile';
import { uninstrumentedEnv } from '../support/child-env';
import { hostileProfile, withSeed } from '../support/hostile-text';
import { makeTestPkcs12 } from '../support/pkcs12';
import { findProgram, makeTempDir } from '../support/programs';

/**
 * wpa_supplicant configurations read by wpa_supplicant's own parser: eapol_test (hostap's
 * config_file.c, the same code wpa_supplicant runs) reads the file and, at its default debug
 * level, prints every string field of every network block as a hex dump before it does anything
 * else. It then sends to a closed loopback port and gives up after a second: no interface is
 * touched. The bytes it parsed are compared with what the profile meant.
 */

interface ParsedBlock {
  keyMgmt?: number;
  eapType?: number;
  strings: Record<string, string>;
}

function wpaParse(config: string, dir: string): ParsedBlock[] {
  const file = join(dir, 'wpa.conf');
  writeFileSync(file, config, { mode: 0o600 });
  const run = spawnSync(findProgram(['eapol_test'], 'eapoltest'), ['-c', file, '-a', '127.0.0.1', '-p', '9', '-s', 'unused', '-t', '1'],
    { encoding: 'utf8', env: uninstrumentedEnv(), timeout: 30_000, maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  const out = run.stdout + run.stderr;
  assert.doesNotMatch(out, /failed to parse|Failed to read or parse/i, out.slice(0, 4000));
  const lines = out.split('\n');
  const blocks: ParsedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^Line: \d+ - start of a new network block$/.test(line)) {
      blocks.push({ strings: {} });
      continue;
    }
    if (/^Priority group/.test(line)) break;
    const block = blocks[blocks.length - 1];
    if (!block) continue;
    const keyMgmt = /^key_mgmt: 0x([0-9a-f]+)$/.exec(line);
    if (keyMgmt) block.keyMgmt = parseInt(keyMgmt[1], 16);
    const eap = /^eap methods - hexdump\(len=\d+\): (.*)$/.exec(line);
    // struct eap_method_type { int vendor; u32 method; }: the first method's type is byte 4.
    if (eap) block.eapType = parseInt(eap[1].split(' ')[4], 16);
    const field = /^(\w+) - hexdump_ascii\(len=(\d+)\):$/.exec(line);
    if (field) {
      let remaining = Number(field[2]);
      const bytes: string[] = [];
      while (remaining > 0) {
        const row = lines[++i].trim().split(/\s+/).slice(0, Math.min(16, remaining));
        bytes.push(...row);
        remaining -= row.length;
      }
      block.strings[field[1]] = bytes.join('');
    }
  }
  return blocks;
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');
const EAP_TYPE: Record<string, number> = { md5: 4, gtc: 6, tls: 13, ttls: 21, peap: 25, mschapv2: 26 };
// hostap's WPA_KEY_MGMT_* bits: IEEE8021X 0x1 (WPA-EAP), IEEE8021X_NO_WPA 0x8, IEEE8021X_SHA256 0x80.
const KEY_MGMT = { 'wpa2-enterprise': 0x1, 'wpa3-enterprise': 0x80, wired: 0x8 };

const ca = createEphemeralCa('radius.example.invalid');

describe('wpa_supplicant configurations read by wpa_supplicant\'s own parser', () => {
  const dir = makeTempDir('wpa-roundtrip');
  after(() => dir.remove());

  it('hostile profiles: every string field parses to the bytes the profile meant (fixed number of seeded cases)', () => withSeed((random) => {
    // TEAP is left to test/radius/profile-teap.test.ts: Debian's eapol_test is built without it.
    const options = { methods: ['peap', 'ttls', 'tls', 'mschapv2', 'gtc', 'md5'] as const, caSets: [[ca.ca]], pkcs12: makeTestPkcs12().pkcs12 };
    const CASES = 120;
    const cases = Array.from({ length: CASES }, () => ({ profile: hostileProfile(random, options), secrets: random.chance(0.7) }));
    // One file, every case's blocks in order: one parse, one eapol_test run.
    const texts = cases.map(({ profile, secrets }) => writeWpaSupplicant(profile, { secrets }).text);
    const blocks = wpaParse(texts.join('\n'), dir.path);
    assert.equal(blocks.length, cases.reduce((n, c) => n + c.profile.networks.length, 0), 'one parsed block per network');
    let at = 0;
    for (const { profile, secrets } of cases) {
      const eap = profile.eap[0];
      for (const network of profile.networks) {
        const block = blocks[at++];
        const label = JSON.stringify({ network, eap: { ...eap, ca: undefined }, credentials: profile.credentials });
        assert.equal(block.keyMgmt, network.type === 'wifi' ? KEY_MGMT[network.security ?? 'wpa2-enterprise'] : KEY_MGMT.wired, label);
        assert.equal(block.eapType, EAP_TYPE[eap.method], label);
        const expected: Record<string, string | undefined> = {
          ssid: network.type === 'wifi' ? hex(network.ssid) : undefined,
          identity: profile.credentials?.identity !== undefined ? hex(profile.credentials.identity) : undefined,
          anonymous_identity: eap.anonymousIdentity !== undefined ? hex(eap.anonymousIdentity) : undefined,
          password: secrets && eap.method !== 'tls' && profile.credentials?.password !== undefined ? hex(profile.credentials.password) : undefined,
          // hostap's domain_match: server names separated by ';'.
          domain_match: eap.serverNames ? hex(eap.serverNames.join(';')) : undefined,
          ca_cert: eap.ca ? hex('blob://eaphost-ca') : undefined,
          private_key: secrets && eap.clientCertificate ? hex('blob://eaphost-client') : undefined,
          private_key_passwd: secrets && eap.clientCertificate?.passphrase !== undefined ? hex(eap.clientCertificate.passphrase) : undefined,
        };
        for (const [name, value] of Object.entries(expected)) assert.equal(block.strings[name], value, `${label}: ${name}`);
        if (eap.serverNames) assert.deepEqual(Buffer.from(block.strings.domain_match, 'hex').toString('utf8').split(';'), eap.serverNames, label);
      }
    }
  }));

  it('the parse is a real check: a field wpa_supplicant cannot read fails it', () => {
    const text = writeWpaSupplicant(checkNetworkProfile({ version: 1, networks: [{ type: 'wired' }], eap: [{ method: 'md5' }],
      credentials: { identity: 'x' } })).text;
    assert.throws(() => wpaParse(text.replace('eap=MD5', 'eap=NONSENSE'), dir.path));
    const parsed = wpaParse(text, dir.path);
    assert.equal(parsed[0].strings.identity, hex('x'));
  });
});
