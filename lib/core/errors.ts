/**
 * Every failure of an EAP call reaches JS as an EapError: a copy of the EAP_ERROR that
 * EAPHost, a method module or this library's hosts produced. The native memory behind it
 * was already freed with the function its owner requires, before the promise settled.
 */
export interface EapMethodTypeInfo {
  type: number;
  vendorId: number;
  vendorType: number;
  authorId: number;
}

/** Whether two EAP_METHOD_TYPEs name the same method (all four numbers equal). */
export function sameMethodType(a: EapMethodTypeInfo, b: EapMethodTypeInfo): boolean {
  return a.type === b.type && a.vendorId === b.vendorId && a.vendorType === b.vendorType && a.authorId === b.authorId;
}

export type EapErrorOrigin = 'method' | 'eaphost' | 'host';

/** A failed TLS handshake of one of this package's TLS-based methods, typed (read from the
 *  failure's cause GUID, never its words). `reason`, a stable identifier (hostap's enum
 *  tls_fail_reason is the model): the other side's fatal alert; this side refused what it sent;
 *  the server answered the ClientHello with EAP-Failure and no alert; the server ended the
 *  conversation after its own TLS messages, before the handshake was complete; no progress over
 *  the steps allowed; the server's EAP-TLS framing broke RFC 5216 §2.1.5 (a message past its TLS
 *  Message Length or 64 KiB, fragments that never end). `alert` (RFC 8446 §6): whose it is (`local`: this side's own, the TLS
 *  library's for its error), its description code and that code's RFC name (`protocol_version`;
 *  `alert_N` for a code no RFC names). */
export interface EapTlsFailure {
  reason: 'alert-received' | 'local-failure' | 'hello-refused' | 'ended-before-handshake' | 'no-progress' | 'framing';
  alert?: { local: boolean; code: number; name: string };
  /** When this side refused the server's handshake: the certificates the server had sent (DER,
   *  leaf first, as sent; TLS 1.3 included), as the session's result names them. Absent when the
   *  server sent none, or the EAPHost keeps no result after a thrown failure. */
  serverCertificates?: Buffer[];
  /** With them, the OCSP response the server stapled (DER), when the peer asked for one: a
   *  revoked staple is one reason to refuse. */
  ocspStaple?: Buffer;
}

export interface EapErrorFields {
  win32Error: number;
  reasonCode?: number;
  methodType?: EapMethodTypeInfo;
  rootCauseGuid?: string;
  repairGuid?: string;
  helpLinkGuid?: string;
  rootCause?: string;
  repair?: string;
  call?: string;
  state?: string;
  origin?: EapErrorOrigin;
  /** For credential failures that say so (MSCHAPv2 R=): whether the server allows a retry. */
  retry?: boolean;
  /** For a TLS handshake of this package's methods that failed: why, typed. */
  tls?: EapTlsFailure;
}

const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export class EapError extends Error {
  /** Win32 error code (winerror.h), e.g. 5023 ERROR_INVALID_STATE, 126 ERROR_MOD_NOT_FOUND. */
  readonly win32Error: number;
  /** EAP reason code, e.g. 0x80420112 EAP_E_USER_NAME_PASSWORD_REJECTED. */
  readonly reasonCode: number;
  /** The EAP method that raised the error (all zero when none did). */
  readonly methodType: EapMethodTypeInfo;
  readonly rootCauseGuid: string;
  readonly repairGuid: string;
  readonly helpLinkGuid: string;
  /** Root-cause text from the error's owner. */
  readonly rootCause: string;
  /** Repair text, when the owner gave one. */
  readonly repair: string;
  /** The native call that failed, e.g. "EapHostPeerProcessReceivedPacket". */
  readonly call: string;
  /** For calls refused out of order: the state the session was in. */
  readonly state: string;
  /** Who produced the error: a method module, EAPHost, or this library's hosts. */
  readonly origin: EapErrorOrigin;
  /** Set when the failure says whether the server allows another try (MSCHAPv2 "R=1" / "R=0"). */
  readonly retry?: boolean;
  /** Set when a TLS handshake of this package's TLS-based methods failed: why (the reason, the
   *  alert), typed. */
  readonly tls?: EapTlsFailure;

  constructor(fields: EapErrorFields) {
    const call = fields.call ?? '';
    const rootCause = fields.rootCause ?? '';
    const code = fields.win32Error >>> 0;
    super(`${call ? call + ': ' : ''}${rootCause || 'failed'} (Win32 error ${code}` +
      `${fields.reasonCode ? `, reason 0x${(fields.reasonCode >>> 0).toString(16)}` : ''})`);
    this.name = 'EapError';
    this.win32Error = code;
    this.reasonCode = (fields.reasonCode ?? 0) >>> 0;
    this.methodType = fields.methodType ?? { type: 0, vendorId: 0, vendorType: 0, authorId: 0 };
    this.rootCauseGuid = fields.rootCauseGuid ?? NIL_GUID;
    this.repairGuid = fields.repairGuid ?? NIL_GUID;
    this.helpLinkGuid = fields.helpLinkGuid ?? NIL_GUID;
    this.rootCause = rootCause;
    this.repair = fields.repair || wrongBitnessRepair(code, this.reasonCode) || codeIntegrityRepair(code, this.reasonCode);
    this.call = call;
    this.state = fields.state ?? '';
    this.origin = fields.origin ?? 'host';
    if (fields.retry !== undefined) this.retry = fields.retry;
    if (fields.tls !== undefined) this.tls = fields.tls;
  }
}

