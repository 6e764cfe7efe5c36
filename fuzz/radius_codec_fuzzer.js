// The RADIUS client's codec in lib/ (and the EAP packet decoder it feeds), under a seeded mutation
// loop: every datagram a NAS or server could send must decode to the same bytes it came
// from, or be refused with RadiusMalformedError; nothing else may be thrown.
//   node fuzz/radius_codec_fuzzer.js [seconds] [corpus dir]   (EAPHOST_FUZZ_SEED fixes the PRNG)
// Exits 1 and writes the input to build-fuzz/findings/ on the first finding.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const lib = path.join(__dirname, '..', 'dist', 'lib');
const radius = {
  ...require(path.join(lib, 'radius', 'packet')), ...require(path.join(lib, 'radius', 'signing')),
  ...require(path.join(lib, 'radius', 'eap-message')),
};
const { RadiusMalformedError } = require(path.join(lib, 'radius', 'errors'));
const { decryptMppeKey, mppeKeyVendorType, parseClearMppeKey } = require(path.join(lib, 'radius', 'mppe'));
const { decodeEapPacket, describeEapPacket } = require(path.join(lib, 'core', 'packet'));

const seconds = Number(process.argv[2] ?? process.env.EAPHOST_FUZZ_SECONDS ?? 60);
const corpusDir = process.argv[3] ?? path.join(__dirname, 'corpus', 'radius_codec');
const secret = Buffer.from('fuzz-secret');

// A small deterministic PRNG (xorshift32), so a finding can be replayed from its seed.
let state = Number(process.env.EAPHOST_FUZZ_SEED ?? (crypto.randomBytes(4).readUInt32LE(0) || 1)) >>> 0;
const seed = state;
const next = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; return (state >>>= 0); };
const below = (n) => next() % n;

const interesting = [0, 1, 2, 3, 4, 5, 18, 19, 20, 24, 26, 79, 80, 127, 128, 252, 253, 254, 255];

function mutate(input, corpus) {
  let out = Buffer.from(input);
  for (let rounds = 1 + below(4); rounds > 0; rounds--) {
    const at = out.length ? below(out.length) : 0;
    switch (below(8)) {
      case 0: if (out.length) out[at] ^= 1 << below(8); break;
      case 1: if (out.length) out[at] = interesting[below(interesting.length)]; break;
      case 2: out = Buffer.concat([out.subarray(0, at), crypto.randomBytes(1 + below(8)), out.subarray(at)]); break;
      case 3: out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + below(8)))]); break;
      case 4: { // splice with another corpus entry
        const other = corpus[below(corpus.length)];
        out = Buffer.concat([out.subarray(0, at), other.subarray(below(other.length + 1))]);
        break;
      }
      case 5: if (out.length >= 4) out.writeUInt16BE(out.length - below(3) + below(3), 2); break;  // RADIUS Length
      case 6: out = out.subarray(0, below(out.length + 1)); break;
      default: { // an attribute's length byte
        let p = 20;
        const stop = below(8);
        for (let i = 0; i < stop && p + 1 < out.length && out[p + 1] >= 2; i++) p += out[p + 1];
        if (p + 1 < out.length) out[p + 1] = interesting[below(interesting.length)];
      }
    }
  }
  return out.length > 4096 ? out.subarray(0, 4096) : out;
}

function check(datagram) {
  let packet;
  try {
    packet = radius.decodeRadiusPacket(datagram);
  } catch (error) {
    if (error instanceof RadiusMalformedError) return;
    throw error;
  }
  // Independent truth: re-encoding what was decoded gives back the bytes it came from.
  const length = datagram.readUInt16BE(2);
  const again = radius.encodeRadiusPacket(packet);
  if (!again.equals(datagram.subarray(0, length))) throw new Error('decode/encode does not round-trip');
  if (typeof radius.verifyResponse(packet, Buffer.alloc(16, 1), secret) !== 'boolean') {
    throw new Error('verifyResponse returned a non-boolean');
  }
  let eap;
  try {
    eap = radius.reassembleEapMessage(packet);
  } catch (error) {
    if (!(error instanceof RadiusMalformedError)) throw error;
  }
  if (eap) {
    if (!decodeEapPacket(eap)) throw new Error('reassembled EAP-Message does not decode');
    describeEapPacket(eap);
  }
  for (const attribute of packet.attributes) {
    describeEapPacket(attribute.value);
    if (attribute.type === 26 && mppeKeyVendorType(attribute.value) !== undefined) {
      const key = decryptMppeKey(attribute.value, secret, Buffer.alloc(16, 2));
      if (key !== undefined && !Buffer.isBuffer(key)) throw new Error('decryptMppeKey returned a non-Buffer');
      parseClearMppeKey(attribute.value);
    }
  }
}

function main() {
  const corpus = fs.readdirSync(corpusDir).sort().map((name) => fs.readFileSync(path.join(corpusDir, name)));
  if (corpus.length === 0) throw new Error(`no seeds in ${corpusDir}`);
  const deadline = Date.now() + seconds * 1000;
  let executions = 0;
  for (const seedInput of corpus) { check(seedInput); executions++; }
  while (Date.now() < deadline) {
    for (let batch = 0; batch < 1000; batch++) {
      const input = mutate(corpus[below(corpus.length)], corpus);
      try {
        check(input);
      } catch (error) {
        const dir = path.join(__dirname, '..', 'build-fuzz', 'findings');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `radius_codec-${crypto.createHash('sha1').update(input).digest('hex')}`);
        fs.writeFileSync(file, input);
        console.error(`radius_codec: finding after ${executions} executions (seed ${seed}): ${error.stack}\ninput: ${file}`);
        process.exit(1);
      }
      executions++;
    }
  }
  console.log(`radius_codec: ${executions} executions in ${seconds} s, no finding (seed ${seed})`);
}

main();
