/**
 * A peer method module driven directly, by the documented peer call sequence:
 * EapPeerGetInfo → Initialize → [GetIdentity] → BeginSession → loop { ProcessRequestPacket →
 * GetResponsePacket } → GetResult → EndSession → Shutdown. The native method host refuses calls
 * out of order before they reach the module.
 */
import { EapAttribute, checkAttributes } from '../core/attributes';
import { BuiltinMethodName, methodModuleFor } from './builtin';
import { EapConfigInputFieldType, EapPeerMethodResponseAction, PeerMethodAction, actionName } from '../core/constants';
import { checkBuffer, checkText, checkUint32 } from '../core/input-checks';
import { binding } from '../native';
import type { NativeHandle } from '../native/contract';
import type { RawPeerMethodResult } from '../native';
import { NativeObject, adopt } from '../native/native-object';
import { credentialLimits, methodHandle } from './internal';

export interface CredentialField {
  type: number;
  flags: number;
  label: string;
  minLength: number;
  maxLength: number;
}

export interface PeerMethodOutput {
  action: PeerMethodAction;
  allowNotifications: boolean;
}

/** EapPeerGetResult's result: the method module's own, as the native seam returns it. */
export type PeerMethodResult = RawPeerMethodResult;

export interface PeerBeginOptions {
  flags?: number;
  attributes?: EapAttribute[];
  connectionData?: Buffer;
  userData?: Buffer;
  /** Convenience: made into the user blob by the module's QueryUserBlobFromCredentialInputFields. */
  identity?: string;
  password?: string;
  maxSendPacketSize?: number;
}

/** An identity or password longer than its credential field allows (`limits`, from
 *  PeerMethod.credentialLimits), refused with the limit named. */
export function checkCredentialLimits(limits: readonly CredentialField[], identity: string, password: string): void {
  for (const field of limits) {
    // Not a destructured pair: that made an array for each field of every session given credentials.
    const isIdentity = field.type === EapConfigInputFieldType.Username;
    const value = isIdentity ? identity : field.type === EapConfigInputFieldType.Password ? password : undefined;
    const name = isIdentity ? 'identity' : 'password';
    if (value !== undefined && field.maxLength > 0 && value.length > field.maxLength) {
      throw new RangeError(`${name} is too long: ${value.length} characters, and this method takes at most ` +
        `${field.maxLength}`);
    }
  }
}

function toOutput(raw: { action: number; allowNotifications: boolean }): PeerMethodOutput {
  return { action: actionName(EapPeerMethodResponseAction, raw.action), allowNotifications: raw.allowNotifications };
}

let makePeerMethodSession: (handle: NativeHandle) => PeerMethodSession;

export class PeerMethodSession extends NativeObject {
  static {
    makePeerMethodSession = (handle) => new PeerMethodSession(handle);
  }

  private constructor(handle: NativeHandle) {
    super(handle, 'peer method session', true,
      { call: 'EapPeerEndSession', state: 'Ended', end: (h) => binding.peerMethodEndSession({ session: h }) });
  }

  processRequestPacket(packet: Buffer): Promise<PeerMethodOutput> {
    checkBuffer(packet, 'packet');
    return this.call('EapPeerProcessRequestPacket', async (h) =>
      toOutput(await binding.peerMethodProcessRequestPacket({ session: h, packet })));
  }

  getResponsePacket(): Promise<Buffer> {
    return this.call('EapPeerGetResponsePacket', (h) => binding.peerMethodGetResponsePacket({ session: h }));
  }

  getResult(reason: 'success' | 'failure' | 'unknown'): Promise<PeerMethodResult> {
    const code = { unknown: 1, success: 2, failure: 3 }[reason];
    if (code === undefined) throw new TypeError("reason must be 'success', 'failure' or 'unknown'");
    return this.call('EapPeerGetResult', (h) => binding.peerMethodGetResult({ session: h, reason: code }));
  }

  getUIContext(): Promise<Buffer> {
    return this.call('EapPeerGetUIContext', (h) => binding.peerMethodGetUIContext({ session: h }));
  }

  setUIContext(context: Buffer): Promise<PeerMethodOutput> {
    checkBuffer(context, 'context');
    return this.call('EapPeerSetUIContext', async (h) =>
      toOutput(await binding.peerMethodSetUIContext({ session: h, context })));
  }

  getResponseAttributes(): Promise<EapAttribute[]> {
    return this.call('EapPeerGetResponseAttributes', (h) =>
      binding.peerMethodGetResponseAttributes({ session: h }));
  }

  setResponseAttributes(attributes: EapAttribute[]): Promise<PeerMethodOutput> {
    checkAttributes(attributes);
    return this.call('EapPeerSetResponseAttributes', async (h) =>
      toOutput(await binding.peerMethodSetResponseAttributes({ session: h, attributes })));
  }

