/** Connecting through NetworkManager over D-Bus. */
import type { ConnectOutcome, ConnectRequest } from './outcome';

export async function connectNetworkManager(request: ConnectRequest): Promise<ConnectOutcome> {
  void request;
  throw new Error('connectNetworkManager: not built yet');
}
