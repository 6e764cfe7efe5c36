// Writes the seed corpora (fuzz/corpus/<target>/): well-formed conversations for every
// shipped method, so the fuzzers start from deep states. Re-run after changing the input
// layout (fuzz_support.h): node fuzz/seeds.js (needs openssl on PATH).
// The TLS-based methods' seeds carry real TLS: a ClientHello and a server's first flight that
// node:tls wrote to each other over an in-memory pipe, with a throwaway certificate.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const tls = require('tls');
const { Duplex } = require('stream');
const { execFileSync } = require('child_process');

const eap = (code, id, type, data = Buffer.alloc(0)) => {
  const body = type === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([type]), data]);
  const packet = Buffer.alloc(4 + body.length);
  packet[0] = code; packet[1] = id; packet.writeUInt16BE(packet.length, 2); body.copy(packet, 4);
  return packet;
};
// byte 0 the EAP type, byte 1 control bits: 0x04 repair Identifier, 0x08 repair Length
const input = (type, control, packets) => Buffer.concat([Buffer.from([type, control]),
  ...packets.flatMap((p) => { const n = Buffer.alloc(2); n.writeUInt16BE(p.length); return [n, p]; })]);
const challenge = Buffer.alloc(16, 0x5a);
const md5Request = (id) => eap(1, id, 4, Buffer.concat([Buffer.from([16]), challenge, Buffer.from('server')]));
const md5Response = (id) => eap(2, id, 4, Buffer.concat([Buffer.from([16]), Buffer.alloc(16, 1)]));
const gtcRequest = (id) => eap(1, id, 6, Buffer.from('Password: '));
const gtcResponse = (id) => eap(2, id, 6, Buffer.from('correct horse'));
const ms = (opCode, id, value, name) => {
  const body = Buffer.concat([Buffer.from([opCode, id, 0, 0, value.length]), value, Buffer.from(name)]);
  body.writeUInt16BE(body.length, 2);
  return body;
};
const msChallenge = (id) => eap(1, id, 26, ms(1, id, Buffer.alloc(16, 0x33), 'server'));
const msResponse = (id) => eap(2, id, 26, ms(2, id, Buffer.concat([Buffer.alloc(16, 7), Buffer.alloc(8), Buffer.alloc(24, 9), Buffer.from([0])]), 'alice'));
const msSuccess = (id) => eap(1, id, 26, Buffer.concat([Buffer.from([3, id, 0, 0]), Buffer.from('S=' + '0'.repeat(40) + ' M=ok')]));
const identityRequest = (id) => eap(1, id, 1);
const identityResponse = (id) => eap(2, id, 1, Buffer.from('alice'));
const success = (id) => eap(3, id);
const failure = (id) => eap(4, id);

const TYPES = [4, 6, 26];
const corpora = {
  method_peer: [
    input(4, 0x0c, [md5Request(1)]), input(4, 0x00, [md5Request(1), md5Request(1)]),
    input(6, 0x0c, [gtcRequest(1), gtcRequest(2)]),
    input(26, 0x0c, [msChallenge(1), msSuccess(2)]), input(26, 0x00, [msChallenge(1)]),
  ],
  method_authenticator: [
    input(4, 0x0c, [md5Response(1)]), input(6, 0x0c, [gtcResponse(1)]), input(26, 0x0c, [msResponse(1), eap(2, 2, 26, Buffer.from([3]))]),
    input(4, 0x00, [md5Response(9), md5Response(1)]),
  ],
  authenticator_host: TYPES.flatMap((t, i) => [
    input(t, 0x0c, [identityResponse(0), [md5Response, gtcResponse, msResponse][i](1)]),
    input(t, 0x0c, [identityResponse(0), eap(2, 1, 3, Buffer.from([4, 6, 26])), md5Response(2)]),
    input(t, 0x00, [identityResponse(0), Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)]),
  ]),
  eaphost_conversation: [
    input(4, 0x00, [identityRequest(1), md5Request(2), success(2)]),
    input(4, 0x00, [identityRequest(1), md5Request(2), md5Request(2), failure(3)]),
    input(4, 0x00, [identityRequest(1), eap(1, 2, 2, Buffer.from('notice')), eap(1, 3, 99), md5Request(4), success(4)]),
    input(6, 0x00, [identityRequest(1), gtcRequest(2), success(2)]),
    input(26, 0x00, [identityRequest(1), msChallenge(2), msSuccess(3), success(3)]),
    input(4, 0x0c, [identityRequest(0), md5Request(0), success(0)]),
  ],
  manifest: [
    Buffer.from(JSON.stringify({ methods: [{ type: 4, vendorId: 0, vendorType: 0, authorId: 32473, friendlyName: 'EAP-MD5',
      authorName: 'eaphost', properties: 0, peerDllPath: 'eap_methods.so', authenticatorDllPath: '/abs/eap_methods.so' }] }, null, 2)),
    Buffer.from('{"methods":[]}'),
    Buffer.from('{"methods":[{"type":26,"authorId":0,"peerDllPath":"a\\u00e9\\ud83d\\ude00.so"}],"x":[1.5e300,-0,true,null]}'),
    Buffer.from('{"a":1,"a":2}'),
  ],
};