  /** EapPeerEndSession. The handle is released even when the method's EndSession fails. */
  endSession(): Promise<void> {
    return this.finish();
  }
}

let makePeerMethod: (handle: NativeHandle, type: { type: number; vendorId: number; vendorType: number }, path: string) => PeerMethod;

export class PeerMethod extends NativeObject {
  static {
    makePeerMethod = (handle, type, path) => new PeerMethod(handle, type, path);
  }

  private constructor(handle: NativeHandle, readonly type: { type: number; vendorId: number; vendorType: number },
              readonly path: string) {
    super(handle, 'peer method', false, { call: 'close', state: 'Closed' });
  }

  get closed(): boolean {
    return this.gate.closed;
  }

  /** @internal */
  [methodHandle](): NativeHandle {
    return this.handle;
  }

  /** @internal */
  [credentialLimits](): Promise<CredentialField[]> {
    return this.#credentialLimits();
  }

  queryCredentialInputFields(options: { flags?: number; connectionData?: Buffer } = {}): Promise<CredentialField[]> {
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.call('EapPeerQueryCredentialInputFields', (h) =>
      binding.peerMethodQueryCredentialInputFields({ method: h, flags, connectionData: options.connectionData }));
  }

  /** Makes the method's user blob from credential fields (EapPeerQueryUserBlobFromCredentialInputFields). */
  queryUserBlobFromCredentialInputFields(fields: { type: number; data: string }[],
                                         options: { flags?: number; connectionData?: Buffer } = {}): Promise<Buffer> {
    if (!Array.isArray(fields)) throw new TypeError('fields must be an array of { type, data }');
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.call('EapPeerQueryUserBlobFromCredentialInputFields', (h) =>
      binding.peerMethodQueryUserBlobFromCredentialInputFields({ method: h, flags,
        connectionData: options.connectionData, fields }));
  }

  /** The user blob for a username and password. */
  async userBlob(identity: string, password: string): Promise<Buffer> {
    await this.#checkCredentials(identity, password);
    return this.queryUserBlobFromCredentialInputFields([
      { type: EapConfigInputFieldType.Username, data: identity },
      { type: EapConfigInputFieldType.Password, data: password },
    ]);
  }

  /** Checks identity and password as userBlob() would, without making the blob. */
  async #checkCredentials(identity: string, password: string): Promise<void> {
    checkText(identity, 'identity');
    checkText(password, 'password');
    checkCredentialLimits(await this.#credentialLimits(), identity, password);
  }

  // The method states each credential field's length limit (EAP_CONFIG_INPUT_FIELD_DATA
  // dwMaxDataLength): asked once, so an over-long value is named as such, with the limit.
  #fieldLimits?: Promise<CredentialField[]>;
  #credentialLimits(): Promise<CredentialField[]> {
    this.#fieldLimits ??= this.queryCredentialInputFields().catch(() => []);
    return this.#fieldLimits;
  }

  getIdentity(options: { flags?: number; connectionData?: Buffer; userData?: Buffer } = {}):
      Promise<{ invokeUI: boolean; userData: Buffer; identity: string }> {
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.call('EapPeerGetIdentity', (h) =>
      binding.peerMethodGetIdentity({ method: h, flags, connectionData: options.connectionData,
        userData: options.userData }));
  }

  async beginSession(options: PeerBeginOptions = {}): Promise<PeerMethodSession> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const flags = checkUint32(options.flags, 'flags', 0);
    const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
    const attributes = checkAttributes(options.attributes);
    // A blob made here from identity/password is ours to wipe; a caller's userData is theirs.
    const made = options.identity !== undefined || options.password !== undefined
      ? await this.userBlob(options.identity ?? '', options.password ?? '') : undefined;
    try {
      const handle = await this.call('EapPeerBeginSession', (h) => binding.peerMethodBeginSession({ method: h,
        flags, attributes, connectionData: options.connectionData, userData: made ?? options.userData,
        maxSendPacketSize }));
      return adopt(handle, (h) => makePeerMethodSession(h));
    } finally {
      made?.fill(0);
    }
  }

  /** Releases this reference; EapPeerShutdown runs and the module unloads when no session uses it. */
  close(): Promise<void> {
    return this.finish();
  }
}

/** Loads a peer method module: a shipped one by name ('md5') or any module by path. */
export async function loadPeerMethod(method: BuiltinMethodName | { path: string }): Promise<PeerMethod> {
  const { path, methodType } = methodModuleFor(method);
  const loaded = await binding.peerMethodLoad({ path, methodType });
  return adopt(loaded.handle, (h) =>
    makePeerMethod(h, { type: loaded.type, vendorId: loaded.vendorId, vendorType: loaded.vendorType }, path));
}
