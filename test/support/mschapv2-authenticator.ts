import { randomBytes } from 'node:crypto';
import type { EapTransport, TransportReply } from '../../lib';
import {
  MsChapV2Op, authenticatorResponse, eapMsChapV2Msk, msChapV2Packet, ntResponse, parseMsChapV2ValuePacket,
} from './mschapv2-oracle';

/**
 * An EAP-MSCHAPv2 authenticator written with the node:crypto oracle, as an EapTransport: the
 * peer module meets a server that is not our own authenticator module. It can misbehave on
 * purpose (a wrong or missing authenticator response, a chosen Failure code) and releases the
 * MPPE keys it derived, in the clear layout, with its Success.
 */
export type OracleBehaviour =
  | { kind: 'success' }
  | { kind: 'wrong-authenticator-response' }
  | { kind: 'missing-authenticator-response' }
  | { kind: 'failure'; message: string };

export interface OracleAuthenticatorOptions {
  passwordHash: Buffer;
  passwordHashHash: Buffer;
  behaviour: OracleBehaviour;
}

const REQUEST = 1;
const RESPONSE = 2;

function clearMppeKey(vendorType: number, key: Buffer): Buffer {
  // Vendor-Id 311 | Vendor-Type | Vendor-Length | Salt 0 0 | Key-Length | Key (RFC 2548, in clear)
  return Buffer.concat([Buffer.from([0, 0, 1, 55, vendorType, 5 + key.length, 0, 0, key.length]), key]);
}

export class OracleMsChapV2Authenticator implements EapTransport {
  /** What the peer sent, for the test's own key computation. */
  peerNtResponse: Buffer | undefined;
  /** Whether the peer's NT-Response was right for the configured password hash. */
  peerProvedPassword: boolean | undefined;
  /** The MSK the oracle derived, when the peer proved the password. */
  msk: Buffer | undefined;
  private id = 0;
  private readonly authenticatorChallenge = randomBytes(16);
  private stage: 'identity' | 'challenge' | 'verdict' | 'done' = 'identity';

  constructor(private readonly options: OracleAuthenticatorOptions) {}

  async begin(): Promise<TransportReply> {
    this.id = 1;
    return { kind: 'request', packet: Buffer.from([REQUEST, this.id, 0, 5, 1]) };
  }

  async respond(response: Buffer): Promise<TransportReply> {
    if (response[0] !== RESPONSE || response[1] !== this.id) throw new Error(`unexpected response ${response.toString('hex')}`);
    switch (this.stage) {
      case 'identity': {
        this.stage = 'challenge';
        this.id++;
        const body = Buffer.concat([Buffer.from([16]), this.authenticatorChallenge, Buffer.from('oracle')]);
        return { kind: 'request', packet: msChapV2Packet(REQUEST, this.id, MsChapV2Op.Challenge, this.id, body) };
      }
      case 'challenge': {
        const answer = parseMsChapV2ValuePacket(response);
        if (answer.op !== MsChapV2Op.Response || answer.value.length !== 49) {
          throw new Error(`expected an MSCHAPv2 Response, got ${response.toString('hex')}`);
        }
        const peerChallenge = answer.value.subarray(0, 16);
        this.peerNtResponse = Buffer.from(answer.value.subarray(24, 48));
        const expected = ntResponse(this.authenticatorChallenge, peerChallenge, answer.name, this.options.passwordHash);
        this.peerProvedPassword = expected.equals(this.peerNtResponse);
        this.stage = 'verdict';
        this.id++;
        const behaviour: OracleBehaviour = this.peerProvedPassword ? this.options.behaviour
          : { kind: 'failure', message: `E=691 R=0 C=${randomBytes(16).toString('hex').toUpperCase()} V=3 M=bad password` };
        let message: string;
        switch (behaviour.kind) {
          case 'success':
            message = `${authenticatorResponse(this.options.passwordHashHash, this.peerNtResponse, peerChallenge,
              this.authenticatorChallenge, answer.name)} M=welcome`;
            break;
          case 'wrong-authenticator-response':
            message = `S=${randomBytes(20).toString('hex').toUpperCase()} M=welcome`;
            break;
          case 'missing-authenticator-response':
            message = 'M=welcome';
            break;
          case 'failure':
            message = behaviour.message;
            break;
        }
        const op = behaviour.kind === 'failure' ? MsChapV2Op.Failure : MsChapV2Op.Success;
        return { kind: 'request', packet: msChapV2Packet(REQUEST, this.id, op, answer.msId, Buffer.from(message)) };
      }
      case 'verdict': {
        this.stage = 'done';
        const op = response.length >= 6 && response[4] === 26 ? response[5] : 0;
        if (op === MsChapV2Op.Success) {
          this.msk = eapMsChapV2Msk(this.options.passwordHashHash, this.peerNtResponse!);
          return {
            kind: 'success', packet: Buffer.from([3, this.id, 0, 4]),
            attributes: [
              { type: 26, value: clearMppeKey(17, this.msk.subarray(0, 16)) },
              { type: 26, value: clearMppeKey(16, this.msk.subarray(16)) },
            ],
          };
        }
        return { kind: 'failure', packet: Buffer.from([4, this.id, 0, 4]), reason: 'EAP-Failure' };
      }
      default:
        throw new Error('the conversation has ended');
    }
  }

  async close(): Promise<void> {
    this.stage = 'done';
  }
}
