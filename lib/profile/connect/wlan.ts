/** Connecting through Windows WLAN (Native Wifi with ACM and ONEX notifications). */
import type { ConnectOutcome, ConnectRequest } from './outcome';

export async function connectWlan(request: ConnectRequest): Promise<ConnectOutcome> {
  void request;
  throw new Error('connectWlan: not built yet');
}
