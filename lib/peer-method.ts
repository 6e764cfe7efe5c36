/**
 * A peer method module driven directly, by the documented peer call sequence:
 * EapPeerGetInfo → Initialize → [GetIdentity] → BeginSession → loop { ProcessRequestPacket →
 * GetResponsePacket } → GetResult → EndSession → Shutdown. The native method host refuses calls
 * out of order before they reach the module.
 */
import { EapAttribute, checkAttributes } from './attributes';
import { BuiltinMethodName, resolveMethod } from './builtin';
import { CallGate, checkBuffer, checkUint32 } from './call-gate';
import { EapConfigInputFieldType, EapPeerMethodResponseAction, PeerMethodAction, actionName } from './constants';
import { EapError } from './errors';
import { checkModulePath, checkText } from './input-checks';
import { binding } from './native';

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

export interface PeerMethodResult {
  success: boolean;
  failureReasonCode: number;
  saveConnectionData: boolean;
  connectionData: Buffer;
  saveUserData: boolean;
  userData: Buffer;
  attributes: EapAttribute[];
  error?: EapError;
}

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

function toOutput(raw: { action: number; allowNotifications: boolean }): PeerMethodOutput {
  return { action: actionName(EapPeerMethodResponseAction, raw.action), allowNotifications: raw.allowNotifications };
}

export class PeerMethodSession implements AsyncDisposable {
  private readonly gate = new CallGate('peer method session');

  /** @internal */
  constructor(private readonly handle: unknown) {}

  processRequestPacket(packet: Buffer): Promise<PeerMethodOutput> {
    checkBuffer(packet, 'packet');
    return this.gate.run('EapPeerProcessRequestPacket', async () =>
      toOutput(await binding.peerSessionProcessRequestPacket(this.handle, packet)));
  }

  getResponsePacket(): Promise<Buffer> {
    return this.gate.run('EapPeerGetResponsePacket', () => binding.peerSessionGetResponsePacket(this.handle));
  }

  getResult(reason: 'success' | 'failure' | 'unknown'): Promise<PeerMethodResult> {
    const code = { unknown: 1, success: 2, failure: 3 }[reason];
    if (code === undefined) throw new TypeError("reason must be 'success', 'failure' or 'unknown'");
    return this.gate.run('EapPeerGetResult', () => binding.peerSessionGetResult(this.handle, code));
  }

  getUIContext(): Promise<Buffer> {
    return this.gate.run('EapPeerGetUIContext', () => binding.peerSessionGetUIContext(this.handle));
  }

  setUIContext(context: Buffer): Promise<PeerMethodOutput> {
    checkBuffer(context, 'context');
    return this.gate.run('EapPeerSetUIContext', async () =>
      toOutput(await binding.peerSessionSetUIContext(this.handle, context)));
  }

  getResponseAttributes(): Promise<EapAttribute[]> {
    return this.gate.run('EapPeerGetResponseAttributes', () => binding.peerSessionGetResponseAttributes(this.handle));
  }

  setResponseAttributes(attributes: EapAttribute[]): Promise<PeerMethodOutput> {
    checkAttributes(attributes);
    return this.gate.run('EapPeerSetResponseAttributes', async () =>
      toOutput(await binding.peerSessionSetResponseAttributes(this.handle, attributes)));
  }

  setCredentials(identity: string, password: string): Promise<void> {
    checkText(identity, 'identity');
    checkText(password, 'password');
    return this.gate.run('EapPeerSetCredentials', () => binding.peerSessionSetCredentials(this.handle, identity, password));
  }

  async endSession(): Promise<void> {
    if (this.gate.closed) return;
    await this.gate.run('EapPeerEndSession', () => binding.peerSessionEndSession(this.handle));
    this.gate.markClosed();
    binding.release(this.handle);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.endSession();
  }
}

export class PeerMethod implements AsyncDisposable {
  private readonly gate = new CallGate('peer method', false);

  /** @internal */
  constructor(private readonly handle: unknown, readonly type: { type: number; vendorId: number; vendorType: number },
              readonly path: string) {}

