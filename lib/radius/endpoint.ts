import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { getSystemErrorMap, getSystemErrorName } from 'node:util';
import { RadiusSecret } from './secret';

/** A RADIUS server as the client addresses it. The secret belongs to the pair (us, that server). */
export interface RadiusEndpoint {
  host: string;
  port: number;
  secret: RadiusSecret;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** IPv6 literals have many spellings; replies are matched on the one the kernel reports. */
export function canonicalAddress(address: string): string {
  if (isIP(address) === 6) {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  }
  return address;
}

export async function resolveHost(host: string): Promise<ResolvedAddress> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family === 4 || family === 6) {
    return { address: canonicalAddress(bare), family };
  }
  const found = await lookup(bare);
  return { address: canonicalAddress(found.address), family: found.family === 6 ? 6 : 4 };
}

/** Formats an address and port the way people write them: 127.0.0.1:1812, [::1]:1812. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses HOST:PORT, [IPv6]:PORT or a bare host (port defaults to 1812, RFC 2865's assigned port). */
export function parseHostPort(text: string, defaultPort = 1812): { host: string; port: number } {
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [host, portText] = text.split(':');
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`"${text}" is not HOST:PORT`);
  }
  return { host, port };
}

/** A failed bind, shaped as dgram's (code, errno, syscall, address, port); anything else as it came.
 *  @internal */
export function bindError(error: unknown, address: string, port: number): unknown {
  const failure = error as Error & { code?: string; errno?: number };
  if (typeof failure.errno !== 'number' || failure.errno === 0) return failure;
  const code = failure.code || getSystemErrorName(-failure.errno);
  const errno = [...getSystemErrorMap()].find(([, [name]]) => name === code)?.[0] ?? -failure.errno;
  return Object.assign(new Error(`${failure.message} ${code} ${address}:${port}`),
    { code, errno, syscall: failure.message, address, port });
}
