/**
 * The supplicant side of IEEE 802.1X over an EAPOL port, as an EapTransport: authenticate()
 * runs any peer session over the wire with it. It behaves as wpa_supplicant's supplicant PAE does:
 * an authenticator that speaks first is answered, otherwise EAPOL-Start goes out every startPeriod
 * up to maxStart times; the authenticator's MAC is learned from its first EAP-Request and frames
 * from anyone else are ignored; a repeated request is answered with the same response; a new
 * Request/Identity in mid-conversation ends this run as restarted (the next begin() answers it);
 * after a failure the port is held for heldPeriod; close() sends EAPOL-Logoff.
 */
import { EapCode, EapType } from '../core/constants';
import { checkSignal } from '../core/input-checks';
import { decodeEapPacket } from '../core/packet';
import { EapTransport, TransportBeginOptions, TransportReply } from '../core/transport';
import { EapolError } from './errors';
import { EapolFrame, EapolPort, integerOption, portOf } from './port';
import { EapolPacketType, isGroupAddress, macText, PAE_GROUP_ADDRESS } from './frame';

export interface EapolSupplicantOptions {
  /** A port opened already (left open by close()), or */
  port?: EapolPort;
  /** the interface to open one on (closed with the transport). */
  interfaceName?: string;
  /** Between EAPOL-Starts while no authenticator answers. Default 3000 ms (802.1X: 30 s). */
  startPeriodMs?: number;
  /** EAPOL-Starts before giving up. Default 3 (802.1X's maxStart). */
  maxStart?: number;
  /** How long to wait for the authenticator's next packet. Default 30000 ms (802.1X's authPeriod). */
  authPeriodMs?: number;
  /** After a failure, how long begin() waits before it starts again. Default 60000 ms (802.1X's heldPeriod). */
  heldPeriodMs?: number;
  /** Send EAPOL-Logoff on close(). Default true. */
  logoff?: boolean;
}

// Packets the authenticator sent ahead of the peer: a few, the newest kept.
const INBOX_BOUND = 8;


export class EapolSupplicant implements EapTransport {
  readonly port: EapolPort;
  private readonly ownsPort: boolean;
  private readonly startPeriodMs: number;
  private readonly maxStart: number;
  private readonly authPeriodMs: number;
  private readonly heldPeriodMs: number;
  private readonly logoff: boolean;
  private readonly stopListening: () => void;
  private authenticatorMac: Buffer | undefined;
  private inbox: Buffer[] = [];
  private wake: (() => void) | undefined;
  private lastRequest: Buffer | undefined;
  private lastResponse: Buffer | undefined;
  private answeredBeyondIdentity = false;
  private restartRequest: Buffer | undefined;
  private heldUntil = 0;
  private started = false;
  private closed = false;

  constructor(options: EapolSupplicantOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    this.startPeriodMs = integerOption(options.startPeriodMs, 3000, 'startPeriodMs');
    this.maxStart = integerOption(options.maxStart, 3, 'maxStart');
    this.authPeriodMs = integerOption(options.authPeriodMs, 30000, 'authPeriodMs');
    this.heldPeriodMs = integerOption(options.heldPeriodMs, 60000, 'heldPeriodMs');
    this.logoff = options.logoff ?? true;
    ({ port: this.port, owned: this.ownsPort } = portOf(options));
    this.stopListening = this.port.onFrame((frame) => this.receive(frame));
  }

  /** The authenticator's MAC, once it has sent an EAP-Request. */
  get authenticator(): string | undefined {
    return this.authenticatorMac && macText(this.authenticatorMac);
  }

  /** True when the last run ended because the authenticator sent a new Request/Identity: begin() answers it. */
  get restarted(): boolean {
    return this.restartRequest !== undefined;
  }