// ERROR_BAD_EXE_FORMAT, alone or as the HRESULT EAPHost wraps it in (HRESULT_FROM_WIN32).
const ERROR_BAD_EXE_FORMAT = 193;
const HRESULT_BAD_EXE_FORMAT = 0x800700c1;

/**
 * eappcfg.dll loads a method's PeerDllPath into the calling process. EapHost's Methods key is
 * not redirected for WOW64, so a 32-bit node.exe is handed the 64-bit module the service uses
 * and LoadLibrary fails with ERROR_BAD_EXE_FORMAT (193). This library registers one module per
 * path; a process of the other bitness gets this repair text, not a bare code.
 */
function wrongBitnessRepair(win32Error: number, reasonCode: number): string {
  if (win32Error !== ERROR_BAD_EXE_FORMAT && win32Error !== HRESULT_BAD_EXE_FORMAT && reasonCode !== HRESULT_BAD_EXE_FORMAT) return '';
  return `a module was built for another architecture than this ${process.arch} process (Win32 error 193): ` +
    'EAPHost loads the method DLL registered in PeerDllPath into the calling process, so a 32-bit node.exe cannot ' +
    'use a 64-bit method module; run a node.exe of the module\'s architecture, or register the module with a ' +
    'PeerDllPath under %SystemRoot%\\System32 with its 32-bit build at the same name in SysWOW64 (WOW64 file ' +
    'redirection then hands each process its own)';
}

// ERROR_INVALID_IMAGE_HASH (what LoadLibrary's last error says for STATUS_INVALID_IMAGE_HASH,
// 0xC0000428), alone or as an HRESULT.
const ERROR_INVALID_IMAGE_HASH = 577;
const HRESULT_INVALID_IMAGE_HASH = 0x80070241;
const STATUS_INVALID_IMAGE_HASH = 0xc0000428;

/**
 * Code Integrity refused to map a module: a Windows Defender Application Control or Smart App
 * Control policy that requires signed code, or a process (the EapHost service among them) that
 * only loads Microsoft-signed or signed images. Windows logs the block as event 3077 in
 * Microsoft-Windows-CodeIntegrity/Operational, naming the file and the policy
 * (docs/WINDOWS-CONTRACT.md, "Code Integrity").
 */
export function codeIntegrityRepair(win32Error: number, reasonCode = 0): string {
  const codes = [ERROR_INVALID_IMAGE_HASH, HRESULT_INVALID_IMAGE_HASH, STATUS_INVALID_IMAGE_HASH];
  if (!codes.includes(win32Error >>> 0) && !codes.includes(reasonCode >>> 0)) return '';
  return 'Code Integrity blocked the module (Win32 error 577, STATUS_INVALID_IMAGE_HASH 0xC0000428): a policy on this ' +
    'machine (Windows Defender Application Control, Smart App Control) requires signed code; event 3077 in the ' +
    'Microsoft-Windows-CodeIntegrity/Operational log names the file and the policy. Use an Authenticode-signed ' +
    'release of eaphost, or a policy that allows its signer';
}

