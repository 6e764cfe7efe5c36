/** Connecting through Windows wired (netsh lan and the Wired-AutoConfig event log). */
import type { ConnectOutcome, ConnectRequest } from './outcome';

export async function connectWired(request: ConnectRequest): Promise<ConnectOutcome> {
  void request;
  throw new Error('connectWired: not built yet');
}
