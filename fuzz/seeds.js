// Writes the seed corpora (fuzz/corpus/<target>/): well-formed conversations for every
// shipped method, so the fuzzers start from deep states. Re-run after changing the input
// layout (fuzz_support.h): node fuzz/seeds.js
'use strict';
const fs = require('fs');
const path = require('path');

const eap = (code, id, type, data = Buffer.alloc(0)) => {
  const body = type === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([type]), data]);
  const packet = Buffer.alloc(4 + body.length);
  packet[0] = code; packet[1] = id; packet.writeUInt16BE(packet.length, 2); body.copy(packet, 4);
  return packet;
};
// control byte: type index (4, 6, 26) in the low bits, 0x04 repair Identifier, 0x08 repair Length
const input = (control, packets) => Buffer.concat([Buffer.from([control]),
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

const corpora = {
  method_peer: [
    input(0x0c, [md5Request(1)]), input(0x00, [md5Request(1), md5Request(1)]),
    input(0x0d, [gtcRequest(1), gtcRequest(2)]),
    input(0x0e, [msChallenge(1), msSuccess(2)]), input(0x02, [msChallenge(1)]),
  ],
  method_authenticator: [
    input(0x0c, [md5Response(1)]), input(0x0d, [gtcResponse(1)]), input(0x0e, [msResponse(1), eap(2, 2, 26, Buffer.from([3]))]),
    input(0x00, [md5Response(9), md5Response(1)]),
  ],
  authenticator_host: [0, 1, 2].flatMap((t) => [
    input(0x0c | t, [identityResponse(0), [md5Response, gtcResponse, msResponse][t](1)]),
    input(0x0c | t, [identityResponse(0), eap(2, 1, 3, Buffer.from([4, 6, 26])), md5Response(2)]),
    input(t, [identityResponse(0), Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)]),
  ]),
  eaphost_conversation: [
    input(0x00, [identityRequest(1), md5Request(2), success(2)]),
    input(0x00, [identityRequest(1), md5Request(2), md5Request(2), failure(3)]),
    input(0x00, [identityRequest(1), eap(1, 2, 2, Buffer.from('notice')), eap(1, 3, 99), md5Request(4), success(4)]),
    input(0x01, [identityRequest(1), gtcRequest(2), success(2)]),
    input(0x02, [identityRequest(1), msChallenge(2), msSuccess(3), success(3)]),
    input(0x0c, [identityRequest(0), md5Request(0), success(0)]),
  ],
  manifest: [
    Buffer.from(JSON.stringify({ methods: [{ type: 4, vendorId: 0, vendorType: 0, authorId: 32473, friendlyName: 'EAP-MD5',
      authorName: 'eaphost', properties: 0, peerDllPath: 'eap_methods.so', authenticatorDllPath: '/abs/eap_methods.so' }] }, null, 2)),
    Buffer.from('{"methods":[]}'),
    Buffer.from('{"methods":[{"type":26,"authorId":0,"peerDllPath":"a\\u00e9\\ud83d\\ude00.so"}],"x":[1.5e300,-0,true,null]}'),
    Buffer.from('{"a":1,"a":2}'),
  ],
};

for (const [target, seeds] of Object.entries(corpora)) {
  const dir = path.join(__dirname, 'corpus', target);
  fs.mkdirSync(dir, { recursive: true });
  seeds.forEach((seed, i) => fs.writeFileSync(path.join(dir, `seed-${String(i).padStart(2, '0')}`), seed));
}

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
