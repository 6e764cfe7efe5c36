/**
 * An authenticator method module driven directly, by the documented authenticator sequence:
 * GetInfo → Initialize → BeginSession → loop { SendPacket → ReceivePacket → (RESPOND:
 * GetAttributes / SetAttributes) } → GetResult → EndSession → Shutdown.
 */
import { EapAttribute, checkAttributes } from './attributes';
import { BuiltinMethodName, resolveMethod } from './builtin';
import { CallGate, checkBuffer, checkUint32 } from './call-gate';
import { AuthenticatorAction, AuthenticatorResponseAction, actionName } from './constants';
import { EapMethodTypeInfo } from './errors';
import { checkModulePath, checkText } from './input-checks';
import { binding } from './native';

export interface AuthenticatorMethodResult {
  success: boolean;
  failureReason: number;
  attributes: EapAttribute[];
}

export class AuthenticatorMethodSession implements AsyncDisposable {
  private readonly gate = new CallGate('authenticator method session');

  /** @internal */
  constructor(private readonly handle: unknown) {}

  sendPacket(packetId: number): Promise<{ packet: Buffer; timeout: number }> {
    if (!Number.isInteger(packetId) || packetId < 0 || packetId > 255) throw new TypeError('packetId must be 0..255');
    return this.gate.run('EapMethodAuthenticatorSendPacket', () => binding.authenticatorSessionSendPacket(this.handle, packetId));
  }

  receivePacket(packet: Buffer): Promise<AuthenticatorAction> {
    checkBuffer(packet, 'packet');
    return this.gate.run('EapMethodAuthenticatorReceivePacket', async () =>
      actionName(AuthenticatorResponseAction, await binding.authenticatorSessionReceivePacket(this.handle, packet)));
  }

  getAttributes(): Promise<EapAttribute[]> {
    return this.gate.run('EapMethodAuthenticatorGetAttributes', () => binding.authenticatorSessionGetAttributes(this.handle));
  }

  setAttributes(attributes: EapAttribute[]): Promise<AuthenticatorAction> {
    checkAttributes(attributes);
    return this.gate.run('EapMethodAuthenticatorSetAttributes', async () =>
      actionName(AuthenticatorResponseAction, await binding.authenticatorSessionSetAttributes(this.handle, attributes)));
  }

  getResult(): Promise<AuthenticatorMethodResult> {
    return this.gate.run('EapMethodAuthenticatorGetResult', () => binding.authenticatorSessionGetResult(this.handle));
  }

  async endSession(): Promise<void> {
    if (this.gate.closed) return;
    await this.gate.run('EapMethodAuthenticatorEndSession', () => binding.authenticatorSessionEndSession(this.handle));
    this.gate.markClosed();
    binding.release(this.handle);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.endSession();
  }
}

export class AuthenticatorMethod implements AsyncDisposable {
  private readonly gate = new CallGate('authenticator method', false);

  /** @internal */
  constructor(/** @internal */ readonly handle: unknown, readonly type: EapMethodTypeInfo, readonly path: string) {}

  beginSession(options: { identity: string; flags?: number; attributes?: EapAttribute[]; connectionData?: Buffer;
    maxSendPacketSize?: number }): Promise<AuthenticatorMethodSession> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    checkText(options.identity, 'identity');
    const flags = checkUint32(options.flags, 'flags', 0);
    const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
    const attributes = checkAttributes(options.attributes);
    return this.gate.run('EapMethodAuthenticatorBeginSession', async () => new AuthenticatorMethodSession(
      await binding.authenticatorMethodBeginSession(this.handle, flags, options.identity, attributes,
        options.connectionData, maxSendPacketSize)));
  }

  get closed(): boolean {
    return this.gate.closed;
  }

  async close(): Promise<void> {
    if (this.gate.closed) return;
    this.gate.markClosed('Closed');
    binding.release(this.handle);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export async function loadAuthenticatorMethod(method: BuiltinMethodName | { path: string }): Promise<AuthenticatorMethod> {
  // One module serves several EAP types: GetInfo is asked for the shipped method's own type.
  // A module given by path is asked what it serves.
  const builtin = typeof method === 'object' && method !== null ? undefined : resolveMethod(method as string);
  const path = builtin ? builtin.path : (method as { path: string }).path;
  checkModulePath(path);
  const loaded = await binding.authenticatorMethodLoad(path, builtin?.methodType);
  return new AuthenticatorMethod(loaded.handle,
    { type: loaded.type, vendorId: loaded.vendorId, vendorType: loaded.vendorType, authorId: loaded.authorId }, path);
}
