import { createServer, Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runProgram } from './programs';
import type { RevocationPki } from './revocation-pki';

/**
 * An OCSP responder on 127.0.0.1: each HTTP POST's DER request is answered by
 * `openssl ocsp -reqin … -index … -respout …` from the PKI's index, signed by its CA, with a
 * nextUpdate `minutes` ahead. (OpenSSL 3.0's own `openssl ocsp -port` takes a port number only
 * and listens on every interface; a test listens on loopback only.) `asked` counts requests.
 */
export interface OcspResponder {
  url: string;
  asked: number;
  stop(): Promise<void>;
}

export async function startOcspResponder(pki: RevocationPki, minutes = 10): Promise<OcspResponder> {
  const state = { asked: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.asked++;
      const name = join(pki.dir, `ocsp-${randomBytes(6).toString('hex')}`);
      writeFileSync(`${name}.req`, Buffer.concat(chunks));
      runProgram('openssl', ['ocsp', '-reqin', `${name}.req`, '-index', pki.indexFile, '-CA', pki.caFile,
        '-rsigner', pki.caFile, '-rkey', pki.caKeyFile, '-nmin', String(minutes), '-respout', `${name}.der`])
        .then((run) => {
          if (run.code !== 0) throw new Error(run.stderr);
          response.writeHead(200, { 'Content-Type': 'application/ocsp-response' });
          response.end(readFileSync(`${name}.der`));
        })
        .catch(() => {
          response.writeHead(500);
          response.end();
        });
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the OCSP responder has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    get asked() { return state.asked; },
    stop: () => new Promise<void>((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}
