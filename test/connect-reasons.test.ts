/**
 * The reason table (lib/profile/connect/reason-table.ts): every row's value is checked against a
 * second source recorded in test/fixtures/connect-reasons/second-sources.json (Windows' metadata
 * as windows-sys generates it, Microsoft's EAPHost and event pages, the installed libnm's enum
 * types, the string tables of wpa_supplicant and OpenSSL), never against the table itself; then
 * the readings the issue names are checked case by case.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REASON_GROUPS, ReasonGroup, SAYS_NOTHING_BY_ITSELF } from '../lib/profile/connect/reason-table';
import { categoryOf, categoryOfCodes, nameOf, namedCode } from '../lib/profile/connect/reasons';
import type { ConnectCode } from '../lib/profile/connect/outcome';
import { CATEGORIES } from './support/connect-categories';

interface Sources {
  windowsMetadata: Record<'WLAN_REASON_CODE' | 'ONEX_REASON_CODE' | 'ONEX_AUTH_STATUS', Record<string, number>> & { provenance: string };
  microsoftDocsEapHost: { provenance: string; values: Record<string, number>; disagreements: Record<string, string> };
  microsoftEventPages: { provenance: string; values: Record<string, number>; disagreements: Record<string, string> };
  libnm: { provenance: string; NMDeviceStateReason: Record<string, number>; NMActiveConnectionStateReason: Record<string, number> };
  wpaSupplicantTexts: { provenance: string } & Record<'wpa_supplicant' | 'libssl' | 'libcrypto', Record<string, string | null>>;
}

const sources = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'connect-reasons',
  'second-sources.json'), 'utf8')) as Sources;


/** The wpa_supplicant statuses a row may start with (hostap's eap_notify_status), longest first. */
const WPA_STATUSES = ['remote certificate verification', 'refuse proposed method', 'local TLS alert', 'remote TLS alert', 'completion'];

function found(table: Record<string, string | null>, text: string): boolean {
  return typeof table[text] === 'string' && (table[text] as string).endsWith(text);
}

/** The second source's value for a numeric row, or why it is absent. */
function secondValue(group: ReasonGroup, name: string): number | undefined {
  switch (group.source) {
    case 'wlan-reason': return sources.windowsMetadata.WLAN_REASON_CODE[name];
    case 'onex-reason': return sources.windowsMetadata.ONEX_REASON_CODE[name];
    case 'onex-status': return sources.windowsMetadata.ONEX_AUTH_STATUS[name];
    case 'eap-error': return sources.microsoftDocsEapHost.values[name];
    case 'nm-device-reason': return sources.libnm.NMDeviceStateReason[name];
    case 'nm-active-reason': return sources.libnm.NMActiveConnectionStateReason[name];
    default: return undefined;
  }
}

