/**
 * The facade's reading of key attributes, its user records and its packet descriptions, with
 * the bytes written out here by hand from the layouts (RFC 2548 clear MPPE keys, the
 * methods' NT-hash question), not produced by the code under test.
 */
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { createAuthenticator, describeEapPacket } from '../lib';
import { emskOf, mppeKeysMatch, mppeKeysOf, mskMatchesMppeKeys, mskOf } from '../lib/core/keys';
import { checkUserRecord, recordAnswer } from '../lib/core/users';
import { eapPacket } from './helpers';
import { RFC2759 } from './support/mschapv2-oracle';

/** Vendor-Id 311 | Vendor-Type | Vendor-Length | Salt 0 0 | Key-Length | Key */
function clearMppe(vendorType: number, key: Buffer): { type: number; value: Buffer } {
  return { type: 26, value: Buffer.concat([Buffer.from([0x00, 0x00, 0x01, 0x37, vendorType, 5 + key.length, 0, 0, key.length]), key]) };
}

describe('key attributes → result.msk / emsk / mppeKeysMatch', () => {
  const recv = randomBytes(16);
  const send = randomBytes(16);
  const attributes = [clearMppe(16, send), { type: 1, value: Buffer.from('user') }, clearMppe(17, recv)];

  it('MSK = Recv-Key ‖ Send-Key whatever their order in the list', () => {
    assert.deepEqual(mskOf(attributes), Buffer.concat([recv, send]));
    assert.equal(mskOf([clearMppe(17, recv)]), undefined, 'half a key is no MSK');
  });

  it('the EMSK comes from eatEMSK (9003), copied', () => {
    const emsk = randomBytes(64);
    const found = emskOf([{ type: 9003, value: emsk }]);
    assert.deepEqual(found, emsk);
    emsk.fill(0);
    assert.ok(found!.some((b) => b !== 0), 'a copy, not a view');
    assert.equal(emskOf(attributes), undefined);
  });

  it('mppeKeysMatch: true only for the same halves in the same places', () => {
    const msk = Buffer.concat([recv, send]);
    assert.equal(mppeKeysMatch(msk, mppeKeysOf(attributes)), true);
    assert.equal(mppeKeysMatch(msk, { recv: send, send: recv }), false, 'swapped halves');
    assert.equal(mppeKeysMatch(msk, { recv }), false, 'Send-Key missing');
    assert.equal(mppeKeysMatch(msk, {}), false);
    assert.equal(mppeKeysMatch(Buffer.concat([msk, msk]), mppeKeysOf(attributes)), false, 'other length');
  });

  it('mskMatchesMppeKeys: our Recv-Key ‖ Send-Key against theirs, split where their Recv-Key ends', () => {
    const ours = attributes;
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, recv), clearMppe(16, send)]), true);
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, send), clearMppe(16, recv)]), false, 'swapped halves');
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, recv)]), false, 'Send-Key missing');
    assert.equal(mskMatchesMppeKeys(ours, []), false);
    const flipped = Buffer.from(send);
    flipped[15] ^= 1;
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, recv), clearMppe(16, flipped)]), false, 'last bit differs');
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, recv), clearMppe(16, Buffer.concat([send, send]))]), false,
      'other length');
    // The same 32 bytes split 20 + 12: the MSK is the same.
    const msk = Buffer.concat([recv, send]);
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, msk.subarray(0, 20)), clearMppe(16, msk.subarray(20))]), true);
    // An empty key is no key: the next one of its kind counts.
    assert.equal(mskMatchesMppeKeys(ours, [clearMppe(17, Buffer.alloc(0)), clearMppe(17, recv), clearMppe(16, send)]), true);
    assert.equal(mskMatchesMppeKeys([clearMppe(17, recv)], attributes), undefined, 'half a key is no MSK');
  });

  it('ignores Vendor-Specific values of other vendors and malformed MPPE values', () => {
    const other = { type: 26, value: Buffer.concat([Buffer.from([0, 0, 0x7e, 0xd9, 17, 21, 0, 0, 16]), recv]) };
    const bad = { type: 26, value: Buffer.from([0, 0, 1, 0x37, 17, 99, 0, 0, 16]) };
    assert.deepEqual(mppeKeysOf([other, bad]), {});
  });
});