  queryCredentialInputFields(options: { flags?: number; connectionData?: Buffer } = {}): Promise<CredentialField[]> {
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.gate.run('EapPeerQueryCredentialInputFields', () =>
      binding.peerMethodQueryCredentialInputFields(this.handle, flags, options.connectionData));
  }

  /** Makes the method's user blob from credential fields (EapPeerQueryUserBlobFromCredentialInputFields). */
  queryUserBlobFromCredentialInputFields(fields: { type: number; data: string }[],
                                         options: { flags?: number; connectionData?: Buffer } = {}): Promise<Buffer> {
    if (!Array.isArray(fields)) throw new TypeError('fields must be an array of { type, data }');
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.gate.run('EapPeerQueryUserBlobFromCredentialInputFields', () =>
      binding.peerMethodQueryUserBlob(this.handle, flags, options.connectionData, fields));
  }

  /** The user blob for a username and password. */
  async userBlob(identity: string, password: string): Promise<Buffer> {
    checkText(identity, 'identity');
    checkText(password, 'password');
    await this.checkAgainstFieldLimits(identity, password);
    return this.queryUserBlobFromCredentialInputFields([
      { type: EapConfigInputFieldType.Username, data: identity },
      { type: EapConfigInputFieldType.Password, data: password },
    ]);
  }

  // The method states each credential field's length limit (EAP_CONFIG_INPUT_FIELD_DATA
  // dwMaxDataLength): checked here so an over-long value is named as such, with the limit.
  private fieldLimits?: Promise<CredentialField[]>;
  private async checkAgainstFieldLimits(identity: string, password: string): Promise<void> {
    this.fieldLimits ??= this.queryCredentialInputFields().catch(() => []);
    for (const field of await this.fieldLimits) {
      const [value, name] = field.type === EapConfigInputFieldType.Username ? [identity, 'identity']
        : field.type === EapConfigInputFieldType.Password ? [password, 'password'] : [undefined, ''];
      if (value !== undefined && field.maxLength > 0 && value.length > field.maxLength) {
        throw new RangeError(`${name} is too long: ${value.length} characters, and this method takes at most ` +
          `${field.maxLength}`);
      }
    }
  }

  getIdentity(options: { flags?: number; connectionData?: Buffer; userData?: Buffer } = {}):
      Promise<{ invokeUI: boolean; userData: Buffer; identity: string }> {
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.gate.run('EapPeerGetIdentity', () =>
      binding.peerMethodGetIdentity(this.handle, flags, options.connectionData, options.userData));
  }

  async beginSession(options: PeerBeginOptions = {}): Promise<PeerMethodSession> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const flags = checkUint32(options.flags, 'flags', 0);
    const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
    const attributes = checkAttributes(options.attributes);
    let userData = options.userData;
    if (options.identity !== undefined || options.password !== undefined) {
      userData = await this.userBlob(options.identity ?? '', options.password ?? '');
    }
    const handle = await this.gate.run('EapPeerBeginSession', () =>
      binding.peerMethodBeginSession(this.handle, flags, attributes, options.connectionData, userData, maxSendPacketSize));
    userData?.fill(0);
    return new PeerMethodSession(handle);
  }

  /** Releases this reference; EapPeerShutdown runs and the module unloads when no session uses it. */
  async close(): Promise<void> {
    if (this.gate.closed) return;
    this.gate.markClosed('Closed');
    binding.release(this.handle);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Loads a peer method module: a shipped one by name ('md5') or any module by path. */
export async function loadPeerMethod(method: BuiltinMethodName | { path: string }): Promise<PeerMethod> {
  // One module serves several EAP types: GetInfo is asked for the shipped method's own type.
  // A module given by path is asked what it serves.
  const builtin = typeof method === 'object' && method !== null ? undefined : resolveMethod(method as string);
  const path = builtin ? builtin.path : (method as { path: string }).path;
  checkModulePath(path);
  const loaded = await binding.peerMethodLoad(path, builtin?.methodType);
  return new PeerMethod(loaded.handle, { type: loaded.type, vendorId: loaded.vendorId, vendorType: loaded.vendorType }, path);
}