  async begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    const signal = checkSignal(options.signal);
    this.checkOpen();
    const held = this.heldUntil - Date.now();
    if (held > 0) await this.sleep(held, signal);
    this.lastRequest = this.lastResponse = undefined;
    this.answeredBeyondIdentity = false;
    this.started = true;
    const restart = this.restartRequest;
    this.restartRequest = undefined;
    if (restart) return this.interpret(restart);
    // An authenticator that spoke first (a Request/Identity to the group address at link-up) is answered as is.
    const ahead = this.takeLatestRequest();
    if (ahead) return this.interpret(ahead);
    for (let start = 0; start < this.maxStart; ++start) {
      this.port.send(this.destination(), EapolPacketType.Start);
      const packet = await this.next(this.startPeriodMs, signal);
      if (packet) return this.interpret(packet);
    }
    throw new EapolError('ERR_EAPOL_TIMEOUT', `no authenticator answered ${this.maxStart} EAPOL-Start frames on ` +
      `${this.port.interfaceName} (one every ${this.startPeriodMs} ms): is the other end an 802.1X authenticator?`);
  }

  async respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    const signal = checkSignal(options.signal);
    this.checkOpen();
    const decoded = decodeEapPacket(response);
    if (!decoded || decoded.code !== EapCode.Response || decoded.length !== response.length) {
      throw new RangeError('respond() takes one whole EAP-Response packet');
    }
    if (decoded.type !== EapType.Identity) this.answeredBeyondIdentity = true;
    this.lastResponse = Buffer.from(response);
    this.port.send(this.destination(), EapolPacketType.EapPacket, response);
    return this.awaitAuthenticator(signal);
  }

  /** The peer discarded the last request: wait for the authenticator's retransmission or its next packet. */
  retransmission(options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    this.checkOpen();
    return this.awaitAuthenticator(checkSignal(options.signal));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.wake?.();
    try {
      if (this.logoff && this.started && !this.port.isClosed) this.port.send(this.destination(), EapolPacketType.Logoff);
    } catch {
      // A port that cannot send (the interface went down) has no session to end on the other side either.
    } finally {
      if (this.ownsPort) this.port.close();
    }
  }

  private async awaitAuthenticator(signal: AbortSignal | undefined): Promise<TransportReply> {
    const packet = await this.next(this.authPeriodMs, signal);
    if (!packet) {
      this.heldUntil = Date.now() + this.heldPeriodMs;
      return { kind: 'failure', reason: `the authenticator sent nothing for ${this.authPeriodMs} ms` };
    }
    const decoded = decodeEapPacket(packet);
    if (decoded?.code === EapCode.Request && decoded.type === EapType.Identity && this.answeredBeyondIdentity) {
      this.restartRequest = packet;
      return { kind: 'failure', reason: 'the authenticator restarted the conversation (a new EAP-Request/Identity)' };
    }
    return this.interpret(packet);
  }

  private interpret(packet: Buffer): TransportReply {
    const code = packet[0];
    if (code === EapCode.Request) {
      this.lastRequest = packet;
      return { kind: 'request', packet };
    }
    if (code === EapCode.Success) return { kind: 'success', packet };
    this.heldUntil = Date.now() + this.heldPeriodMs;
    return { kind: 'failure', packet, reason: 'EAP-Failure from the authenticator' };
  }

  private receive(frame: EapolFrame): void {
    if (frame.type !== EapolPacketType.EapPacket || isGroupAddress(frame.source)) return;
    if (this.authenticatorMac && !frame.source.equals(this.authenticatorMac)) return;
    const code = frame.body[0];
    // Responses are other supplicants' (a shared segment); only the authenticator's codes count.
    if (code !== EapCode.Request && code !== EapCode.Success && code !== EapCode.Failure) return;
    if (!this.authenticatorMac) {
      if (code !== EapCode.Request) return;
      this.authenticatorMac = Buffer.from(frame.source);
    }
    // RFC 3748 §4.1: a retransmitted request is answered with the response already sent.
    if (code === EapCode.Request && this.lastResponse && this.lastRequest?.equals(frame.body) &&
        this.inbox.length === 0) {
      try {
        this.port.send(this.destination(), EapolPacketType.EapPacket, this.lastResponse);
      } catch {
        // Called from the port's frame delivery: never throw there. The authenticator retransmits again.
      }
      return;
    }
    this.inbox.push(frame.body);
    if (this.inbox.length > INBOX_BOUND) this.inbox.shift();
    this.wake?.();
  }

  private takeLatestRequest(): Buffer | undefined {
    const requests = this.inbox.filter((packet) => packet[0] === EapCode.Request);
    this.inbox = [];
    return requests[requests.length - 1];
  }

  /** The next packet from the authenticator, or undefined after `ms`. */
  private async next(ms: number, signal: AbortSignal | undefined): Promise<Buffer | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const packet = this.inbox.shift();
      if (packet) return packet;
      this.checkOpen();
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await this.sleep(left, signal, true);
    }
  }

  /** Waits `ms`, or (wakeOnFrame) until a packet arrives; rejects on abort or close. */
  private sleep(ms: number, signal: AbortSignal | undefined, wakeOnFrame = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        if (this.wake === woken) this.wake = undefined;
        if (error) reject(error); else resolve();
      };
      const aborted = () => done(new EapolError('ERR_EAPOL_ABORTED', 'the EAPOL conversation was aborted'));
      const woken = () => done(this.closed ? new EapolError('ERR_EAPOL_CLOSED', 'the EAPOL supplicant was closed') : undefined);
      const timer = setTimeout(() => done(), ms);
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      if (wakeOnFrame || this.closed) this.wake = woken;
    });
  }

  private destination(): Buffer {
    return this.authenticatorMac ?? PAE_GROUP_ADDRESS;
  }

  private checkOpen(): void {
    if (this.closed || this.port.isClosed) throw new EapolError('ERR_EAPOL_CLOSED', 'the EAPOL supplicant is closed');
  }
}
