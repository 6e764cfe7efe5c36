/**
 * Windows' Root certificate stores. Windows' own PEAP, EAP-TLS and EAP-TTLS trust a server only
 * through them: the TrustedRootCA thumbprints a profile carries (microsoft-config.ts) select among
 * installed roots and install nothing. So before a session begins with `ca` on the windows
 * backend, each CA is looked up in LocalMachine\Root and CurrentUser\Root, and a CA neither holds
 * is refused with an error naming its thumbprint and the fix. Installing a root is a security
 * decision: it happens only through installWindowsRootCertificate, never as a side effect.
 */
import { pemCertificates } from '../core/connection-data';
import { EapError, Win32 } from '../core/errors';
import { binding } from '../native';

export type WindowsRootStore = 'LocalMachine' | 'CurrentUser';

interface ParsedCertificate {
  der: Buffer;
  sha1: Buffer;
  /** As Windows shows it: uppercase hex, no separators. */
  thumbprint: string;
  subject: string;
}

function parse(pem: string | Buffer, name: string): ParsedCertificate[] {
  return pemCertificates(pem, name).map((certificate) => {
    const thumbprint = certificate.fingerprint.split(':').join('').toUpperCase();
    return { der: certificate.raw, sha1: Buffer.from(thumbprint, 'hex'), thumbprint, subject: certificate.subject };
  });
}

/** For each certificate in `pem`: its thumbprint and the Root stores that hold it (Windows only). */
export async function windowsRootStores(pem: string | Buffer):
    Promise<Array<{ thumbprint: string; subject: string; stores: WindowsRootStore[] }>> {
  const out = [];
  for (const certificate of parse(pem, 'ca')) {
    out.push({ thumbprint: certificate.thumbprint, subject: certificate.subject,
      stores: await binding.rootStoreFind({ sha1: certificate.sha1 }) });
  }
  return out;
}

/**
 * Rejects, before anything is configured, when a CA in `pem` is in neither Root store: Windows
 * would fail every authentication against it (silently, with its prompt disabled).
 */
export async function requireWindowsRoots(pem: string | Buffer): Promise<void> {
  for (const found of await windowsRootStores(pem)) {
    if (found.stores.length > 0) continue;
    throw new EapError({
      win32Error: Win32.ERROR_NOT_FOUND,
      call: 'CertFindCertificateInStore',
      state: 'UntrustedRoot',
      rootCause: `the CA ${found.subject.replace(/\n/g, ', ')} (thumbprint ${found.thumbprint}) is in neither ` +
        "LocalMachine\\Root nor CurrentUser\\Root: Windows' own methods trust a server only through those stores",
      repair: 'install it once, deliberately: installWindowsRootCertificate(ca, "LocalMachine") as an administrator ' +
        '(or "CurrentUser", which Windows asks the user to confirm), or certutil -addstore Root <file>',
    });
  }
}

function checkStore(store: WindowsRootStore): void {
  if (store !== 'LocalMachine' && store !== 'CurrentUser') {
    throw new TypeError("store must be 'LocalMachine' or 'CurrentUser'");
  }
}

/** Adds every certificate in `pem` to the given Root store. Never called implicitly. */
export async function installWindowsRootCertificate(pem: string | Buffer, store: WindowsRootStore): Promise<void> {
  checkStore(store);
  for (const certificate of parse(pem, 'ca')) await binding.rootStoreInstall({ certificate: certificate.der, store });
}

/**
 * Deletes every certificate in `pem` from the given Root store, and resolves with the thumbprints
 * it held (a certificate the store does not hold is no error). Deleting from CurrentUser\Root
 * makes Windows ask the user to confirm, as adding does.
 */
export async function removeWindowsRootCertificate(pem: string | Buffer, store: WindowsRootStore): Promise<string[]> {
  checkStore(store);
  const removed: string[] = [];
  for (const certificate of parse(pem, 'ca')) {
    if (await binding.rootStoreRemove({ sha1: certificate.sha1, store })) removed.push(certificate.thumbprint);
  }
  return removed;
}
