/**
 * Typed EAPOL failures: what went wrong on the port, and how to fix it. The addon raises them with
 * a `code`; eapolError() turns that into the class here, so callers match on the class or the code.
 */
export type EapolErrorCode =
  | 'ERR_EAPOL_LINUX_ONLY' | 'ERR_EAPOL_PERMISSION' | 'ERR_EAPOL_NO_INTERFACE' | 'ERR_EAPOL_INTERFACE_DOWN'
  | 'ERR_EAPOL_NOT_ETHERNET' | 'ERR_EAPOL_CLOSED' | 'ERR_EAPOL_SEND' | 'ERR_EAPOL_IO' | 'ERR_EAPOL_TIMEOUT'
  | 'ERR_EAPOL_ABORTED' | 'ERR_EAPOL_HELD';

export class EapolError extends Error {
  readonly code: EapolErrorCode;
  constructor(code: EapolErrorCode, message: string) {
    super(message);
    this.name = 'EapolError';
    this.code = code;
  }
}

const KNOWN = new Set<string>([
  'ERR_EAPOL_LINUX_ONLY', 'ERR_EAPOL_PERMISSION', 'ERR_EAPOL_NO_INTERFACE', 'ERR_EAPOL_INTERFACE_DOWN',
  'ERR_EAPOL_NOT_ETHERNET', 'ERR_EAPOL_CLOSED', 'ERR_EAPOL_SEND', 'ERR_EAPOL_IO',
]);

/** The addon's error as an EapolError; anything else (a TypeError for a bad argument) unchanged. */
export function eapolError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && KNOWN.has(code)) {
    return new EapolError(code as EapolErrorCode, error.message);
  }
  return error;
}

export function linuxOnlyError(interfaceName: string): EapolError {
  return new EapolError('ERR_EAPOL_LINUX_ONLY', `cannot open an EAPOL port on ${interfaceName}: EAPOL on the wire is ` +
    'Linux-only here (on Windows, Wired AutoConfig runs 802.1X and a LAN profile is the way in)');
}
