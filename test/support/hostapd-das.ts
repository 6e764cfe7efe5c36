import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, findProgram, freeUdpPort, makeTempDir, startDaemon } from './programs';

/**
 * hostapd's Dynamic Authorization Server (RFC 5176; src/radius/radius_das.c) on loopback, with no
 * stations (driver=none): a NAS that judges our Disconnect-Requests and CoA-Requests on its own
 * code. It checks the Request Authenticator and the Message-Authenticator (and drops the request
 * silently when either is wrong), the Event-Timestamp window, the NAS identification, then looks
 * the session up: with no station, every session is unknown (Error-Cause 503). Its CoA handling
 * depends on the build: Debian's (CONFIG_HS20) knows only Hotspot 2.0's Terms and Conditions
 * filtering attribute, a build without CONFIG_HS20 has no CoA at all (405).
 */
export interface DasHostapd {
  port: number;
  daemon: Daemon;
}

export interface DasHostapdOptions {
  secret: string;
  nasIdentifier?: string;
  /** radius_das_require_event_timestamp / radius_das_require_message_authenticator (default both on). */
  requireEventTimestamp?: boolean;
  requireMessageAuthenticator?: boolean;
  /** Another hostapd binary (the TEAP build of scripts/ci/teap-hostap.sh); default Debian's. */
  program?: string;
}

/** hostapd.conf lines of a DAS that takes requests from 127.0.0.1 only. */
export function dasConfig(port: number, options: DasHostapdOptions): string[] {
  return [
    `radius_das_port=${port}`,
    `radius_das_client=127.0.0.1 ${options.secret}`,
    'radius_das_time_window=300',
    `radius_das_require_event_timestamp=${options.requireEventTimestamp === false ? 0 : 1}`,
    `radius_das_require_message_authenticator=${options.requireMessageAuthenticator === false ? 0 : 1}`,
    ...(options.nasIdentifier !== undefined ? [`nas_identifier=${options.nasIdentifier}`] : []),
  ];
}

export async function startDasHostapd(options: DasHostapdOptions): Promise<DasHostapd> {
  const dir = makeTempDir('hostapd-das');
  const port = await freeUdpPort();
  const configFile = join(dir.path, 'hostapd.conf');
  writeFileSync(configFile, ['driver=none', 'interface=eaphost-das', 'logger_stdout=-1', 'logger_stdout_level=0',
    ...dasConfig(port, options), ''].join('\n'));
  const program = options.program ?? findProgram(['hostapd'], 'hostapd');
  const daemon = await startDaemon('hostapd (DAS)', program, ['-d', configFile], 'AP-ENABLED', 10_000, dir);
  return { port, daemon };
}

/**
 * The Wi-Fi Alliance's Hotspot 2.0 Terms and Conditions filtering attribute (vendor 40808, type 9,
 * four octets: hostapd's RADIUS_VENDOR_ATTR_WFA_HS20_T_C_FILTERING), the one change Debian's
 * hostapd acts on in a CoA-Request; all bits clear lifts the filtering.
 */
export function hs20TermsAndConditionsFiltering(): { type: number; value: Buffer } {
  const value = Buffer.alloc(10);
  value.writeUInt32BE(40808, 0);
  value[4] = 9;
  value[5] = 6;
  return { type: 26, value };
}