describe('the connect reason table, row by row against a second source', () => {
  it('records where each second source comes from', () => {
    for (const source of Object.values(sources).filter((value) => typeof value === 'object')) {
      assert.match((source as { provenance: string }).provenance, /\S{10}/);
    }
  });

  for (const group of REASON_GROUPS) {
    describe(`${group.source} (${group.cite})`, () => {
      it('holds each value once, with its symbol and a known category', () => {
        const values = group.rows.map((row) => String(row[0]));
        assert.equal(new Set(values).size, values.length, 'a value appears twice');
        for (const [value, name, category] of [...group.rows, ...(group.prefixes ?? [])]) {
          assert.match(name, /^[A-Za-z][A-Za-z0-9_]+$/, `${String(value)}: a symbol, not prose`);
          assert.ok(CATEGORIES.includes(category), `${name}: ${category}`);
        }
      });

      if (group.source === 'wpa-eap-status') {
        for (const [value, name] of group.rows) {
          it(`"${String(value)}" (${name}) is a status and a parameter wpa_supplicant or OpenSSL produces`, () => {
            const text = String(value);
            const status = WPA_STATUSES.find((candidate) => text.startsWith(`${candidate} `));
            assert.ok(status, `no known status opens "${text}"`);
            assert.ok(found(sources.wpaSupplicantTexts.wpa_supplicant, status), `status "${status}"`);
            const parameter = text.slice(status.length + 1);
            const tables = sources.wpaSupplicantTexts;
            assert.ok(found(tables.wpa_supplicant, parameter) || found(tables.libssl, parameter) || found(tables.libcrypto, parameter),
              `parameter "${parameter}" is in none of the recorded string tables`);
          });
        }
        for (const [value] of group.prefixes ?? []) {
          it(`the status "${String(value)}" is one wpa_supplicant produces`, () => {
            assert.ok(found(sources.wpaSupplicantTexts.wpa_supplicant, String(value)));
          });
        }
        return;
      }

      for (const [value, name] of group.rows) {
        it(`${name} = ${String(value)}`, () => {
          const disagreement = group.source === 'eap-error' ? sources.microsoftDocsEapHost.disagreements[name] : undefined;
          const second = secondValue(group, name);
          assert.equal(typeof second, 'number', `${name} is missing from the second source`);
          if (disagreement) {
            assert.notEqual(second, value, `${name} is recorded as a disagreement but the sources agree`);
          } else {
            assert.equal(value, second);
          }
        });
      }
    });
  }

  it('agrees with the values Microsoft\'s Wired-AutoConfig event pages list, except the one they record as older', () => {
    const rows = new Map(REASON_GROUPS.flatMap((group) => group.rows.map((row) => [row[1], row[0]] as const)));
    for (const [name, value] of Object.entries(sources.microsoftEventPages.values)) assert.equal(rows.get(name), value, name);
    for (const name of Object.keys(sources.microsoftEventPages.disagreements)) assert.ok(rows.has(name), name);
  });

  it('has every libnm device reason the table names, and reads no NM value the installed NetworkManager lacks', () => {
    const known = new Set(Object.values(sources.libnm.NMDeviceStateReason));
    for (const [value] of REASON_GROUPS.find((group) => group.source === 'nm-device-reason')!.rows) assert.ok(known.has(value as number));
  });
});

const code = (source: ConnectCode['source'], value: number | string): ConnectCode => ({ source, value });

