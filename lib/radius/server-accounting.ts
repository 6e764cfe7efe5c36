/**
 * Accounting answered (RFC 2866), the server's side: native/radius checks each Accounting-Request's
 * Request Authenticator, drops retransmissions of one being recorded and answers those of one
 * recorded from its reply cache; every new one comes here for the caller's recorder, and its
 * Accounting-Response is signed and sent only once the recorder says it is recorded. A recorder
 * that throws, rejects or stays silent past the reply cache's lifetime gets no response sent: the
 * NAS retries, and its retry is a new request, so nothing it sent is lost.
 */
import { thrownText } from '../core/errors';
import type { NativeRadiusEngine, RadiusEngineAccounting } from '../native';
import type { RadiusAttribute } from './attributes';

/**
 * Records one Accounting-Request whose Request Authenticator is right: the NAS's address (the
 * request's source) and its attributes as they came (Proxy-State and Message-Authenticator left
 * out), and its realm when a proxy route sends that realm to a home server (to spool). Its Accounting-Response goes out once this returns (or its promise resolves); throwing or
 * rejecting sends nothing, and the NAS retries.
 */
export type AccountingRecorder = (request: { client: string; attributes: RadiusAttribute[]; realm?: string; home?: string }) => void | Promise<void>;

/** Hands one request to the recorder and tells the engine what came of it. Never throws. */
export function recordAccounting(engine: NativeRadiusEngine, raw: RadiusEngineAccounting, recorder: AccountingRecorder,
  onFailure: (message: string) => void): void {
  const settle = (recorded: boolean): void => {
    try {
      engine.accounted({ id: raw.id, recorded });
    } catch {
      // The engine closed meanwhile: the NAS's retry goes to whoever listens next.
    }
  };
  const fail = (error: unknown): void => {
    onFailure(thrownText(error));
    settle(false);
  };
  let result: void | Promise<void>;
  try {
    result = recorder({ client: raw.client, attributes: raw.attributes, ...(raw.realm !== '' ? { realm: raw.realm, home: raw.home } : {}) });
  } catch (error) {
    fail(error);
    return;
  }
  if (result instanceof Promise) result.then(() => settle(true), fail);
  else settle(true);
}