function writeCorpus(target, seeds) {
  const dir = path.join(__dirname, 'corpus', target);
  fs.mkdirSync(dir, { recursive: true });
  seeds.forEach((seed, i) => fs.writeFileSync(path.join(dir, `seed-${String(i).padStart(2, '0')}`), seed));
}
for (const [target, seeds] of Object.entries(corpora)) writeCorpus(target, seeds);

// RADIUS datagrams for the JS codec target, signed with the codec's own helpers' inputs.
const radiusDir = path.join(__dirname, 'corpus', 'radius_codec');
fs.mkdirSync(radiusDir, { recursive: true });
const attribute = (type, value) => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
const datagram = (code, id, attributes) => {
  const body = Buffer.concat(attributes);
  const head = Buffer.alloc(20, 0x11);
  head[0] = code; head[1] = id; head.writeUInt16BE(20 + body.length, 2);
  return Buffer.concat([head, body]);
};
const vsaMppe = (vendorType) => attribute(26, Buffer.concat([Buffer.from([0, 0, 1, 55, vendorType, 2 + 2 + 48]),
  Buffer.from([0x80, 0x01]), Buffer.alloc(48, 0x42)]));
const longEap = eap(1, 3, 4, Buffer.alloc(400, 0x61));
[
  datagram(1, 1, [attribute(1, Buffer.from('alice')), attribute(79, identityResponse(0)), attribute(80, Buffer.alloc(16))]),
  datagram(11, 2, [attribute(79, md5Request(1)), attribute(24, Buffer.alloc(16, 0x24)), attribute(80, Buffer.alloc(16))]),
  datagram(2, 3, [attribute(79, success(1)), vsaMppe(16), vsaMppe(17), attribute(80, Buffer.alloc(16))]),
  datagram(3, 4, [attribute(79, failure(1)), attribute(18, Buffer.from('denied'))]),
  datagram(11, 5, [attribute(79, longEap.subarray(0, 253)), attribute(79, longEap.subarray(253)), attribute(33, Buffer.from('proxy'))]),
  datagram(12, 6, [attribute(80, Buffer.alloc(16))]),
].forEach((seed, i) => fs.writeFileSync(path.join(radiusDir, `seed-${String(i).padStart(2, '0')}`), seed));

// ---- PKCS#12 bundles, as openssl writes them (password "fuzz", the harness's) -------------------

/** A throwaway P-256 certificate and key as PKCS#12: alone, and with a CA beside it. */
function pkcs12Seeds() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-seeds-'));
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=seed.eaphost.test', '-keyout', 'key.pem', '-out', 'cert.pem');
    openssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'alone.p12', '-passout', 'pass:fuzz');
    openssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-certfile', 'cert.pem', '-out', 'with-ca.p12',
      '-passout', 'pass:fuzz');
    writeCorpus('pkcs12_chain', ['alone.p12', 'with-ca.p12'].map((name) => fs.readFileSync(path.join(dir, name))));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