describe('the connect reason table, read', () => {
  it('reads the real EAP_E_USER_CREDENTIALS_REJECTED (0x80420111), signed or not, and not mingw-w64\'s 0x40420111', () => {
    assert.equal(categoryOf(code('eap-error', 0x80420111)), 'credentials-rejected');
    assert.equal(nameOf(code('eap-error', 0x80420111)), 'EAP_E_USER_CREDENTIALS_REJECTED');
    assert.equal(categoryOf(code('eap-error', 0x80420111 | 0)), 'credentials-rejected');
    assert.equal(categoryOf(code('eap-error', 0x40420111)), 'unknown');
    assert.equal(nameOf(code('eap-error', 0x40420111)), undefined);
  });

  it('names a code as a backend records it, and leaves an unknown one unnamed', () => {
    assert.deepEqual(namedCode('nm-device-reason', 7), { source: 'nm-device-reason', value: 7, name: 'NM_DEVICE_STATE_REASON_NO_SECRETS' });
    assert.deepEqual(namedCode('nm-device-reason', 9999), { source: 'nm-device-reason', value: 9999 });
  });

  it('reads ONEX reason codes from 0x50000 up', () => {
    assert.equal(nameOf(code('onex-reason', 0x50001)), 'ONEX_UNABLE_TO_IDENTIFY_USER');
    assert.equal(categoryOf(code('onex-reason', 0x50005)), 'credentials-rejected');
    assert.equal(categoryOf(code('onex-reason', 5)), 'unknown');
  });

  it('reads a Wired-AutoConfig reason in the L2 space ONEX and WLAN share', () => {
    assert.equal(nameOf(code('wired-reason', 327685)), 'ONEX_EAP_FAILURE_RECEIVED');
    assert.equal(categoryOf(code('wired-reason', 327686)), 'no-authenticator');
    assert.equal(nameOf(code('wired-reason', 0x4800f)), 'WLAN_REASON_CODE_MSMSEC_NO_AUTHENTICATOR');
  });

  it('lets the EAP method\'s error speak over the ONEX reason, and that over the WLAN reason', () => {
    assert.equal(categoryOfCodes([code('wlan-reason', 0x38006), code('onex-reason', 0x50005), code('eap-error', 0x80420400)]),
      'server-untrusted');
    assert.equal(categoryOfCodes([code('wlan-reason', 0x4800f), code('onex-reason', 0x50005)]), 'credentials-rejected');
    assert.equal(categoryOfCodes([code('onex-reason', 0x50005), code('wlan-reason', 0x4800f)]), 'credentials-rejected');
  });

  it('reads NetworkManager\'s "no secrets" after wpa_supplicant\'s EAP failure as a refused password', () => {
    assert.equal(categoryOfCodes([code('wpa-eap-status', 'completion failure'), code('nm-device-reason', 7),
      code('nm-active-reason', 9)]), 'credentials-rejected');
  });

  it('reads a certificate verdict over the EAP failure that follows it', () => {
    const untrusted = [code('wpa-eap-status', 'remote certificate verification unable to get local issuer certificate'),
      code('wpa-eap-status', 'local TLS alert unknown CA'), code('wpa-eap-status', 'completion failure'), code('nm-device-reason', 7)];
    assert.equal(categoryOfCodes(untrusted), 'server-untrusted');
    const misnamed = [code('wpa-eap-status', 'remote certificate verification success'),
      code('wpa-eap-status', 'remote certificate verification Domain suffix mismatch'), code('wpa-eap-status', 'completion failure')];
    assert.equal(categoryOfCodes(misnamed), 'server-name-mismatch');
    assert.equal(categoryOf(code('wpa-eap-status', 'remote certificate verification some future reason')), 'server-untrusted');
    assert.equal(nameOf(code('wpa-eap-status', 'remote certificate verification some future reason')), 'TLS_CERT_CHAIN_FAILURE');
  });

  it('never reads a failed attempt as connected, and knows nothing it was not told', () => {
    assert.equal(categoryOfCodes([]), 'unknown');
    assert.equal(categoryOfCodes([code('wpa-eap-status', 'completion success'), code('nm-active-reason', 3)]), 'unknown');
    assert.equal(categoryOf(code('wpa-eap-status', 'completion success')), 'connected');
    assert.equal(categoryOf(code('wpa-eap-status', 'accept proposed method PEAP')), 'unknown');
    assert.equal(categoryOf(code('win32', 87)), 'unknown');
  });

  it('reads malformed codes as unknown instead of throwing', () => {
    for (const bad of [null, undefined, 7, {}, { source: 'eap-error' }, { source: 'eap-error', value: NaN },
      { source: 'no-such-layer', value: 1 }, { source: 'wpa-eap-status', value: { toString: () => 'completion failure' } }]) {
      assert.equal(categoryOf(bad as unknown as ConnectCode), 'unknown');
      assert.equal(nameOf(bad as unknown as ConnectCode), undefined);
    }
    assert.equal(categoryOfCodes([null as unknown as ConnectCode, code('nm-device-reason', 7)]), 'credentials-rejected');
  });
});

/**
 * The rows that may read as 'unknown', written out here rather than taken from the table: codes
 * that say nothing about why by themselves (a generic "unknown", "none", "failed" whose companion
 * code says why, a status on the way).
 */
const MAY_SAY_NOTHING = ['WLAN_REASON_CODE_UNKNOWN', 'WLAN_REASON_CODE_CONNECT_CALL_FAIL', 'WLAN_REASON_CODE_SECURITY_FAILURE',
  'OneXAuthNotStarted', 'OneXAuthInProgress', 'OneXAuthFailure', 'OneXAuthInvalid', 'EAP_E_EAPHOST_METHOD_INVALID_PACKET',
  'EAP_E_EAPHOST_REMOTE_INVALID_PACKET', 'NM_DEVICE_STATE_REASON_NONE', 'NM_DEVICE_STATE_REASON_UNKNOWN',
  'NM_DEVICE_STATE_REASON_NOW_MANAGED', 'NM_ACTIVE_CONNECTION_STATE_REASON_UNKNOWN', 'NM_ACTIVE_CONNECTION_STATE_REASON_NONE',
  'NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED', 'TLS_ALERT'];