/** Win32 codes this library raises itself. */
export const Win32 = {
  ERROR_INVALID_HANDLE: 6,
  ERROR_INVALID_DATA: 13,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_MOD_NOT_FOUND: 126,
  ERROR_NOT_FOUND: 1168,
  ERROR_PROC_NOT_FOUND: 127,
  ERROR_BUSY: 170,
  ERROR_CANCELLED: 1223,
  ERROR_TIMEOUT: 1460,
  ERROR_INTERNAL_ERROR: 1359,
  ERROR_INVALID_STATE: 5023,
} as const;

/** Longest text of a caller's thrown value that goes into a message. */
const MAX_THROWN_TEXT = 200;

/**
 * What a caller's code threw or rejected with, in words, whatever it is: an Error or anything with
 * a text `message`, a string, a number, null, undefined, a Symbol, an object whose getters or
 * conversions throw. Never throws itself, and never runs more of the caller's code than one read
 * of `message` and one conversion to text.
 */
export function thrownText(thrown: unknown): string {
  let text: string | undefined;
  try {
    if (thrown === null || thrown === undefined) text = String(thrown);
    else if (typeof thrown === 'symbol') text = thrown.toString();
    else if (typeof thrown === 'string') text = JSON.stringify(thrown);
    else if (typeof thrown !== 'object' && typeof thrown !== 'function') text = `${typeof thrown} ${String(thrown)}`;
    else {
      const message = (thrown as { message?: unknown }).message;
      const kind = typeof thrown === 'function' ? 'a function' : Array.isArray(thrown) ? 'an array' : 'an object';
      // An empty message says nothing: what came is named instead (an EapError look-alike whose
      // rootCause getter throws has the prototype's empty message).
      text = typeof message !== 'string' ? `${kind} with no message text` : message !== '' ? message : `${kind} with an empty message`;
    }
  } catch {
    text = 'a value whose message cannot be read';
  }
  return text.length > MAX_THROWN_TEXT ? `${text.slice(0, MAX_THROWN_TEXT)}…` : text;
}

export function stateError(call: string, state: string, message: string): EapError {
  return new EapError({ win32Error: Win32.ERROR_INVALID_STATE, call, state, rootCause: message, origin: 'host' });
}

export function abortError(call: string): EapError {
  return new EapError({ win32Error: Win32.ERROR_CANCELLED, call, rootCause: 'the operation was aborted', origin: 'host' });
}

/** Why `eaphost register` refused a module (docs/windows.md, "Registering methods"). */
export type RegistrationRefusalReason =
  /** \\server\share\… or \\?\UNC\…: the module would come from another machine. */
  | 'unc-path'
  /** Not rooted in a drive: the service's current directory is not the caller's. */
  | 'relative-path'
  /** Someone other than Administrators, SYSTEM or TrustedInstaller could replace what EAPHost loads. */
  | 'writable-path'
  /** The module (or a DLL beside it) is for another machine than the OS's own. */
  | 'machine-mismatch'
  /** The protected copy's SHA-256 differs from its source's. */
  | 'copy-mismatch'
  /** The file is not a PE image, or is not there. */
  | 'not-a-module'
  /** A file of the copy is held open (EapHost has the module loaded). */
  | 'busy'
  /** A folder above the copies is a junction, a symbolic link or another reparse point. */
  | 'reparse-point'
  /** Not run elevated: only an administrator can write the copies and the Methods key. */
  | 'needs-administrator'
  /** The work was done, but a service `--restart-service` stopped did not start again. */
  | 'service-restart'
  /** Windows' PendingFileRenameOperations renames a file register uses, or onto one, at the next restart
   *  (not an operation eaphost schedules), or cannot be read; its own pending deletes are cleared instead. */
  | 'pending-delete';

/**
 * `eaphost register` refused: EapHost runs as LocalSystem and loads what the Methods key names,
 * so nothing a non-administrator could write is ever registered. `path` is the file or folder
 * that decided it.
 */
export class RegistrationError extends Error {
  readonly reason: RegistrationRefusalReason;
  readonly path: string;
  constructor(reason: RegistrationRefusalReason, path: string, message: string) {
    super(message);
    this.name = 'RegistrationError';
    this.reason = reason;
    this.path = path;
  }
}