pkcs12Seeds();

// ---- the TLS-based methods: EAP-TLS 13, EAP-TTLS 21, PEAP 25 ----------------------------------

/** A ClientHello and the server's first flight, as node:tls writes them over an in-memory pipe. */
async function tlsFlights(maxVersion) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-seeds-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=seed.eaphost.test', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
    { stdio: 'ignore' });
    const key = fs.readFileSync(path.join(dir, 'key.pem'));
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
    const written = { client: [], server: [] };
    const pipe = (side) => new Duplex({
      read() {},
      write(chunk, _encoding, done) { written[side].push(Buffer.from(chunk)); done(); },
    });
    const clientEnd = pipe('client');
    const serverEnd = pipe('server');
    const client = tls.connect({ socket: clientEnd, rejectUnauthorized: false, maxVersion, servername: 'seed.eaphost.test' });
    client.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const clientHello = Buffer.concat(written.client);
    const server = new tls.TLSSocket(serverEnd, { isServer: true, key, cert, maxVersion });
    server.on('error', () => undefined);
    serverEnd.push(clientHello);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const serverFlight = Buffer.concat(written.server);
    client.destroy();
    server.destroy();
    if (clientHello.length === 0 || serverFlight.length === 0) throw new Error('node:tls wrote no handshake');
    return { clientHello, serverFlight };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** EAP-TLS framing (RFC 5216 §3.1): the message in fragments of `size`, L on the first, M on all but the last. */
function tlsFragments(message, size, version = 0) {
  const out = [];
  for (let at = 0; at < message.length; at += size) {
    const first = at === 0;
    const more = at + size < message.length;
    const flags = (first && more ? 0x80 : 0) | (more ? 0x40 : 0) | version;
    const head = Buffer.from([flags]);
    const length = Buffer.alloc(first && more ? 4 : 0);
    if (length.length) length.writeUInt32BE(message.length);
    out.push(Buffer.concat([head, length, message.subarray(at, at + size)]));
  }
  return out;
}