/** NMDeviceStateReason values that only other kinds of device give (modems, PPP, Bluetooth, bonds,
 *  OVS, SR-IOV, shared or peer connections): connect drives ethernet and Wi-Fi devices only. */
const OTHER_DEVICES = /_(PPP|MODEM|GSM|BT|INFINIBAND|BR2684|TEAMD|DCB_FCOE|OVSDB|SRIOV|SIM_PIN|SHARED|PEER_NOT_FOUND)/;

describe('the connect reason table leaves no code our backends can meet unread', () => {
  const rows = (source: ConnectCode['source']) => REASON_GROUPS.find((group) => group.source === source)!.rows;

  for (const [source, kind] of [['nm-device-reason', 'NMDeviceStateReason'], ['nm-active-reason', 'NMActiveConnectionStateReason']] as const) {
    it(`reads every ${kind} an ethernet or Wi-Fi attempt can end with (libnm's own list) as a category`, () => {
      const table = new Map(rows(source).map((row) => [row[1], row]));
      const unread: string[] = [];
      for (const [name, value] of Object.entries(sources.libnm[kind])) {
        if (source === 'nm-device-reason' && OTHER_DEVICES.test(name)) continue;
        const row = table.get(name);
        if (!row) unread.push(`${name} (${value}): no row`);
        else if (row[2] === 'unknown' && !MAY_SAY_NOTHING.includes(name)) unread.push(`${name} (${value}): unknown`);
      }
      assert.deepEqual(unread, []);
    });
  }

  it('reads every WLAN, ONEX and EAPHost row it holds as a category, but the few that say nothing by themselves', () => {
    const unread = REASON_GROUPS.flatMap((group) => [...group.rows, ...(group.prefixes ?? [])])
      .filter(([, name, category]) => category === 'unknown' && !MAY_SAY_NOTHING.includes(name)).map(([value, name]) => `${name} ${String(value)}`);
    assert.deepEqual(unread, []);
    assert.deepEqual(Object.keys(SAYS_NOTHING_BY_ITSELF).sort(), [...MAY_SAY_NOTHING].sort());
  });

  it('reads NetworkManager\'s IP_CONFIG_UNAVAILABLE after an EAP success as no-address, and an EAP failure over it', () => {
    assert.equal(categoryOfCodes([code('wpa-eap-status', 'completion success'), code('nm-device-reason', 5), code('nm-active-reason', 3)]),
      'no-address');
    assert.equal(categoryOfCodes([code('nm-device-reason', 17)]), 'no-address');
    assert.equal(categoryOfCodes([code('wpa-eap-status', 'completion failure'), code('nm-device-reason', 5)]), 'credentials-rejected');
    assert.equal(categoryOfCodes([code('nm-device-reason', 39), code('nm-active-reason', 2)]), 'interrupted');
    assert.equal(categoryOfCodes([code('nm-device-reason', 40)]), 'no-authenticator');
  });
});

describe('docs/connect.md and the reason table', () => {
  it('names, under its category, every code the table reads as more than unknown', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'connect.md'), 'utf8');
    for (const group of REASON_GROUPS) {
      for (const [value, name, category] of [...group.rows, ...(group.prefixes ?? [])]) {
        if (category === 'unknown') continue;
        const line = doc.split('\n').find((text) => text.startsWith(`| \`${category}\` |`));
        assert.ok(line, `docs/connect.md has no row for ${category}`);
        assert.ok(line.includes(group.source === 'wpa-eap-status' ? `\`${String(value)}` : `\`${name}\``), `${name} (${category})`);
      }
    }
  });
});