describe('user records: { password } or { ntHash }', () => {
  it('ntHash must be 32 hex digits, else TypeError, at createAuthenticator', async () => {
    for (const ntHash of ['', '44EBBA8D5312B8D611474411F56989A', `${RFC2759.passwordHash.toString('hex')}0`,
      'zzEBBA8D5312B8D611474411F56989AE', 42]) {
      await assert.rejects(createAuthenticator({ users: { alice: { ntHash } as never } }), TypeError, String(ntHash));
    }
    await assert.rejects(createAuthenticator({ users: { alice: {} as never } }), TypeError);
    await assert.rejects(createAuthenticator({ users: { alice: { password: 7 } as never } }), TypeError);
    assert.doesNotThrow(() => checkUserRecord({ ntHash: RFC2759.passwordHash.toString('hex').toUpperCase() }, 'x'));
  });

  // The questions exactly as the methods contract writes them.
  const askPassword = { type: 8107, value: Buffer.alloc(0) };
  const askNtHash = { type: 26, value: Buffer.from([0x00, 0x00, 0x7e, 0xd9, 0x01, 0x02]) };

  // The known answer as its layout is documented (lib/core/users.ts KnownAnswer), read here on
  // its own: 32-bit little-endian words; the identity; then per rule type, minLength, prefix
  // length, answer length, prefix, answer. Every byte is accounted for.
  interface Rule { type: number; minLength: number; prefix: Buffer; answer: Buffer }
  const unpack = (known: Buffer): { identity: string; rules: Rule[] } => {
    let at = 0;
    const word = () => { const value = known.readUInt32LE(at); at += 4; return value; };
    const bytes = (length: number) => { const value = known.subarray(at, at + length); at += length; return value; };
    const identity = bytes(word()).toString('utf8');
    const rules = Array.from({ length: word() }, () => {
      const [type, minLength, prefixLength, answerLength] = [word(), word(), word(), word()];
      return { type, minLength, prefix: Buffer.from(bytes(prefixLength)), answer: Buffer.from(bytes(answerLength)) };
    });
    assert.equal(at, known.length, 'no byte left over');
    return { identity, rules };
  };
  // The rules the native side answers a question from (known_answer.cc): a question is an
  // attribute of the rule's type whose value starts with its prefix and is at least minLength long.
  const asks = (rule: Rule, question: { type: number; value: Buffer }) => question.type === rule.type &&
    question.value.length >= Math.max(rule.minLength, rule.prefix.length) && question.value.subarray(0, rule.prefix.length).equals(rule.prefix);

  it('answers the clear-text password question with the password, read as UTF-8', () => {
    const { identity, rules } = unpack(recordAnswer('ü', { password: 'pässword' }));
    assert.equal(identity, 'ü');
    assert.equal(rules.length, 1);
    assert.ok(asks(rules[0], askPassword));
    assert.ok(!asks(rules[0], askNtHash));
    assert.deepEqual(rules[0].answer, Buffer.from('pässword', 'utf8'));
  });

  it('answers the NT-hash question with Vendor-Id 32473 | Type 1 | Length 18 | hash', () => {
    const { rules } = unpack(recordAnswer('u', { ntHash: RFC2759.passwordHash.toString('hex') }));
    assert.equal(rules.length, 1);
    assert.ok(asks(rules[0], askNtHash));
    assert.ok(!asks(rules[0], askPassword));
    assert.deepEqual(rules[0].answer, Buffer.concat([Buffer.from([0, 0, 0x7e, 0xd9, 1, 18]), RFC2759.passwordHash]));
  });

  it('prefers the password when the record has both, and answers nothing without a record', () => {
    const { rules } = unpack(recordAnswer('u', { password: 'x', ntHash: RFC2759.passwordHash.toString('hex') }));
    assert.deepEqual(rules.map((rule) => rule.type), [8107, 26]);
    assert.deepEqual(unpack(recordAnswer('u', undefined)), { identity: 'u', rules: [] });
  });
});

describe('describeEapPacket never shows secrets', () => {
  it('a GTC response (the password in clear) is shown by size only', () => {
    const text = describeEapPacket(eapPacket(2, 9, 6, Buffer.from('hunter2-secret')));
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /type=GTC response=\(14 bytes, not shown\)/);
  });

  it('an MSCHAPv2 Response hides the NT-Response; a Failure shows E= and R=', () => {
    const value = randomBytes(49);
    const body = Buffer.concat([Buffer.from([49]), value, Buffer.from('alice')]);
    const response = eapPacket(2, 3, 26, Buffer.concat([Buffer.from([2, 7, 0, 4 + body.length]), body]));
    const text = describeEapPacket(response);
    assert.doesNotMatch(text, new RegExp(value.subarray(24, 48).toString('hex')));
    assert.match(text, /op=Response ms-id=7 response=\(49 bytes, not shown\) name="alice"/);
    const message = Buffer.from('E=648 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=password expired');
    const failure = eapPacket(1, 4, 26, Buffer.concat([Buffer.from([4, 7, 0, 4 + message.length]), message]));
    assert.match(describeEapPacket(failure), /op=Failure ms-id=7 E=648 R=0 V=3 M="password expired"/);
  });
});
