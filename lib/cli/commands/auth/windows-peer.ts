/**
 * Embedded `eaphost auth` with a TLS method on the windows backend. Which peer runs: Windows' own
 * method where EAPHost has it (EapHostPeerGetMethods lists it: a real Windows) and can take the
 * credentials given, else the shipped method registered with EAPHost (the stand-in EAPHost of the
 * Wine lane has no Windows methods; EAP-TLS with a PEM client certificate).
 * Windows' own methods trust a server only through the Root stores, and the embedded
 * authenticator's CA is made by this process: `--trust-ephemeral-ca STORE` puts that CA into
 * STORE\Root for the run and takes it out afterwards. It is never done without the flag. The
 * CA's private key exists only in this process's memory, so a root left behind by a killed run
 * can sign nothing afterwards.
 */
import { sameMethodType } from '../../../core/errors';
import { peerConnectionData } from '../../../core/connection-data';
import { TlsMethodName, builtinMethods } from '../../../session/builtin';
import type { BeginSessionOptions } from '../../../core/session-options';
import type { EapHost } from '../../../session/eaphost';
import { WINDOWS_METHOD_TYPES } from '../../../profile/microsoft-config';
import { WindowsRootStore, installWindowsRootCertificate, removeWindowsRootCertificate } from '../../../profile/root-store';
import type { FlagValues, LineWriter } from '../../main';
import { UsageError } from '../../main';
import type { TlsPeerOptions } from '../../tls-flags';

const STORES: readonly WindowsRootStore[] = ['LocalMachine', 'CurrentUser'];

/** --trust-ephemeral-ca's store, checked; undefined when not given. */
export function trustEphemeralCaStore(args: FlagValues): WindowsRootStore | undefined {
  const store = args['trust-ephemeral-ca'];
  if (store === undefined) return undefined;
  if (typeof store !== 'string' || !(STORES as readonly string[]).includes(store)) {
    throw new UsageError('--trust-ephemeral-ca must be LocalMachine or CurrentUser');
  }
  if (process.platform !== 'win32') {
    throw new UsageError("--trust-ephemeral-ca applies on Windows only (Windows' own methods trust a server through its Root stores)");
  }
  return store as WindowsRootStore;
}

export interface WindowsPeer {
  /** What beginSession is given in place of the method name and the TLS options. */
  begin: Pick<BeginSessionOptions, 'method' | 'connectionData'> & Partial<TlsPeerOptions>;
  /** The method's name as EAPHost lists it. */
  friendlyName: string;
  /** Undoes what was done for the run (the CA taken out of the Root store); never rejects. */
  release(): Promise<void>;
}

/**
 * The peer of an embedded authentication with `name` on the windows backend, `peer` its TLS
 * options (with the ephemeral CA as `ca` when no other was given).
 */
export async function windowsPeer(host: EapHost, name: TlsMethodName, peer: TlsPeerOptions, ephemeralCa: string,
                                  store: WindowsRootStore | undefined, err: LineWriter): Promise<WindowsPeer> {
  const methods = await host.getMethods();
  // Windows' own EAP-TLS takes its client certificate from a certificate store only: a PEM one
  // (--cert, or the embedded authenticator's ephemeral one) is for the shipped EAP-TLS.
  const pemClient = name === 'tls' && peer.cert !== undefined;
  const own = pemClient ? undefined : methods.find((m) => sameMethodType(m, WINDOWS_METHOD_TYPES[name]));
  const nothing = async (): Promise<void> => undefined;
  if (own === undefined) {
    const shipped = methods.find((m) => sameMethodType(m, builtinMethods[name].methodType));
    if (shipped === undefined) {
      const why = pemClient ? "Windows' own EAP-TLS takes its client certificate from a certificate store only, and the shipped one " +
        'is not registered' : `EAPHost has neither Windows' own ${name} nor the shipped one`;
      throw new UsageError(`${why}: register the shipped methods (npx eaphost register --shipped, as an administrator: it registers a ` +
        'copy under %ProgramFiles%\\eaphost)');
    }
    if (store !== undefined) err(`--trust-ephemeral-ca: not needed, nothing installed: the shipped ${name} trusts the CA its configuration names`);
    const method = { type: shipped.type, vendorId: shipped.vendorId, vendorType: shipped.vendorType, authorId: shipped.authorId };
    return { begin: { method, connectionData: peerConnectionData(name, peer) }, friendlyName: shipped.friendlyName, release: nothing };
  }
  if (store === undefined) {
    return { begin: { method: name, ...peer }, friendlyName: own.friendlyName, release: nothing };
  }
  await installWindowsRootCertificate(ephemeralCa, store);
  return {
    begin: { method: name, ...peer },
    friendlyName: own.friendlyName,
    release: async () => {
      try {
        await removeWindowsRootCertificate(ephemeralCa, store);
      } catch (error) {
        err(`--trust-ephemeral-ca: this run's CA could not be removed from ${store}\\Root: ${(error as Error).message}`);
      }
    },
  };
}