/** Diameter AVP (RFC 6733 §4.1, as EAP-TTLS carries it): padded to 4 octets. */
function avp(code, data, vendor) {
  const headerLength = vendor === undefined ? 8 : 12;
  const head = Buffer.alloc(headerLength);
  head.writeUInt32BE(code, 0);
  head.writeUInt32BE(headerLength + data.length, 4);
  head[4] = vendor === undefined ? 0x40 : 0xc0;
  if (vendor !== undefined) head.writeUInt32BE(vendor, 8);
  return Buffer.concat([head, data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

/** PEAP TLV (MS-PEAP §2.2.8): mandatory bit, type, length, value. */
const tlv = (type, value) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0x8000 | type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
};
const resultTlv = (status) => tlv(3, Buffer.from([0, status]));
// Cryptobinding TLV (MS-PEAP §2.2.8.1.1): Reserved, Version 0, Received Version 0, SubType 0
// (request), a 32-octet nonce and a 20-octet Compound MAC.
const cryptobindingTlv = (subType) => tlv(12, Buffer.concat([Buffer.from([0, 0, 0, subType]), Buffer.alloc(32, 0x4e),
  Buffer.alloc(20, 0x4d)]));

async function tlsSeeds() {
  const tls12 = await tlsFlights('TLSv1.2');
  const tls13 = await tlsFlights('TLSv1.3');
  const start = (id, type, version) => eap(1, id, type, Buffer.from([0x20 | version]));
  const tlsTypes = [[13, 0], [21, 0], [25, 0]];
  const peerFlight = (type, version, flight) => tlsFragments(flight, 1000, version).map((fragment, i) => eap(1, 2 + i, type, fragment));
  const clientHello = (id, type, version, hello) => eap(2, id, type, tlsFragments(hello, 1400, version)[0]);

  writeCorpus('tls_fragments', [
    input(0, 0, tlsFragments(tls12.serverFlight, 500)).subarray(2),
    input(0, 0, tlsFragments(tls13.clientHello, 1400)).subarray(2),
    input(0, 0, [Buffer.from([0x20]), Buffer.from([0x00])]).subarray(2),
  ]);
  // EAPOL frames (IEEE 802.1X-2010 §11.3): EAPOL-Start, Logoff, an EAP-Response/Identity padded to 60 bytes, a Key frame.
  const eapolFrame = (type, body, pad = 0) => Buffer.concat([Buffer.from('0180c2000003020000000001888e02', 'hex'),
    Buffer.from([type, body.length >> 8, body.length & 0xff]), body, Buffer.alloc(pad)]);
  writeCorpus('eapol_frame', [eapolFrame(1, Buffer.alloc(0)), eapolFrame(2, Buffer.alloc(0)),
    eapolFrame(0, Buffer.from('0201000a01616c696365', 'hex'), 32), eapolFrame(3, Buffer.alloc(95, 1))]);
  // ONEX notifications (dot1x.h): byte 0 the code (1 result update, 2 auth restarted), then the
  // data: ONEX_RESULT_UPDATE_DATA (40 bytes) with, in the last, an ONEX_EAP_ERROR (92 bytes,
  // EAP_E_USER_CREDENTIALS_REJECTED, PEAP) and its root-cause string, each blob's offset from its holder.
  const onexUpdate = (status, reason, eapReason, rootCause) => {
    const text = rootCause === undefined ? Buffer.alloc(0) : Buffer.from(`${rootCause}\0`, 'utf16le');
    let error = Buffer.alloc(0);
    if (eapReason !== undefined) {
      error = Buffer.alloc(92 + text.length);
      error[4] = 25;
      error.writeUInt32LE(eapReason, 20);
      error.writeUInt32LE(text.length > 0 ? 1 : 0, 72);
      error.writeUInt32LE(text.length, 76);
      error.writeUInt32LE(text.length > 0 ? 92 : 0, 80);
      text.copy(error, 92);
    }
    const head = Buffer.alloc(40);
    head.writeInt32LE(status, 0);
    head.writeUInt32LE(reason, 4);
    head.writeInt32LE(1, 12);
    head.writeInt32LE(1, 16);
    head.writeUInt32LE(error.length > 0 ? 2 : 0, 20);
    head.writeUInt32LE(error.length, 32);
    head.writeUInt32LE(error.length > 0 ? 40 : 0, 36);
    return Buffer.concat([Buffer.from([1]), head, error]);
  };
  writeCorpus('onex_notice', [onexUpdate(1, 0), onexUpdate(3, 0),
    onexUpdate(4, 0x50005, 0x80420111, 'The user name or password was rejected'), Buffer.from([2, 3, 0, 0, 0])]);
  writeCorpus('peap_tlv', [resultTlv(1), Buffer.concat([resultTlv(1), cryptobindingTlv(0)]), resultTlv(2),
    Buffer.concat([tlv(7, Buffer.from([0, 0, 1, 55, 1, 2, 3, 4])), resultTlv(1)])]);
  const teapStatus = (type, status) => tlv(0x8000 | type, Buffer.from([0, status]));
  const teapBinding = Buffer.concat([Buffer.from([0x80, 12, 0, 76, 0, 1, 1, 0x20]), Buffer.alloc(32, 0x4e),
    Buffer.alloc(40, 0x4d)]);
  writeCorpus('teap_tlv', [
    tlv(0x8009, eap(1, 1, 1, Buffer.alloc(0))),
    Buffer.concat([teapStatus(10, 1), teapStatus(3, 1), teapBinding]),
    Buffer.concat([tlv(0x800e, Buffer.from([5, ...Buffer.from('alice'), 3, 0x61, 0x62, 0x63])), tlv(2, Buffer.from([0, 1]))]),
    Buffer.concat([teapStatus(3, 2), tlv(0x8005, Buffer.from([0, 0, 7, 0xd1]))]),
  ]);
  const innerIdentity = eap(2, 0, 1, Buffer.from('alice'));
  writeCorpus('ttls_avp', [
    Buffer.concat([avp(1, Buffer.from('alice')), avp(2, Buffer.from('correct horse\0\0\0'))]),
    avp(79, innerIdentity),
    Buffer.concat([avp(79, innerIdentity.subarray(0, 4)), avp(79, innerIdentity.subarray(4))]),
    Buffer.concat([avp(1, Buffer.from('alice')), avp(11, Buffer.alloc(16, 0x11), 311),
      avp(25, Buffer.concat([Buffer.from([0x11, 0]), Buffer.alloc(16, 0x22), Buffer.alloc(8), Buffer.alloc(24, 0x33)]), 311)]),
  ]);
  const add = (target, seeds) => {
    const dir = path.join(__dirname, 'corpus', target);
    const first = corpora[target].length;
    seeds.forEach((seed, i) => fs.writeFileSync(path.join(dir, `seed-${String(first + i).padStart(2, '0')}`), seed));
  };
  // tls_tunnel: byte 0 the catalog's TLS method (0 EAP-TLS, 1 EAP-TTLS, 2 PEAP), byte 1 bit 0
  // TLS 1.2 only, then the server's plaintexts in the tunnel.
  const plain = (pick, control, texts) => input(pick, control, texts);
  const innerChallenge = ms(1, 3, Buffer.alloc(16, 0x33), 'server');
  const extensions = (id, tlvs) => eap(1, id, 33, tlvs);
  writeCorpus('tls_tunnel', [
    plain(2, 0, [eap(1, 2, 1), Buffer.concat([Buffer.from([26]), innerChallenge]), extensions(4, resultTlv(1))]),
    plain(2, 1, [eap(1, 2, 1), extensions(3, Buffer.concat([resultTlv(1), cryptobindingTlv(0)]))]),
    plain(2, 0, [extensions(2, resultTlv(2))]),
    plain(1, 0, [avp(79, eap(1, 2, 1)), avp(79, eap(1, 3, 26, innerChallenge))]),
    plain(1, 1, [Buffer.concat([avp(11, Buffer.alloc(16, 0x11), 311), avp(26, Buffer.alloc(42, 0x22), 311)])]),
    plain(0, 0, [Buffer.from([0])]),
  ]);
  add('method_peer', tlsTypes.flatMap(([type, version]) => [
    input(type, 0x0c, [start(1, type, version), ...peerFlight(type, version, tls12.serverFlight)]),
    input(type, 0x0c, [start(1, type, version), ...peerFlight(type, version, tls13.serverFlight)]),
  ]));
  add('method_authenticator', tlsTypes.flatMap(([type, version]) => [
    input(type, 0x0c, [clientHello(1, type, version, tls12.clientHello)]),
    input(type, 0x0c, [clientHello(1, type, version, tls13.clientHello)]),
  ]));
  add('authenticator_host', tlsTypes.map(([type, version]) =>
    input(type, 0x0c, [identityResponse(0), clientHello(1, type, version, tls12.clientHello)])));
  // A fatal alert whose description byte GnuTLS has no name for (204): the peer must end the
  // handshake with a typed error (the fuzzer once found it crashing on the missing name).
  const unknownAlert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0xcc]);
  add('eaphost_conversation', tlsTypes.map(([type, version]) =>
    input(type, 0x0c, [identityRequest(1), start(2, type, version), ...peerFlight(type, version, tls12.serverFlight).map((p) => {
      const shifted = Buffer.from(p); shifted[1] += 1; return shifted;
    })])).concat(tlsTypes.map(([type, version]) =>
    input(type, 0x0c, [identityRequest(1), start(2, type, version), eap(1, 3, type, Buffer.concat([Buffer.from([version]), unknownAlert]))]))));
}

tlsSeeds().catch((error) => { console.error(error); process.exit(1); });
