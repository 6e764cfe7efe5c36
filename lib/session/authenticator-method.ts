/**
 * An authenticator method module driven directly, by the documented authenticator sequence:
 * GetInfo → Initialize → BeginSession → loop { SendPacket → ReceivePacket → (RESPOND:
 * GetAttributes / SetAttributes) } → GetResult → EndSession → Shutdown.
 */
import { EapAttribute, checkAttributes } from '../core/attributes';
import { BuiltinMethodName, methodModuleFor } from './builtin';
import { AuthenticatorAction, AuthenticatorResponseAction, actionName } from '../core/constants';
import { EapError, EapMethodTypeInfo } from '../core/errors';
import { checkBuffer, checkText, checkUint32 } from '../core/input-checks';
import { binding } from '../native';
import type { NativeHandle } from '../native/contract';
import type { AuthenticatorConversationFacts } from '../native/generated/result-types';
import { NativeObject, adopt } from '../native/native-object';
import { methodHandle } from './internal';

export interface AuthenticatorMethodResult {
  success: boolean;
  failureReason: number;
  attributes: EapAttribute[];
  /** On failure, when the method said why (e.g. which client certificate it refused: subject,
   *  serial, revocation reason and date). */
  error?: EapError;
  /** What the conversation established (TLS version, resumption, inner method), from one of this
   *  package's TLS-based methods whose configuration set privateAttributes. */
  established?: AuthenticatorConversationFacts;
}

let makeAuthenticatorMethodSession: (handle: NativeHandle) => AuthenticatorMethodSession;

export class AuthenticatorMethodSession extends NativeObject {
  static {
    makeAuthenticatorMethodSession = (handle) => new AuthenticatorMethodSession(handle);
  }

  private constructor(handle: NativeHandle) {
    super(handle, 'authenticator method session', true, {
      call: 'EapMethodAuthenticatorEndSession', state: 'Ended', end: (h) => binding.authenticatorMethodEndSession({ session: h }),
    });
  }

  sendPacket(packetId: number): Promise<{ packet: Buffer; timeout: number }> {
    if (!Number.isInteger(packetId) || packetId < 0 || packetId > 255) throw new TypeError('packetId must be 0..255');
    return this.call('EapMethodAuthenticatorSendPacket', (h) =>
      binding.authenticatorMethodSendPacket({ session: h, packetId }));
  }

  receivePacket(packet: Buffer): Promise<AuthenticatorAction> {
    checkBuffer(packet, 'packet');
    return this.call('EapMethodAuthenticatorReceivePacket', async (h) =>
      actionName(AuthenticatorResponseAction,
        await binding.authenticatorMethodReceivePacket({ session: h, packet })));
  }

  getAttributes(): Promise<EapAttribute[]> {
    return this.call('EapMethodAuthenticatorGetAttributes', (h) =>
      binding.authenticatorMethodGetAttributes({ session: h }));
  }

  setAttributes(attributes: EapAttribute[]): Promise<AuthenticatorAction> {
    checkAttributes(attributes);
    return this.call('EapMethodAuthenticatorSetAttributes', async (h) =>
      actionName(AuthenticatorResponseAction,
        await binding.authenticatorMethodSetAttributes({ session: h, attributes })));
  }

  getResult(): Promise<AuthenticatorMethodResult> {
    return this.call('EapMethodAuthenticatorGetResult', (h) =>
      binding.authenticatorMethodGetResult({ session: h }));
  }

  /** EapMethodAuthenticatorEndSession. The handle is released even when EndSession fails. */
  endSession(): Promise<void> {
    return this.finish();
  }
}

let makeAuthenticatorMethod: (handle: NativeHandle, type: EapMethodTypeInfo, path: string) => AuthenticatorMethod;

export class AuthenticatorMethod extends NativeObject {
  static {
    makeAuthenticatorMethod = (handle, type, path) => new AuthenticatorMethod(handle, type, path);
  }

  private constructor(handle: NativeHandle, readonly type: EapMethodTypeInfo, readonly path: string) {
    super(handle, 'authenticator method', false, { call: 'close', state: 'Closed' });
  }

  beginSession(options: { identity: string; flags?: number; attributes?: EapAttribute[]; connectionData?: Buffer;
    maxSendPacketSize?: number }): Promise<AuthenticatorMethodSession> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    checkText(options.identity, 'identity');
    const flags = checkUint32(options.flags, 'flags', 0);
    const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
    const attributes = checkAttributes(options.attributes);
    return this.call('EapMethodAuthenticatorBeginSession', async (h) => adopt(
      await binding.authenticatorMethodBeginSession({ method: h, flags, identity: options.identity,
        attributes, connectionData: options.connectionData, maxSendPacketSize }),
      (session) => makeAuthenticatorMethodSession(session)));
  }

  get closed(): boolean {
    return this.gate.closed;
  }

  /** @internal */
  [methodHandle](): NativeHandle {
    return this.handle;
  }

  close(): Promise<void> {
    return this.finish();
  }
}

export async function loadAuthenticatorMethod(method: BuiltinMethodName | { path: string }): Promise<AuthenticatorMethod> {
  const { path, methodType } = methodModuleFor(method);
  const loaded = await binding.authenticatorMethodLoad({ path, methodType });
  return adopt(loaded.handle, (h) => makeAuthenticatorMethod(h,
    { type: loaded.type, vendorId: loaded.vendorId, vendorType: loaded.vendorType, authorId: loaded.authorId }, path));
}
